import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { broadcastPrompt } from '../../src/actions/broadcast';
import type { SessionDraft } from '../../src/core/drafts';
import type { Session } from '../../src/core/models';
import { SendGuard, sendKey } from '../../src/core/sendGuard';
import { SANDBOX_ORG_IDS } from '../sandbox/server';
import { actionsOnSandbox, posts, sandboxClient } from './actionsFixture';

/** One prompt to every organization against the sandbox: one create each, and what is kept when one fails. */

const organizations = [
  { orgId: SANDBOX_ORG_IDS.acme, name: 'Acme' },
  { orgId: SANDBOX_ORG_IDS.globex, name: 'Globex' },
  { orgId: SANDBOX_ORG_IDS.empty, name: 'Empty' },
];
const bench = actionsOnSandbox();
let added: Session[];
let refreshed: (string | undefined)[];

beforeEach(() => {
  added = [];
  refreshed = [];
});

function deps(token?: 'member') {
  return {
    client: sandboxClient(bench.sandbox, { token }),
    ui: bench.ui,
    store: {
      addOrUpdateSession: (session: Session) => void added.push(session),
      refresh: (orgId?: string) => void refreshed.push(orgId),
    },
  };
}

describe('broadcastPrompt', () => {
  test('one session in each organization, rows in the order given, nothing kept', async () => {
    const result = await broadcastPrompt(deps(), organizations, 'Update the README');
    assert.equal(result.created, 3);
    assert.equal(posts(bench.sandbox, '/sessions'), 3);
    assert.deepEqual(
      result.rows.map((row) => [row.organizationId, row.result, row.kept]),
      organizations.map((organization) => [organization.orgId, 'created', false]),
    );
    assert.equal(added.length, 3);
    assert.deepEqual(bench.ui.shown[0]?.title, 'Starting Devin sessions…');
    assert.deepEqual(bench.ui.shown[0]?.reports, ['1 of 3', '2 of 3', '3 of 3']);
    assert.deepEqual(bench.ui.stored, []);
  });

  test('a 403 names the permission and is not kept: a retry cannot fix it', async () => {
    bench.sandbox.faults.inject({
      kind: 'status',
      status: 403,
      match: { method: 'POST', pathIncludes: `${SANDBOX_ORG_IDS.globex}/sessions` },
    });
    const result = await broadcastPrompt(deps(), organizations, 'Refused in one');
    assert.equal(result.created, 2);
    assert.equal(result.failed, 1);
    const refused = result.rows.find((row) => row.organizationId === SANDBOX_ORG_IDS.globex);
    assert.match(refused?.reason ?? '', /ManageOrgSessions/);
    assert.equal(refused?.kept, false);
    assert.deepEqual(bench.ui.stored, []);
  });

  test('a lost answer keeps an uncertain draft that Retry Unsent looks for first, and creates nothing more', async () => {
    bench.sandbox.faults.inject({
      kind: 'dropAfterHandler',
      match: { method: 'POST', pathIncludes: `${SANDBOX_ORG_IDS.acme}/sessions` },
    });
    const started = bench.clock.now();
    const result = await broadcastPrompt(deps(), organizations, 'Lost in one');
    assert.equal(result.uncertain, 1);
    const [draft] = bench.ui.stored as SessionDraft[];
    assert.equal(draft?.orgId, SANDBOX_ORG_IDS.acme);
    assert.equal(draft?.prompt, 'Lost in one');
    assert.equal(draft?.lastError, 'outcomeUnknown');
    assert.equal(draft?.uncertainSince, started);
    assert.equal(result.rows[0]?.kept, true);
    assert.equal(posts(bench.sandbox, '/sessions'), 3, 'each organization was sent to once');
  });

  test('a rejected token asks for sign-in', async () => {
    bench.sandbox.faults.inject({ kind: 'status', status: 401, times: Infinity, match: { method: 'POST' } });
    const result = await broadcastPrompt(deps(), organizations.slice(0, 1), 'Signed out');
    assert.equal(result.signInNeeded, true);
    assert.equal(result.created, 0);
  });

  test('a 2xx whose answer is unreadable counts as created and refreshes that organization', async () => {
    bench.sandbox.faults.inject({
      kind: 'malformedAfterHandler',
      match: { method: 'POST', pathIncludes: `${SANDBOX_ORG_IDS.acme}/sessions` },
    });
    const result = await broadcastPrompt(deps(), organizations, 'Unreadable in one');
    assert.equal(result.created, 3);
    assert.deepEqual(refreshed, [SANDBOX_ORG_IDS.acme]);
    assert.deepEqual(bench.ui.stored, []);
  });

  test('the same prompt pressed twice at once starts one set of sessions', async () => {
    const guard = new SendGuard();
    const send = () => broadcastPrompt(deps(), organizations, 'Pressed twice');
    const [first, second] = await Promise.all([
      guard.run(sendKey('broadcast', 'Pressed twice'), send, () => 'alreadySending' as const),
      guard.run(sendKey('broadcast', 'Pressed twice'), send, () => 'alreadySending' as const),
    ]);
    assert.equal(first !== 'alreadySending' && first.created, 3);
    assert.equal(second, 'alreadySending');
    assert.equal(posts(bench.sandbox, '/sessions'), 3);
  });
});
