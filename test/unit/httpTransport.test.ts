import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as net from 'node:net';
import { after, before, test } from 'node:test';
import { DevinClient } from '../../src/api/client';
import { DevinApiError } from '../../src/api/errors';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../sandbox/server';

/**
 * The client carries only the part of undici it uses (src/api/undiciTransport.ts), so both of its dispatchers are
 * exercised here over real loopback HTTP: the direct agent, and the proxy agent through a CONNECT proxy, as with
 * VS Code's `http.proxy`.
 */

let sandbox: Sandbox;
let proxy: http.Server;
let proxyUrl: string;
const tunnels: string[] = [];

before(async () => {
  sandbox = await startSandbox();
  proxy = http.createServer((_request, response) => {
    response.writeHead(405).end('only CONNECT');
  });
  proxy.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    tunnels.push(request.url ?? '');
    const [host, port] = (request.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const end = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', end);
    client.on('error', end);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

after(async () => {
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
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
    assert.deepEqual(tunnels, []);
  } finally {
    await devin.dispose();
  }
});

test('with a proxy, requests tunnel through it to the API', async () => {
  const devin = client({ proxyUrl });
  try {
    const identity = await devin.getSelf();
    assert.equal(identity.kind, 'service_user');
    assert.deepEqual(tunnels, [new URL(sandbox.baseUrl).host]);
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
