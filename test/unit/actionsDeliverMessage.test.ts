import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { deliverMessage, keptAsDraft, messageChannel } from '../../src/actions/deliverMessage';
import type { MessageDraft } from '../../src/core/drafts';
import type { SessionRef } from '../../src/core/models';
import { SANDBOX_ORG_IDS } from '../sandbox/server';
import { actionsOnSandbox, posts, sandboxClient } from './actionsFixture';

/**
 * The deliver-message action against the sandbox over loopback, with a fake Ui and a fake clock shared with the
 * sandbox: a message arrives once whatever happens to its answer.
 */

const bench = actionsOnSandbox();
let session: SessionRef;

beforeEach(async () => {
  const created = await sandboxClient(bench.sandbox).createSession(SANDBOX_ORG_IDS.acme, {
    prompt: 'A session to talk to',
  });
  session = { orgId: created.orgId, sessionId: created.id, label: 'A session to talk to', status: created.status };
  bench.sandbox.requests.length = 0;
});

function send(text: string, retry?: { draftId: string; uncertainSince?: number }) {
  return deliverMessage(
    bench.ui,
    messageChannel(sandboxClient(bench.sandbox)),
    session,
    text,
    keptAsDraft(bench.ui, session, text, retry),
  );
}

function userMessages(): number {
  return bench.sandbox.inventory().userMessages;
}

describe('deliverMessage', () => {
  test('delivered: one POST, no draft', async () => {
    const before = userMessages();
    const outcome = await send('Please also add a test');
    assert.equal(outcome.kind, 'created');
    assert.equal(userMessages(), before + 1);
    assert.equal(posts(bench.sandbox, '/messages'), 1);
    assert.deepEqual(
      bench.ui.shown.map((shown) => shown.title),
      ['Sending message to Devin…'],
    );
    assert.deepEqual(bench.ui.stored, []);
  });

  test('a 4xx keeps the message as a draft, not uncertain', async () => {
    bench.sandbox.faults.inject({ kind: 'status', status: 422, match: { method: 'POST', pathIncludes: '/messages' } });
    const outcome = await send('Refused message');
    assert.equal(outcome.kind, 'failed');
    const [draft] = bench.ui.stored as MessageDraft[];
    assert.equal(outcome.kind === 'failed' && outcome.draftId, draft?.id);
    assert.equal(draft?.message, 'Refused message');
    assert.equal(draft?.sessionLabel, 'A session to talk to');
    assert.equal(draft?.lastError, 'validation');
    assert.equal(draft?.uncertainSince, undefined);
  });

  test('a lost answer keeps an uncertain draft', async () => {
    bench.sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST', pathIncludes: '/messages' } });
    const started = bench.clock.now();
    const outcome = await send('Lost message');
    assert.equal(outcome.kind === 'failed' && outcome.outcomeUnknown, true);
    assert.equal(bench.ui.stored[0]?.uncertainSince, started);
    assert.equal(bench.ui.stored[0]?.lastError, 'outcomeUnknown');
  });

  test('the retry finds the message the lost answer delivered and sends nothing', async () => {
    bench.sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST', pathIncludes: '/messages' } });
    await send('Delivered once');
    const afterFirst = userMessages();
    bench.clock.advance(30_000);
    const draft = bench.ui.stored[0];
    assert.ok(draft);
    const retried = await send('Delivered once', { draftId: draft.id, uncertainSince: draft.uncertainSince });
    assert.equal(retried.kind, 'found');
    assert.equal(retried.kind === 'found' && retried.message.message, 'Delivered once');
    assert.equal(userMessages(), afterFirst);
    assert.equal(posts(bench.sandbox, '/messages'), 1);
    assert.deepEqual(bench.ui.stored, []);
  });

  test('the same text typed again continues the uncertain draft', async () => {
    bench.sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST', pathIncludes: '/messages' } });
    await send('Typed again');
    const retried = await send('Typed again');
    assert.equal(retried.kind, 'found');
    assert.equal(posts(bench.sandbox, '/messages'), 1);
  });

  test('a retry that finds nothing sends once', async () => {
    const draft = await bench.ui.drafts.save<MessageDraft>({
      kind: 'message',
      orgId: session.orgId,
      sessionId: session.sessionId,
      sessionLabel: 'A session to talk to',
      message: 'Never arrived',
      lastError: 'outcomeUnknown',
      uncertainSince: bench.clock.now(),
    });
    const before = userMessages();
    const outcome = await send('Never arrived', { draftId: draft.id, uncertainSince: draft.uncertainSince });
    assert.equal(outcome.kind, 'created');
    assert.equal(userMessages(), before + 1);
    assert.equal(posts(bench.sandbox, '/messages'), 1);
    assert.deepEqual(
      bench.ui.shown.map((shown) => shown.title),
      ['Checking whether Devin already has your message…', 'Sending message to Devin…'],
    );
    assert.deepEqual(bench.ui.stored, []);
  });

  test('a reply box keeps only the lost answer, in memory, and looks first the next time', async () => {
    bench.sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST', pathIncludes: '/messages' } });
    let remembered: number | undefined;
    const replyBox = () => ({
      uncertainSince: remembered,
      keep: async ({ uncertainSince }: { uncertainSince: number | undefined }) => {
        remembered = uncertainSince;
        return undefined;
      },
      forget: async () => {
        remembered = undefined;
      },
    });
    const channel = messageChannel(sandboxClient(bench.sandbox));
    const first = await deliverMessage(bench.ui, channel, session, 'From the panel', replyBox());
    assert.equal(first.kind === 'failed' && first.outcomeUnknown, true);
    assert.equal(remembered, bench.clock.now());
    const second = await deliverMessage(bench.ui, channel, session, 'From the panel', replyBox());
    assert.equal(second.kind, 'found');
    assert.equal(remembered, undefined);
    assert.equal(posts(bench.sandbox, '/messages'), 1);
    assert.deepEqual(bench.ui.stored, [], 'the panel keeps no stored draft');
  });
});
