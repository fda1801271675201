import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createSession, keepUnsentSession } from '../../src/actions/createSession';
import type { SessionDraft } from '../../src/core/drafts';
import { SANDBOX_ORG_IDS } from '../sandbox/server';
import { actionsOnSandbox, posts, sandboxClient } from './actionsFixture';

/**
 * The create-session action against the sandbox over loopback, with a fake Ui and a fake clock shared with the
 * sandbox: each fault the network can throw at a create, and what the user is left with. The start of the
 * plain-Node fault matrix.
 */

const org = { orgId: SANDBOX_ORG_IDS.acme, name: 'Acme' };
const bench = actionsOnSandbox({ '/work/notes.md': new TextEncoder().encode('# notes') });

function deps() {
  return { client: sandboxClient(bench.sandbox), ui: bench.ui, creator: undefined };
}

function sessionsNow(): number {
  return bench.sandbox.inventory().sessionsByOrg[org.orgId] ?? 0;
}

describe('createSession', () => {
  test('created: one POST with every option of the request, no draft left', async () => {
    const before = sessionsNow();
    const outcome = await createSession(deps(), org, {
      prompt: 'Fix the flaky login test',
      title: 'Login flake',
      tags: ['ci'],
      maxAcuLimit: 5,
      attachments: ['/work/notes.md'],
    });
    assert.equal(outcome.kind, 'created');
    assert.equal(sessionsNow(), before + 1);
    assert.equal(posts(bench.sandbox, '/sessions'), 1);
    const sent = bench.sandbox.requests.find(
      (request) => request.method === 'POST' && request.path.endsWith('/sessions'),
    );
    const body = sent?.body as Record<string, unknown>;
    assert.equal(body.title, 'Login flake');
    assert.deepEqual(body.tags, ['ci']);
    assert.equal(body.max_acu_limit, 5);
    assert.match(String(body.prompt), /^Fix the flaky login test\n\nATTACHMENT:"[^"]+"$/);
    assert.deepEqual(
      bench.ui.shown.map((shown) => [shown.title, shown.reports]),
      [['Creating a Devin session in Acme…', ['uploading notes.md']]],
    );
    assert.deepEqual(bench.ui.stored, []);
  });

  test('a 4xx keeps the prompt and every option as a draft, not uncertain', async () => {
    bench.sandbox.faults.inject({ kind: 'status', status: 403, match: { method: 'POST', pathIncludes: '/sessions' } });
    const before = sessionsNow();
    const outcome = await createSession(deps(), org, { prompt: 'Refused prompt', title: 'T', repos: ['acme/api'] });
    assert.equal(outcome.kind, 'failed');
    assert.equal(outcome.kind === 'failed' && outcome.outcomeUnknown, false);
    assert.equal(sessionsNow(), before);
    const [draft] = bench.ui.stored as SessionDraft[];
    assert.equal(outcome.kind === 'failed' && outcome.draftId, draft?.id);
    assert.equal(draft?.kind, 'session');
    assert.equal(draft?.orgId, org.orgId);
    assert.equal(draft?.prompt, 'Refused prompt');
    assert.deepEqual(draft?.repos, ['acme/api']);
    assert.equal(draft?.lastError, 'forbidden');
    assert.equal(draft?.uncertainSince, undefined);
    assert.equal('draftId' in (draft ?? {}), false, 'only the declared fields are stored');
  });

  test('a lost answer keeps an uncertain draft dated when the attempt started', async () => {
    bench.sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST', pathIncludes: '/sessions' } });
    const started = bench.clock.now();
    const outcome = await createSession(deps(), org, { prompt: 'Lost answer prompt' });
    assert.equal(outcome.kind, 'failed');
    assert.equal(outcome.kind === 'failed' && outcome.outcomeUnknown, true);
    const [draft] = bench.ui.stored;
    assert.equal(draft?.lastError, 'outcomeUnknown');
    assert.equal(draft?.uncertainSince, started);
  });

  test('the retry finds the session the lost answer made and creates nothing', async () => {
    bench.sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST', pathIncludes: '/sessions' } });
    const first = await createSession(deps(), org, { prompt: 'Made once', title: 'Made once' });
    assert.equal(first.kind, 'failed');
    const afterFirst = sessionsNow();
    bench.clock.advance(60_000);
    const draft = bench.ui.stored[0];
    const retried = await createSession(
      deps(),
      org,
      { prompt: 'Made once', title: 'Made once' },
      {
        draftId: draft?.id,
        uncertainSince: draft?.uncertainSince,
      },
    );
    assert.equal(retried.kind, 'found');
    assert.equal(sessionsNow(), afterFirst);
    assert.equal(posts(bench.sandbox, '/sessions'), 1, 'no second create');
    assert.deepEqual(bench.ui.stored, [], 'the draft is gone');
    assert.equal(bench.ui.shown.at(-1)?.title, 'Looking for the session Devin may already have…');
  });

  test('the same prompt sent anew continues the uncertain draft instead of creating twice', async () => {
    bench.sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST', pathIncludes: '/sessions' } });
    await createSession(deps(), org, { prompt: 'Typed twice' });
    const retried = await createSession(deps(), org, { prompt: 'Typed twice' });
    assert.equal(retried.kind, 'found');
    assert.equal(posts(bench.sandbox, '/sessions'), 1);
  });

  test('a retry that finds nothing sends once, then drops the draft', async () => {
    // The lost attempt never reached the route: nothing to find.
    bench.sandbox.faults.inject({ kind: 'drop', match: { method: 'POST', pathIncludes: '/sessions' } });
    const draft = await bench.ui.drafts.save<SessionDraft>({
      kind: 'session',
      orgId: org.orgId,
      prompt: 'Never arrived',
      lastError: 'outcomeUnknown',
      uncertainSince: bench.clock.now(),
    });
    bench.sandbox.faults.clear();
    const before = sessionsNow();
    const outcome = await createSession(
      deps(),
      org,
      { prompt: 'Never arrived' },
      {
        draftId: draft.id,
        uncertainSince: draft.uncertainSince,
      },
    );
    assert.equal(outcome.kind, 'created');
    assert.equal(sessionsNow(), before + 1);
    assert.equal(posts(bench.sandbox, '/sessions'), 1);
    assert.deepEqual(bench.ui.stored, []);
  });

  test('a failed look keeps the draft uncertain and sends nothing', async () => {
    const since = bench.clock.now();
    const draft = await bench.ui.drafts.save<SessionDraft>({
      kind: 'session',
      orgId: org.orgId,
      prompt: 'Look fails',
      lastError: 'outcomeUnknown',
      uncertainSince: since,
    });
    bench.sandbox.faults.inject({ kind: 'status', status: 500, times: Infinity, match: { method: 'GET' } });
    const outcome = await createSession(
      deps(),
      org,
      { prompt: 'Look fails' },
      { draftId: draft.id, uncertainSince: since },
    );
    assert.equal(outcome.kind, 'failed');
    assert.equal(outcome.kind === 'failed' && outcome.checkFailed, true);
    assert.equal(posts(bench.sandbox, '/sessions'), 0);
    assert.equal(bench.ui.stored[0]?.id, draft.id);
    assert.equal(bench.ui.stored[0]?.uncertainSince, since);
  });

  test('a 429 is waited out by the client and creates once', async () => {
    bench.sandbox.faults.inject({ kind: 'status', status: 429, match: { method: 'POST', pathIncludes: '/sessions' } });
    const before = sessionsNow();
    const outcome = await createSession(deps(), org, { prompt: 'Rate limited once' });
    assert.equal(outcome.kind, 'created');
    assert.equal(sessionsNow(), before + 1);
    assert.deepEqual(bench.ui.stored, []);
  });

  test('a 2xx whose answer is unreadable is found and shown; no draft', async () => {
    bench.sandbox.faults.inject({
      kind: 'malformedAfterHandler',
      match: { method: 'POST', pathIncludes: '/sessions' },
    });
    const outcome = await createSession(deps(), org, { prompt: 'Unreadable answer', title: 'Unreadable answer' });
    assert.equal(outcome.kind, 'createdButUnreadable');
    assert.equal(outcome.kind === 'createdButUnreadable' && outcome.session?.title, 'Unreadable answer');
    assert.deepEqual(bench.ui.stored, []);
  });

  test('cancelled before it was sent: nothing created, nothing kept', async () => {
    bench.ui.cancelNext = true;
    const before = sessionsNow();
    const outcome = await createSession(deps(), org, { prompt: 'Cancelled prompt' });
    assert.equal(outcome.kind, 'cancelled');
    assert.equal(sessionsNow(), before);
    assert.equal(posts(bench.sandbox, '/sessions'), 0);
    assert.deepEqual(bench.ui.stored, []);
  });

  test('an organization that could not be chosen still keeps the prompt', async () => {
    const outcome = await keepUnsentSession(
      bench.ui,
      undefined,
      { prompt: 'No organization' },
      {},
      new Error('offline'),
    );
    assert.equal(outcome.kind, 'failed');
    assert.equal(bench.ui.stored[0]?.kind === 'session' && bench.ui.stored[0].prompt, 'No organization');
    assert.equal(bench.sandbox.requests.length, 0);
  });
});
