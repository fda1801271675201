import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DevinClient } from '../../src/api/client';
import { DevinApiError } from '../../src/api/errors';
import { startConnectProxy, type ConnectProxy } from '../connectProxy';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../sandbox/server';

/**
 * The client carries only the part of undici it uses (src/api/undiciTransport.ts), so both of its dispatchers are
 * exercised here over real loopback HTTP: the direct agent, and the proxy agent through a CONNECT proxy, as with
 * VS Code's `http.proxy`.
 */

let sandbox: Sandbox;
let proxy: ConnectProxy;

before(async () => {
  sandbox = await startSandbox();
  proxy = await startConnectProxy();
});

after(async () => {
  await proxy.close();
  await sandbox.close();
});

function client(options: { proxyUrl?: string; baseUrl?: string } = {}): DevinClient {
  return new DevinClient({
    baseUrl: options.baseUrl ?? sandbox.baseUrl,
    apiVersion: 'v3',
    getToken: async () => SANDBOX_TOKENS.enterpriseAdmin,
    timeoutMs: 5000,
    retry: { readRetries: 0 },
    proxyUrl: options.proxyUrl,
  });
}

test('requests go straight to the API without a proxy, query string included', async () => {
  const devin = client();
  try {
    const page = await devin.listOrganizations({ first: 2 });
    assert.equal(page.items.length, 2);
    const last = sandbox.requests.at(-1);
    assert.equal(last?.path, '/v3/enterprise/organizations');
    assert.equal(last?.query.first, '2');
    assert.deepEqual(proxy.tunnels, []);
  } finally {
    await devin.dispose();
  }
});

test('with a proxy, requests tunnel through it to the API', async () => {
  const devin = client({ proxyUrl: proxy.url });
  try {
    const identity = await devin.getSelf();
    assert.equal(identity.kind, 'service_user');
    assert.deepEqual(proxy.tunnels, [new URL(sandbox.baseUrl).host]);
    assert.equal(sandbox.requests.at(-1)?.path, '/v3/self');
  } finally {
    await devin.dispose();
  }
});

test('a base URL that is not a URL is a clear network error, not a crash', async () => {
  const devin = client({ baseUrl: 'not a url' });
  try {
    await assert.rejects(
      devin.getSelf(),
      (error: unknown) => error instanceof DevinApiError && error.kind === 'network',
    );
  } finally {
    await devin.dispose();
  }
});

test('a token holding a character no header can carry is named as such, never as an unreachable API', async () => {
  for (const [token, named] of [
    ['cog_abcdef…', /\("…" U\+2026\); copy it again/],
    ['cog_abc\u0000def', /\(U\+0000\); copy it again/],
    ['cog_abc\ndef', /\(U\+000A\); copy it again/],
  ] as const) {
    const devin = new DevinClient({
      baseUrl: sandbox.baseUrl,
      apiVersion: 'v3',
      getToken: async () => token,
      retry: { readRetries: 0 },
    });
    const before = sandbox.requests.length;
    try {
      for (const call of [
        () => devin.getSelf(),
        // A write: nothing was sent, so the outcome is known, not "may have been carried out".
        () => devin.createSession('org-1', { prompt: 'Hello' }),
        () => devin.downloadAttachment({ url: `${sandbox.baseUrl}/v3/organizations/org-1/attachments/a/b.txt` }),
      ]) {
        const error = await call().then(
          () => assert.fail('expected the call to fail'),
          (failure: unknown) => failure,
        );
        assert.ok(error instanceof DevinApiError, String(error));
        assert.equal(error.kind, 'invalidToken');
        assert.equal(error.outcomeUnknown, false);
        assert.match(error.message, /The token contains a character that cannot be part of a key/);
        assert.match(error.message, named);
        assert.doesNotMatch(error.message, /Could not reach/);
      }
      assert.equal(sandbox.requests.length, before, 'nothing reached the server');
    } finally {
      await devin.dispose();
    }
  }
});
