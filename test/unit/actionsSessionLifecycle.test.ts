import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import {
  archiveSession,
  hasEnded,
  replaceSessionTags,
  stopSession,
  MAX_SESSION_TAGS,
} from '../../src/actions/sessionLifecycle';
import type { SessionRef } from '../../src/core/models';
import { SANDBOX_ORG_IDS } from '../sandbox/server';
import { actionsOnSandbox, sandboxClient } from './actionsFixture';

/** Archive, stop and retag against the sandbox over loopback: the request each makes, and what a failure says. */

const orgId = SANDBOX_ORG_IDS.acme;
const bench = actionsOnSandbox();
let session: SessionRef;

beforeEach(async () => {
  const created = await sandboxClient(bench.sandbox).createSession(orgId, { prompt: 'Lifecycle subject' });
  session = { orgId, sessionId: created.id, label: 'Lifecycle subject' };
  bench.sandbox.requests.length = 0;
});

function deps(token?: 'orgViewer') {
  return { client: sandboxClient(bench.sandbox, { token }), ui: bench.ui };
}

function requests(method: string, pathEnd: string): number {
  return bench.sandbox.requests.filter((request) => request.method === method && request.path.endsWith(pathEnd)).length;
}

describe('session lifecycle actions', () => {
  test('archive: one POST …/archive, the archived session back, shown in the status bar', async () => {
    const outcome = await archiveSession(deps(), session);
    assert.equal(outcome.kind, 'done');
    assert.equal(outcome.kind === 'done' && outcome.session.id, session.sessionId);
    assert.equal(outcome.kind === 'done' && outcome.session.isArchived, true);
    assert.equal(requests('POST', `${session.sessionId}/archive`), 1);
    assert.deepEqual(
      bench.ui.shown.map((shown) => shown.title),
      ['Devin: Lifecycle subject…'],
    );
  });

  test('stop: one DELETE with archive when asked; the session has ended', async () => {
    const outcome = await stopSession(deps(), session, { archive: true });
    assert.equal(outcome.kind, 'done');
    assert.equal(outcome.kind === 'done' && hasEnded(outcome.session), true);
    const sent = bench.sandbox.requests.filter((request) => request.method === 'DELETE');
    assert.equal(sent.length, 1);
    assert.match(sent[0]?.path ?? '', new RegExp(`${session.sessionId}$`));
  });

  test('tags: trimmed, without repeats, sent once; the row keeps the rest of the session', async () => {
    const known = await sandboxClient(bench.sandbox).getSession(orgId, session.sessionId);
    bench.sandbox.requests.length = 0;
    const outcome = await replaceSessionTags(deps(), session, [' ci ', 'ci', '', 'flaky'], known);
    assert.equal(outcome.kind, 'done');
    assert.deepEqual(outcome.kind === 'done' && outcome.session.tags, ['ci', 'flaky']);
    assert.equal(outcome.kind === 'done' && outcome.session.id, known.id);
    assert.equal(requests('PUT', '/tags'), 1);
    assert.equal(requests('GET', session.sessionId), 0, 'the session as last seen is the base');
  });

  test('more tags than a session can carry: nothing is sent', async () => {
    const many = Array.from({ length: MAX_SESSION_TAGS + 1 }, (_, index) => `tag-${index}`);
    const outcome = await replaceSessionTags(deps(), session, many, undefined);
    assert.equal(outcome.kind, 'tooMany');
    assert.equal(
      outcome.kind === 'tooMany' && outcome.message,
      `A session can have at most 50 tags; you chose 51. Nothing was changed.`,
    );
    assert.equal(bench.sandbox.requests.length, 0);
  });

  test('a 403 names the permission the token lacks; nothing changes', async () => {
    for (const run of [
      () => archiveSession(deps('orgViewer'), session),
      () => stopSession(deps('orgViewer'), session, { archive: false }),
      () => replaceSessionTags(deps('orgViewer'), session, ['x'], undefined),
    ]) {
      const outcome = await run();
      assert.equal(outcome.kind, 'failed');
      assert.match(outcome.kind === 'failed' ? String((outcome.error as Error).message) : '', /ManageOrgSessions/);
    }
    const now = await sandboxClient(bench.sandbox).getSession(orgId, session.sessionId);
    assert.equal(hasEnded(now), false);
    assert.deepEqual(now.tags, []);
  });

  test('a session Devin no longer has is reported as vanished', async () => {
    const outcome = await archiveSession(deps(), { orgId, sessionId: 'devin-0000000000000000000000000000dead' });
    assert.equal(outcome.kind, 'vanished');
  });

  test('a lost answer is a failure; doing it again archives the same session, nothing more', async () => {
    bench.sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST', pathIncludes: '/archive' } });
    const first = await archiveSession(deps(), session);
    assert.equal(first.kind, 'failed');
    const again = await archiveSession(deps(), session);
    assert.equal(again.kind, 'done');
    assert.equal(again.kind === 'done' && again.session.isArchived, true);
    assert.equal(bench.sandbox.inventory().sessionsByOrg[orgId] !== undefined, true);
  });
});
