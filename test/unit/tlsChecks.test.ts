import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type * as net from 'node:net';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { HttpClient } from '../../src/api/http';
import { DevinApiError } from '../../src/api/errors';
import { startConnectProxy, type ConnectProxy } from '../connectProxy';
import { SANDBOX_TOKENS } from '../sandbox/server';

/**
 * `http.proxyStrictSSL: false` exists for proxies that re-sign TLS. It must not switch off certificate checks
 * on direct connections, where a wrong certificate means the token is about to go to someone else.
 */

const fixtures = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'tls');
let server: https.Server;
let proxy: ConnectProxy;
let serverUrl: string;
const received: string[] = [];

before(async () => {
  server = https.createServer(
    {
      key: fs.readFileSync(path.join(fixtures, 'self-signed.key')),
      cert: fs.readFileSync(path.join(fixtures, 'self-signed.crt')),
    },
    (request, response) => {
      received.push(request.url ?? '');
      response.setHeader('content-type', 'application/json');
      response.end('{"ok":true}');
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  proxy = await startConnectProxy();
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await proxy.close();
});

function client(options: { proxyUrl?: string; rejectUnauthorized?: boolean }): HttpClient {
  return new HttpClient({
    baseUrl: serverUrl,
    getToken: async () => SANDBOX_TOKENS.member,
    retry: { readRetries: 0 },
    timeoutMs: 5000,
    ...options,
  });
}

test('a direct connection checks the certificate even when proxyStrictSSL is off', async () => {
  const direct = client({ rejectUnauthorized: false });
  try {
    await assert.rejects(direct.requestJson({ method: 'GET', path: '/v3/self' }), (error: unknown) => {
      assert.ok(error instanceof DevinApiError);
      assert.equal(error.kind, 'network');
      return true;
    });
    assert.deepEqual(received, [], 'no request (and so no token) reached the host with the untrusted certificate');
  } finally {
    await direct.close();
  }
});

test('through a proxy, proxyStrictSSL off lets a re-signed certificate through; on, it does not', async () => {
  const lax = client({ proxyUrl: proxy.url, rejectUnauthorized: false });
  const strict = client({ proxyUrl: proxy.url, rejectUnauthorized: true });
  try {
    assert.deepEqual(await lax.requestJson({ method: 'GET', path: '/v3/self' }), { ok: true });
    assert.deepEqual(received, ['/v3/self']);
    assert.ok(proxy.tunnels.length >= 1, 'the request went through the proxy');
    await assert.rejects(strict.requestJson({ method: 'GET', path: '/v3/self' }));
    assert.equal(received.length, 1);
  } finally {
    await lax.close();
    await strict.close();
  }
});
