import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { DevinClient } from '../../src/api/client';
import { ResponseTooLargeError } from '../../src/api/http';
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
