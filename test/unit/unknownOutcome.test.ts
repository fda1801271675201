import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import { DevinClient } from '../../src/api/client';
import {
  findCreatedKnowledgeNote,
  findCreatedOrganization,
  findCreatedSession,
  findDeliveredMessage,
} from '../../src/api/createdLookup';
import { isOutcomeUnknown, isUnreadableSuccess } from '../../src/api/errors';
import { HttpClient } from '../../src/api/http';
import { apiClient } from '../sandbox/client';
import { parseFault } from '../sandbox/faults';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../sandbox/server';
import { apiFailure } from './apiFailure';

/**
 * What the client can and cannot know about a write: a request that never left is an ordinary failure,
 * one whose answer was lost is "outcome unknown", and a 2xx with an unreadable body is done. Then the
 * look-ups that find what a lost answer may have created, against the sandbox over loopback HTTP.
 */

let sandbox: Sandbox;

function client(options: { baseUrl?: string; timeoutMs?: number } = {}): DevinClient {
  return new DevinClient({
    baseUrl: options.baseUrl ?? sandbox.baseUrl,
    apiVersion: 'v3',
    getToken: async () => SANDBOX_TOKENS.enterpriseAdmin,
    timeoutMs: options.timeoutMs ?? 5000,
    sleep: async () => undefined,
  });
}

/** Sessions in the organization whose title (the sandbox derives it from the prompt's first line) is `prompt`. */
async function sessionsWithPrompt(orgId: string, prompt: string): Promise<string[]> {
  const page = await apiClient(sandbox.baseUrl, SANDBOX_TOKENS.enterpriseAdmin).get(
    `/v3/organizations/${orgId}/sessions?first=200`,
  );
  return (page.json.items as { session_id: string; title: string }[])
    .filter((session) => session.title === prompt)
    .map((session) => session.session_id);
}

function posts(): number {
  return sandbox.requests.filter((request) => request.method === 'POST').length;
}

before(async () => {
  sandbox = await startSandbox();
});
after(async () => {
  await sandbox.close();
});
afterEach(() => sandbox.reset());

describe('what a write failure says about the work', () => {
  test('a refused connection: the request never left, so the outcome is known', async () => {
    const closed = await startSandbox();
    const baseUrl = closed.baseUrl;
    await closed.close();
    const error = await apiFailure(client({ baseUrl }).createSession(SANDBOX_ORG_IDS.acme, { prompt: 'never sent' }));
    assert.equal(error.kind, 'network');
    assert.equal(isOutcomeUnknown(error), false);
    assert.match(error.message, /Could not reach the Devin API/);
  });

  test('a 429 or a 403 is an answer: the outcome is known', async () => {
    sandbox.faults.inject({ kind: 'status', status: 429, retryAfterSeconds: 600, match: { method: 'POST' } });
    const limited = await apiFailure(client().createSession(SANDBOX_ORG_IDS.acme, { prompt: 'limited' }));
    assert.equal(limited.kind, 'rateLimited');
    assert.equal(isOutcomeUnknown(limited), false);
    sandbox.faults.inject({ kind: 'status', status: 403, match: { method: 'POST' } });
    assert.equal(
      isOutcomeUnknown(await apiFailure(client().createSession(SANDBOX_ORG_IDS.acme, { prompt: 'x' }))),
      false,
    );
  });

  test('dropped after the handler ran: "may have carried it out", sent once, and the session exists', async () => {
    sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST', pathIncludes: '/sessions' } });
    const prompt = 'Dropped after the handler';
    const error = await apiFailure(client().createSession(SANDBOX_ORG_IDS.acme, { prompt }));
    assert.equal(error.kind, 'network');
    assert.ok(isOutcomeUnknown(error));
    assert.match(error.message, /may have carried it out.*not repeated/);
    assert.equal(posts(), 1, 'a POST whose answer was lost is never repeated automatically');
    assert.equal((await sessionsWithPrompt(SANDBOX_ORG_IDS.acme, prompt)).length, 1);
  });

  test('no answer in time after the handler ran: a timeout with an unknown outcome', async () => {
    sandbox.faults.inject({ kind: 'timeoutAfterHandler', delayMs: 2000, match: { method: 'POST' } });
    const prompt = 'Timed out after the handler';
    const error = await apiFailure(client({ timeoutMs: 200 }).createSession(SANDBOX_ORG_IDS.acme, { prompt }));
    assert.equal(error.kind, 'timeout');
    assert.ok(isOutcomeUnknown(error));
    assert.equal(posts(), 1);
    assert.equal((await sessionsWithPrompt(SANDBOX_ORG_IDS.acme, prompt)).length, 1);
  });

  test('a 2xx with an unreadable body is a success whose answer could not be read', async () => {
    sandbox.faults.inject({ kind: 'malformedAfterHandler', match: { method: 'POST' } });
    const prompt = 'Unreadable answer';
    const error = await apiFailure(client().createSession(SANDBOX_ORG_IDS.acme, { prompt }));
    assert.ok(isUnreadableSuccess(error));
    assert.equal(isOutcomeUnknown(error), false);
    assert.equal((await sessionsWithPrompt(SANDBOX_ORG_IDS.acme, prompt)).length, 1);
  });

  test('a 2xx whose body is cut off is done for a write, and repeated for a read', async () => {
    let requests = 0;
    // The status line and half the body arrive, then the connection dies: the first request only, per path.
    const cut = new Set<string>();
    const server = http.createServer((req, res) => {
      requests += 1;
      const key = `${req.method} ${req.url}`;
      if (!cut.has(key)) {
        cut.add(key);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"session_id": "devin-');
        setTimeout(() => res.destroy(), 20);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok": true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const httpClient = new HttpClient({
        baseUrl: `http://127.0.0.1:${port}`,
        getToken: async () => 'cog_test_token_value',
        sleep: async () => undefined,
      });
      const write = await apiFailure(httpClient.requestJson({ method: 'POST', path: '/v3/things', body: {} }));
      assert.ok(isUnreadableSuccess(write), write.kind);
      assert.equal(requests, 1, 'the write is not repeated');
      assert.deepEqual(await httpClient.requestJson({ method: 'GET', path: '/v3/things' }), { ok: true });
      assert.equal(requests, 3, 'the read was repeated once');
      await httpClient.close();
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('a read whose connection dropped is still retried and succeeds', async () => {
    sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'GET' } });
    assert.ok((await client().listOrganizations()).items.length > 0);
  });

  test('cancelling a POST after it was sent says it may have been carried out', async () => {
    sandbox.faults.inject({ kind: 'slow', delayMs: 1000, match: { method: 'POST' } });
    const controller = new AbortController();
    const pending = client().createSession(SANDBOX_ORG_IDS.acme, { prompt: 'cancelled', signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const error = await apiFailure(pending);
    assert.equal(error.kind, 'cancelled');
    assert.ok(isOutcomeUnknown(error));
  });

  test('a POST cancelled before it started is plainly cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await apiFailure(
      client().createSession(SANDBOX_ORG_IDS.acme, { prompt: 'never', signal: controller.signal }),
    );
    assert.equal(error.kind, 'cancelled');
    assert.equal(isOutcomeUnknown(error), false);
    assert.equal(sandbox.requests.length, 0);
  });
});

describe('finding what a lost answer created', () => {
  test('a session is found by its prompt among those created since the attempt, and only that one', async () => {
    const since = Date.now();
    const prompt = 'Add retries to the uploader\n\nKeep the API unchanged.';
    sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST' } });
    await apiFailure(client().createSession(SANDBOX_ORG_IDS.acme, { prompt }));
    // Another session with the same first line, as a colleague might start: a different prompt is not ours.
    await client().createSession(SANDBOX_ORG_IDS.acme, { prompt: 'Add retries to the uploader\n\nAnd the CLI.' });
    const found = await findCreatedSession(client(), { orgId: SANDBOX_ORG_IDS.acme, prompt, since });
    assert.ok(found);
    const created = await sessionsWithPrompt(SANDBOX_ORG_IDS.acme, 'Add retries to the uploader');
    assert.equal(created.length, 2);
    const messages = await client().listMessages(SANDBOX_ORG_IDS.acme, found.id);
    assert.equal(messages.items[0]?.message, prompt);
    const none = await findCreatedSession(client(), { orgId: SANDBOX_ORG_IDS.acme, prompt: 'Never sent', since });
    assert.equal(none, undefined);
  });

  test('a session is not taken for ours when its title differs from the one we sent', async () => {
    const since = Date.now();
    await client().createSession(SANDBOX_ORG_IDS.acme, { prompt: 'Same prompt', title: 'Theirs' });
    const sent = { orgId: SANDBOX_ORG_IDS.acme, prompt: 'Same prompt', since };
    assert.equal(await findCreatedSession(client(), { ...sent, title: 'Ours' }), undefined);
    assert.ok(await findCreatedSession(client(), { ...sent, title: 'Theirs' }));
  });

  test('a session made by another principal is not taken for ours', async () => {
    const since = Date.now();
    const member = new DevinClient({
      baseUrl: sandbox.baseUrl,
      apiVersion: 'v3',
      getToken: async () => SANDBOX_TOKENS.member,
    });
    const memberOrg = (await member.getSelf()).orgId ?? SANDBOX_ORG_IDS.acme;
    await member.createSession(memberOrg, { prompt: 'Shared wording' });
    const admin = await client().getSelf();
    const sent = { orgId: memberOrg, prompt: 'Shared wording', since };
    assert.equal(
      await findCreatedSession(client(), { ...sent, creator: { kind: admin.kind, id: admin.id } }),
      undefined,
    );
    assert.ok(await findCreatedSession(client(), sent));
  });

  test('sessions created before the attempt (beyond clock skew) are not candidates', async () => {
    await client().createSession(SANDBOX_ORG_IDS.acme, { prompt: 'Old one' });
    const since = Date.now() + 3_600_000;
    assert.equal(
      await findCreatedSession(client(), { orgId: SANDBOX_ORG_IDS.acme, prompt: 'Old one', since }),
      undefined,
    );
    const listed = sandbox.requests.filter((request) => request.method === 'GET' && request.path.endsWith('/sessions'));
    assert.ok(listed.at(-1)?.query.created_after, 'the list is narrowed on the server with created_after');
  });

  test('a follow-up message that arrived is found; another text is not', async () => {
    const session = await client().createSession(SANDBOX_ORG_IDS.acme, { prompt: 'Talk to me' });
    const since = Date.now();
    sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST', pathIncludes: '/messages' } });
    await apiFailure(client().sendMessage(SANDBOX_ORG_IDS.acme, session.id, 'Please also update the docs'));
    const sent = { orgId: SANDBOX_ORG_IDS.acme, sessionId: session.id, since };
    const found = await findDeliveredMessage(client(), { ...sent, message: 'Please also update the docs' });
    assert.equal(found?.source, 'user');
    assert.equal(found?.message, 'Please also update the docs');
    assert.equal(await findDeliveredMessage(client(), { ...sent, message: 'Something else' }), undefined);
  });

  test('an organization is found by name; a Knowledge note by name, trigger and body', async () => {
    const since = Date.now();
    sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST' }, times: 2 });
    await apiFailure(client().createOrganization({ name: 'Lost Answer Org' }));
    assert.equal(
      (await findCreatedOrganization(client(), { name: 'Lost Answer Org', since }))?.name,
      'Lost Answer Org',
    );
    assert.equal(await findCreatedOrganization(client(), { name: 'Never Made', since }), undefined);
    const note = { name: 'Deploys', trigger: 'When deploying', body: 'Use make deploy.' };
    await apiFailure(client().createKnowledgeNote(SANDBOX_ORG_IDS.acme, note));
    assert.ok(await findCreatedKnowledgeNote(client(), { orgId: SANDBOX_ORG_IDS.acme, ...note }));
    assert.equal(
      await findCreatedKnowledgeNote(client(), { orgId: SANDBOX_ORG_IDS.acme, ...note, body: 'Different.' }),
      undefined,
    );
  });
});

describe('sandbox faults after the handler', () => {
  test('the control API accepts them and rejects a bad delay', () => {
    assert.deepEqual(parseFault({ kind: 'dropAfterHandler' }), { kind: 'dropAfterHandler' });
    assert.deepEqual(parseFault({ kind: 'malformedAfterHandler', times: 2 }), {
      kind: 'malformedAfterHandler',
      times: 2,
    });
    assert.deepEqual(parseFault({ kind: 'timeoutAfterHandler', delayMs: 50 }), {
      kind: 'timeoutAfterHandler',
      delayMs: 50,
    });
    assert.equal(typeof parseFault({ kind: 'timeoutAfterHandler', delayMs: -1 }), 'string');
  });

  test("a handler's error reply is not lost: only successful work loses its answer", async () => {
    sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST' } });
    const error = await apiFailure(client().createSession('org-does-not-exist', { prompt: 'x' }));
    assert.ok(error.kind === 'forbidden' || error.kind === 'notFound', error.kind);
    assert.equal(isOutcomeUnknown(error), false);
  });
});
