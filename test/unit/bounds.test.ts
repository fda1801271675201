import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import { DevinClient, MAX_ATTACHMENT_BYTES } from '../../src/api/client';
import { HttpClient, ResponseTooLargeError } from '../../src/api/http';
import { TooManyRowsError, describeSkippedRows, type SkippedRows } from '../../src/api/rows';
import { MAX_PROMPT_CHARS, promptTooLong } from '../../src/core/selectionPrompt';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../sandbox/server';
import { apiFailure } from './apiFailure';

/** Bounds on what the server can make the client hold, and rows that cannot be read skipped, not fatal. */

let sandbox: Sandbox;
const skipped: SkippedRows[] = [];
const ACME = SANDBOX_ORG_IDS.acme;

function client(maxResponseBytes?: number): DevinClient {
  return new DevinClient({
    baseUrl: sandbox.baseUrl,
    apiVersion: 'v3',
    getToken: async () => SANDBOX_TOKENS.enterpriseAdmin,
    sleep: async () => undefined,
    maxResponseBytes,
    onSkippedRows: (report) => skipped.push(report),
  });
}

before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());
afterEach(() => {
  sandbox.reset();
  skipped.length = 0;
});

describe('response size', () => {
  test('a body past the limit is abandoned with a message naming the size, and not retried', async () => {
    sandbox.faults.inject({ kind: 'oversized', items: 20_000, bytes: 12 * 1024 * 1024, times: Infinity });
    const error = await apiFailure(client().listSessions(ACME, { first: 50 }));
    assert.ok(error instanceof ResponseTooLargeError);
    assert.match(error.message, /more than 8 MB for one response \(GET \/v3\/organizations\/.*\/sessions\)/);
    assert.equal(sandbox.requests.length, 1, 'a response too large is not asked for again');
  });

  test('the limit is a client option', async () => {
    const error = await apiFailure(client(2_000).listSessions(ACME, { first: 50 }));
    assert.ok(error instanceof ResponseTooLargeError);
    assert.equal((await client().listSessions(ACME, { first: 50 })).items.length, 50);
  });
});

describe('rows per page', () => {
  test('a page of 20,000 rows for first=50 is refused with a message saying so', async () => {
    // Small rows, so the byte limit does not hide the row limit.
    sandbox.faults.inject({ kind: 'oversized', items: 20_000, bytes: 4 * 1024 * 1024 });
    const error = await apiFailure(client().listSessions(ACME, { first: 50 }));
    assert.ok(error instanceof TooManyRowsError);
    assert.match(error.message, /sent 20000 rows in one page .* where 50 were asked for/);
  });

  test('a page of ordinary size passes', async () => {
    sandbox.faults.inject({ kind: 'oversized', items: 150, bytes: 100_000 });
    assert.equal((await client().listSessions(ACME, { first: 200 })).items.length, 150);
  });
});

describe('rows that cannot be read', () => {
  test('a session with session_id null is skipped and reported; the rest of the organization shows', async () => {
    sandbox.faults.inject({ kind: 'nullRow', fields: ['session_id'] });
    const page = await client().listSessions(ACME, { first: 20 });
    assert.equal(page.items.length, 20);
    assert.equal(skipped.length, 1);
    assert.deepEqual(
      { ...skipped[0], reason: undefined },
      { endpoint: `GET /v3/organizations/${ACME}/sessions`, skipped: 1, total: 21, reason: undefined },
    );
    assert.match(skipped[0]?.reason ?? '', /^session_id: /);
    assert.match(describeSkippedRows(skipped[0] as SkippedRows), /Skipped 1 of 21 rows .* the other rows are shown/);
  });

  test('a message with message null is skipped; the conversation still reads', async () => {
    const api = client();
    const session = await api.createSession(ACME, { prompt: 'First' });
    await api.sendMessage(ACME, session.id, 'Second');
    sandbox.faults.inject({ kind: 'nullRow', match: { pathIncludes: '/messages' } });
    const page = await api.listMessages(ACME, session.id, { first: 200 });
    assert.deepEqual(
      page.items.map((message) => message.message),
      ['First', 'Second'],
    );
    assert.equal(skipped[0]?.skipped, 1);
    assert.match(skipped[0]?.reason ?? '', /^message: /);
  });

  test('an organization with org_id null does not hide the others', async () => {
    const all = await client().listOrganizations({ first: 200 });
    sandbox.faults.inject({ kind: 'nullRow', match: { pathIncludes: '/enterprise/organizations' } });
    const page = await client().listOrganizations({ first: 200 });
    assert.deepEqual(
      page.items.map((organization) => organization.id),
      all.items.map((organization) => organization.id),
    );
    assert.equal(skipped.length, 1);
  });

  test('audit rows with null ids still show, since none of their fields is required', async () => {
    sandbox.faults.inject({ kind: 'nullRow', match: { pathIncludes: '/audit-logs' } });
    const page = await client().listAuditLogs({ first: 10 });
    assert.equal(page.items.length, 11);
    assert.equal(skipped.length, 0);
  });

  test('a page where no row can be read is an unreadable answer, not an empty list', async () => {
    const api = client();
    const empty = await api.createOrganization({ name: 'No sessions yet' });
    sandbox.faults.inject({ kind: 'nullRow', match: { pathIncludes: `/organizations/${empty.id}/sessions` } });
    const error = await apiFailure(api.listSessions(empty.id, { first: 20 }));
    assert.equal(error.kind, 'malformed');
  });
});

test('a prompt past the limit is refused with a message that says how to fix it', () => {
  assert.equal(promptTooLong('x'.repeat(MAX_PROMPT_CHARS)), undefined);
  assert.match(promptTooLong('x'.repeat(MAX_PROMPT_CHARS + 1)) ?? '', /at most 200k can be sent.*select less/);
});

describe('bodies are read only up to their limit', () => {
  /** A loopback server whose answers are written by each test, counting what it managed to send. */
  let server: http.Server;
  let baseUrl: string;
  let answer: (res: http.ServerResponse) => void;

  before(async () => {
    server = http.createServer((_req, res) => answer(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function http1(options: { timeoutMs?: number } = {}): HttpClient {
    return new HttpClient({
      baseUrl,
      getToken: async () => SANDBOX_TOKENS.enterpriseAdmin,
      timeoutMs: options.timeoutMs ?? 10_000,
      retry: { readRetries: 0 },
    });
  }

  /**
   * Streams `total` bytes as fast as the client takes them (never faster: it waits for the socket to drain), and
   * reports how many were written before the client closed the connection or the body ended.
   */
  function stream(
    status: number,
    total: number,
    headers: http.OutgoingHttpHeaders = {},
    first = '',
  ): Promise<{ written: number; closedEarly: boolean }> {
    return new Promise((resolve) => {
      answer = (res) => {
        let written = 0;
        const chunk = Buffer.alloc(64 * 1024, 'x');
        res.writeHead(status, { 'content-type': 'application/octet-stream', ...headers });
        if (first) {
          res.write(first);
          written += Buffer.byteLength(first);
        }
        const pump = (): void => {
          while (written < total && !res.destroyed) {
            written += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          if (written >= total) res.end();
        };
        res.on('close', () => resolve({ written, closedEarly: !res.writableFinished }));
        pump();
      };
    });
  }

  test('a file past its limit stops downloading at the limit: 160 MB are not read whole', async () => {
    const served = stream(200, 160 * 1024 * 1024);
    const api = http1();
    try {
      const error = await apiFailure(api.requestBytes(`${baseUrl}/files/big.bin`, { maxBytes: 1024 * 1024 }));
      assert.ok(error instanceof ResponseTooLargeError, error.message);
      assert.match(error.message, /larger than 1 MB, so it was not downloaded/);
      const { written, closedEarly } = await served;
      assert.equal(closedEarly, true, 'the client dropped the connection');
      assert.ok(written < 32 * 1024 * 1024, `the server wrote ${written} bytes before the client let go`);
    } finally {
      await api.close();
    }
  });

  test('attachments are capped at 100 MB by the client, without reading a 160 MB answer to its end', async () => {
    const served = stream(200, 160 * 1024 * 1024);
    const devin = new DevinClient({ baseUrl, apiVersion: 'v3', getToken: async () => SANDBOX_TOKENS.enterpriseAdmin });
    try {
      const error = await apiFailure(devin.downloadAttachment({ url: `${baseUrl}/v3/attachments/a/big.bin` }));
      assert.ok(error instanceof ResponseTooLargeError, error.message);
      assert.match(error.message, /larger than 100 MB/);
      const { written, closedEarly } = await served;
      assert.equal(closedEarly, true);
      assert.ok(written < MAX_ATTACHMENT_BYTES + 32 * 1024 * 1024, `the server wrote ${written} bytes`);
    } finally {
      await devin.dispose();
    }
  });

  test('a declared length past the limit is refused before reading', async () => {
    const served = stream(200, 160 * 1024 * 1024, { 'content-length': String(160 * 1024 * 1024) });
    const api = http1();
    try {
      const error = await apiFailure(api.requestBytes(`${baseUrl}/files/big.bin`, { maxBytes: 1024 * 1024 }));
      assert.ok(error instanceof ResponseTooLargeError);
      const { written, closedEarly } = await served;
      assert.equal(closedEarly, true);
      assert.ok(written < 32 * 1024 * 1024, `the server wrote ${written} bytes`);
    } finally {
      await api.close();
    }
  });

  test("an error body is read for its message only up to a few KB: one that never ends still gives the server's words", async () => {
    const page = `<html><head><title>Bad gateway at the proxy</title></head><body>${'x'.repeat(20_000)}`;
    // Only the cap ends this read: the server never finishes the body, and the client's timeout is far away.
    const served = stream(502, Number.POSITIVE_INFINITY, { 'content-type': 'text/html' }, page);
    const api = http1({ timeoutMs: 20_000 });
    const started = Date.now();
    try {
      const error = await apiFailure(api.requestJson({ method: 'GET', path: '/v3/self' }));
      assert.equal(error.kind, 'server');
      assert.match(error.message, /HTTP 502.*Bad gateway at the proxy/);
      assert.ok(Date.now() - started < 10_000, 'answered without waiting for the body to end');
      const { written, closedEarly } = await served;
      assert.equal(closedEarly, true);
      assert.ok(written < 32 * 1024 * 1024, `the server wrote ${written} bytes`);
    } finally {
      await api.close();
    }
  });

  test("a download's error body is capped the same way", async () => {
    const served = stream(
      403,
      Number.POSITIVE_INFINITY,
      { 'content-type': 'application/json' },
      `{"detail": "AccessDenied: the link expired"}${' '.repeat(20_000)}`,
    );
    const api = http1({ timeoutMs: 20_000 });
    try {
      const error = await apiFailure(api.requestBytes(`${baseUrl}/files/gone.bin`));
      assert.equal(error.kind, 'forbidden');
      const { closedEarly } = await served;
      assert.equal(closedEarly, true);
    } finally {
      await api.close();
    }
  });
});
