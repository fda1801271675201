import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { type DevinClient } from '../../src/api/client';
import { describeFreshness } from '../../src/store/freshness';
import { SessionPoller, clampRefreshSeconds } from '../../src/store/sessionPoller';
import { type SessionStore, type SessionsChange } from '../../src/store/sessionStore';
import { FakeClock } from '../fakeClock';
import { storeOnSandbox } from './storeFixture';
import { apiClient } from '../sandbox/client';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, startSandbox, type RecordedRequest, type Sandbox } from '../sandbox/server';

/**
 * The poller core against the sandbox over loopback HTTP, on a fake clock shared by both: what it asks for,
 * what it merges, how it backs off, and that the store keeps its rows while the API is away.
 */

const clock = new FakeClock();
let sandbox: Sandbox;

function storeFor(
  token: string,
  configuredOrgId?: string,
  apiVersion: 'v3' | 'v3beta1' = 'v3',
): { store: SessionStore; client: DevinClient } {
  return storeOnSandbox(sandbox, clock.now, { token, configuredOrgId, apiVersion });
}

const pollers: SessionPoller[] = [];

function track(poller: SessionPoller): SessionPoller {
  pollers.push(poller);
  return poller;
}

async function nextTick(poller: SessionPoller): Promise<void> {
  const at = clock.nextTimerAt();
  assert.ok(at !== undefined, 'a tick is scheduled');
  clock.advance(at - clock.now());
  await poller.whenIdle();
}

function sessionRequests(since: number): RecordedRequest[] {
  return sandbox.requests.slice(since).filter((request) => request.path.includes('sessions'));
}

describe('session poller', () => {
  before(async () => {
    sandbox = await startSandbox({ now: clock.now });
  });
  after(() => sandbox.close());
  beforeEach(() => sandbox.reset());
  afterEach(() => {
    for (const poller of pollers.splice(0)) poller.dispose();
  });

  it('enterprise token: one request per tick with updated_after, nothing fired when nothing changed', async () => {
    const { store, client } = storeFor(SANDBOX_TOKENS.enterpriseAdmin);
    await store.loadOrganizations();
    const poller = track(new SessionPoller(store, () => client, clock));
    const events: SessionsChange[] = [];
    store.onDidChangeSessions((change) => events.push(change));
    poller.setIntervalSeconds(30);

    let mark = sandbox.requests.length;
    await nextTick(poller);
    const baseline = sessionRequests(mark);
    assert.deepEqual(
      baseline.map((request) => [request.path, request.query.updated_after]),
      [['/v3/enterprise/sessions', undefined]],
      'the first tick reads the newest sessions as a baseline',
    );
    assert.ok(
      events.every((change) => change.cause === 'load'),
      'the baseline is not news',
    );
    const known = store.knownSessions().length;
    assert.ok(known > 0);

    events.length = 0;
    for (let tick = 0; tick < 5; tick++) {
      mark = sandbox.requests.length;
      await nextTick(poller);
      const requests = sessionRequests(mark);
      assert.equal(requests.length, 1, 'one request per tick');
      assert.equal(requests[0]?.path, '/v3/enterprise/sessions');
      assert.match(String(requests[0]?.query.updated_after), /^\d+$/);
      assert.ok((requests[0]?.responseBytes ?? Infinity) < 2048, 'an idle tick costs under 2 KB');
    }
    assert.deepEqual(events, [], 'no change event (and so no redraw) while nothing changed');
    assert.equal(store.knownSessions().length, known);
  });

  it('v3beta1: the same one request per tick, in the specification shapes', async () => {
    const { store, client } = storeFor(SANDBOX_TOKENS.enterpriseAdmin, undefined, 'v3beta1');
    const organizations = await store.loadOrganizations();
    assert.ok(organizations.length >= 4, 'organizations from the `organizations[].id` shape');
    const poller = track(new SessionPoller(store, () => client, clock));
    poller.setIntervalSeconds(30);
    await nextTick(poller);
    const mark = sandbox.requests.length;
    await nextTick(poller);
    const requests = sessionRequests(mark);
    assert.deepEqual(
      requests.map((request) => request.path),
      ['/v3beta1/enterprise/sessions'],
    );
    assert.ok(store.knownSessions().every((session) => session.id.startsWith('devin-') && session.orgId));
  });

  it('a status change on the server fires statusChanged with the previous session, within one tick', async () => {
    const { store, client } = storeFor(SANDBOX_TOKENS.enterpriseAdmin);
    await store.loadOrganizations();
    const poller = track(new SessionPoller(store, () => client, clock));
    poller.setIntervalSeconds(30);
    await nextTick(poller);
    const target = store
      .knownSessions()
      .find((session) => session.status === 'running' && session.statusDetail === 'working');
    assert.ok(target, 'a working session is in the baseline');
    clock.advance(5000);
    const control = apiClient(sandbox.baseUrl, undefined);
    const steered = await control.post(`/_sandbox/sessions/${target.id}/status`, {
      status: 'running',
      status_detail: 'waiting_for_user',
      message: 'Which branch should I use?',
    });
    assert.equal(steered.status, 200);
    const changes: SessionsChange[] = [];
    store.onDidChangeSessions((change) => changes.push(change));
    await nextTick(poller);
    const change = changes.find((candidate) => candidate.statusChanged.length > 0);
    assert.ok(change, 'the next tick notices the change');
    assert.equal(change.cause, 'poll');
    assert.equal(change.orgId, target.orgId);
    assert.equal(change.statusChanged[0]?.session.statusDetail, 'waiting_for_user');
    assert.equal(change.statusChanged[0]?.previous.statusDetail, target.statusDetail);
    assert.equal(store.session(target.id)?.statusDetail, 'waiting_for_user');
  });

  it('falls back to one request per organization when the enterprise list answers 403, and stays there', async () => {
    const { store, client } = storeFor(SANDBOX_TOKENS.enterpriseAdmin);
    const organizations = await store.loadOrganizations();
    const poller = track(new SessionPoller(store, () => client, clock));
    sandbox.faults.inject({
      kind: 'status',
      status: 403,
      times: Infinity,
      match: { pathIncludes: '/enterprise/sessions' },
    });
    poller.setIntervalSeconds(30);
    let mark = sandbox.requests.length;
    await nextTick(poller);
    const first = sessionRequests(mark);
    assert.equal(first[0]?.path, '/v3/enterprise/sessions');
    assert.equal(first.length, 1 + organizations.length);
    mark = sandbox.requests.length;
    await nextTick(poller);
    const second = sessionRequests(mark);
    assert.equal(second.length, organizations.length, 'one per organization, the enterprise list not tried again');
    assert.ok(second.every((request) => /^\/v3\/organizations\/[^/]+\/sessions$/.test(request.path)));
    assert.ok(second.every((request) => /^\d+$/.test(String(request.query.updated_after))));
    assert.equal(poller.consecutiveFailures, 0);
  });

  it('an organization-scoped token asks its one organization, never the enterprise list', async () => {
    const { store, client } = storeFor(SANDBOX_TOKENS.orgServiceUser);
    await store.loadOrganizations();
    assert.equal(store.scope, 'organization');
    const poller = track(new SessionPoller(store, () => client, clock));
    poller.setIntervalSeconds(30);
    const mark = sandbox.requests.length;
    await nextTick(poller);
    await nextTick(poller);
    const requests = sessionRequests(mark);
    assert.deepEqual(
      requests.map((request) => request.path),
      [`/v3/organizations/${SANDBOX_ORG_IDS.acme}/sessions`, `/v3/organizations/${SANDBOX_ORG_IDS.acme}/sessions`],
    );
  });

  it('offline: the rows stay, the view can say how old they are, and the next good tick clears it', async () => {
    const { store, client } = storeFor(SANDBOX_TOKENS.enterpriseAdmin);
    await store.loadOrganizations();
    await store.loadFirstPage(SANDBOX_ORG_IDS.acme);
    const poller = track(new SessionPoller(store, () => client, clock));
    poller.setIntervalSeconds(30);
    await nextTick(poller);
    const rows = store.sessionsOf(SANDBOX_ORG_IDS.acme)?.sessions.length;
    const known = store.knownSessions().length;
    sandbox.faults.inject({ kind: 'drop', times: Infinity });
    await nextTick(poller);
    assert.equal(store.freshness.problem?.kind, 'offline');
    assert.equal(store.sessionsOf(SANDBOX_ORG_IDS.acme)?.sessions.length, rows, 'the page is kept');
    assert.equal(store.knownSessions().length, known);
    assert.equal(store.viewState, 'ready');
    assert.match(describeFreshness(store.freshness, clock.now() + 4 * 60_000) ?? '', /^Updated 5 min ago — offline/);
    sandbox.faults.clear();
    await nextTick(poller);
    assert.equal(store.freshness.problem, undefined);
    assert.equal(describeFreshness(store.freshness, clock.now()), undefined);
  });

  it('failures are counted in every state and stretch the interval; a long Retry-After is waited out', async () => {
    const { store, client } = storeFor(SANDBOX_TOKENS.enterpriseAdmin);
    // The organizations never loaded: the poller's tick is what retries them, and its failures count too.
    sandbox.faults.inject({ kind: 'status', status: 503, times: Infinity });
    const poller = track(new SessionPoller(store, () => client, clock));
    poller.setIntervalSeconds(30);
    const started = clock.now();
    const tickTimes: number[] = [];
    while (clock.now() - started < 30 * 60_000) {
      await nextTick(poller);
      tickTimes.push(clock.now() - started);
    }
    assert.equal(store.viewState, 'unreachable');
    const gaps = tickTimes.slice(1).map((at, index) => at - (tickTimes[index] as number));
    assert.deepEqual(
      gaps.slice(0, 5),
      [60_000, 120_000, 240_000, 480_000, 900_000],
      'the interval doubles from 30 s up to 15 min',
    );
    assert.ok(tickTimes.length <= 7, `${tickTimes.length} ticks in 30 min of errors instead of 60`);
    assert.equal(poller.consecutiveFailures, tickTimes.length);

    sandbox.faults.clear();
    await nextTick(poller);
    assert.equal(poller.consecutiveFailures, 0);
    assert.equal(store.viewState, 'ready', 'a good tick loads what the failed ones could not');

    sandbox.faults.inject({ kind: 'status', status: 429, retryAfterSeconds: 600, times: Infinity });
    await nextTick(poller);
    assert.equal(store.freshness.problem?.kind, 'rateLimited', 'rate limiting is said as such');
    assert.ok((poller.nextTickAt ?? 0) - clock.now() >= 600_000, 'no request before Retry-After has passed');
  });

  it('ticks never overlap, 0 stops polling, and the intervals are clamped', async () => {
    const { store, client } = storeFor(SANDBOX_TOKENS.enterpriseAdmin);
    await store.loadOrganizations();
    const poller = track(new SessionPoller(store, () => client, clock));
    const mark = sandbox.requests.length;
    const [a, b] = [poller.tick(), poller.tick()];
    assert.equal(a, b, 'a second tick joins the one in flight');
    await a;
    assert.equal(sessionRequests(mark).length, 1);
    poller.setIntervalSeconds(30);
    assert.ok(poller.nextTickAt !== undefined);
    poller.setIntervalSeconds(0);
    assert.equal(poller.nextTickAt, undefined);
    assert.equal(clock.nextTimerAt(), undefined, 'no timer left behind');
    assert.equal(clampRefreshSeconds(0.001, 30, 15), 15);
    assert.equal(clampRefreshSeconds(0, 30, 15), 0);
    assert.equal(clampRefreshSeconds(45, 30, 15), 45);
    assert.equal(clampRefreshSeconds(-3, 30, 15), 30);
    assert.equal(clampRefreshSeconds(Number.NaN, 120, 60), 120);
    assert.equal(clampRefreshSeconds(10, 120, 60), 60);
  });
});
