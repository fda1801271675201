import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { Session } from '../../src/core/models';
import { SessionPoller } from '../../src/store/sessionPoller';
import { type SessionStore } from '../../src/store/sessionStore';
import { sessionPanelSourceFromStore, type SessionPanelSource } from '../../src/webview/sessionPanelSource';
import { FakeClock } from '../fakeClock';
import { storeOnSandbox } from './storeFixture';
import { SANDBOX_ORG_IDS, startSandbox, type RecordedRequest, type Sandbox } from '../sandbox/server';

/**
 * What an open session panel asks the API for, through the source it reads from, against the sandbox on a
 * fake clock shared with the poller. The panel's own timer is played here: one check every 15 s, each
 * reading the session and the new messages, as the panel does.
 */

const clock = new FakeClock();
const ORG = SANDBOX_ORG_IDS.acme;
const PANEL_INTERVAL_MS = 15_000;
let sandbox: Sandbox;
const disposables: { dispose(): void }[] = [];

function setUp(): { store: SessionStore; poller: SessionPoller; source: SessionPanelSource } {
  const { store, client } = storeOnSandbox(sandbox, clock.now);
  const poller = new SessionPoller(store, () => client, clock);
  disposables.push(poller, store);
  const source = sessionPanelSourceFromStore(
    { getClient: () => client },
    store,
    { setSurfaceVisible: () => ({ dispose: () => undefined }) },
    poller,
  );
  return { store, poller, source };
}

/** A working session of the organization, opened in a panel that has loaded it. */
async function openPanel(store: SessionStore, source: SessionPanelSource): Promise<Session> {
  await store.loadOrganizations();
  await store.loadFirstPage(ORG);
  const session = store
    .sessionsOf(ORG)
    ?.sessions.find((candidate) => candidate.status === 'running' && candidate.statusDetail === 'working');
  assert.ok(session, 'a working session on the first page');
  const tracking = source.track?.(session.id);
  tracking?.setVisible(true);
  if (tracking) disposables.push(tracking);
  await source.getSession(ORG, session.id);
  await source.listMessages(ORG, session.id);
  return session;
}

/**
 * The panel's check: skipped while the source says the API is waited for, else the session and its new
 * messages together; a failure waits for the next check.
 */
async function panelCheck(source: SessionPanelSource, session: Session): Promise<void> {
  if (source.backingOff?.()) return;
  await Promise.allSettled([source.getSession(ORG, session.id), source.listMessages(ORG, session.id)]);
}

/** Moves the fake clock to `at` (firing the poller's ticks on the way) and lets them finish. */
async function moveTo(poller: SessionPoller, at: number): Promise<void> {
  for (let next = clock.nextTimerAt(); next !== undefined && next <= at; next = clock.nextTimerAt()) {
    clock.advance(next - clock.now());
    await poller.whenIdle();
  }
  clock.advance(at - clock.now());
}

function readsOf(session: Session, requests: readonly RecordedRequest[]): RecordedRequest[] {
  return requests.filter(
    (request) =>
      (request.method === 'GET' && request.path === `/v3/organizations/${ORG}/sessions/${session.id}`) ||
      (request.method === 'GET' && request.path === '/v3/enterprise/sessions'),
  );
}

describe('session panel reads', () => {
  before(async () => {
    sandbox = await startSandbox({ now: clock.now });
  });
  after(() => sandbox.close());
  beforeEach(() => sandbox.reset());
  afterEach(() => {
    for (const disposable of disposables.splice(0)) disposable.dispose();
  });

  it('a 429 with Retry-After: 600 stops the panel and the poller alike until the wait is over', async () => {
    const { store, poller, source } = setUp();
    const session = await openPanel(store, source);
    poller.setIntervalSeconds(30);
    sandbox.faults.inject({ kind: 'status', status: 429, retryAfterSeconds: 600, times: Infinity });
    const mark = sandbox.requests.length;
    const started = clock.now();
    for (let at = started + PANEL_INTERVAL_MS; at <= started + 47_000; at += PANEL_INTERVAL_MS) {
      await moveTo(poller, at);
      await panelCheck(source, session);
    }
    const sent = sandbox.requests.slice(mark);
    assert.ok(
      sent.length <= 2,
      `${sent.length} requests in 47 s: ${sent.map((request) => `${request.method} ${request.path}`).join(', ')}`,
    );
    assert.ok((poller.nextTickAt ?? 0) - started >= 600_000, 'the poller waits out the same Retry-After');
    assert.equal(store.freshness.problem?.kind, 'rateLimited', 'the view says why nothing is current');

    sandbox.faults.clear();
    // The first check met the 429.
    const waitedOut = started + PANEL_INTERVAL_MS + 600_000;
    const beforeWait = sandbox.requests.length;
    await moveTo(poller, waitedOut - 1000);
    await panelCheck(source, session);
    assert.equal(sandbox.requests.length, beforeWait, 'nothing before the wait is over');
    await moveTo(poller, waitedOut + PANEL_INTERVAL_MS);
    await panelCheck(source, session);
    assert.ok(sandbox.requests.length > beforeWait, 'reading again once the wait is over');
  });

  it('the session is read once per check between the panel and the poller, never twice', async () => {
    const { store, poller, source } = setUp();
    const session = await openPanel(store, source);
    poller.setIntervalSeconds(30);
    await poller.tick();
    const mark = sandbox.requests.length;
    const started = clock.now();
    const checks = 20;
    for (let check = 1; check <= checks; check++) {
      await moveTo(poller, started + check * PANEL_INTERVAL_MS);
      await panelCheck(source, session);
    }
    const reads = readsOf(session, sandbox.requests.slice(mark));
    assert.ok(reads.length <= checks, `${reads.length} reads of the session in ${checks} checks`);
    assert.ok(
      reads.filter((request) => request.path === '/v3/enterprise/sessions').length >= checks / 2 - 1,
      'the poller kept its own pace',
    );
  });
});
