import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { type DevinClient } from '../../src/api/client';
import type { Session } from '../../src/core/models';
import { newsIn, type SessionNews } from '../../src/store/sessionNews';
import { SessionPoller } from '../../src/store/sessionPoller';
import { type SessionStore } from '../../src/store/sessionStore';
import { FakeClock } from '../fakeClock';
import { storeOnSandbox } from './storeFixture';
import { apiClient } from '../sandbox/client';
import { SANDBOX_ORG_IDS, startSandbox, type RecordedRequest, type Sandbox } from '../sandbox/server';

/**
 * Where the poller asks for changes from (`updated_after`), against the sandbox on a fake clock. The sandbox's
 * own clock can be pushed ahead or back for one write, as a writer with a wrong clock would stamp a session.
 */

const clock = new FakeClock();
const YEAR_MS = 365 * 24 * 3600_000;
let serverSkewMs = 0;
const serverNow = () => clock.now() + serverSkewMs;
let withDate: Sandbox;
let withoutDate: Sandbox;

function storeFor(sandbox: Sandbox): { store: SessionStore; client: DevinClient } {
  return storeOnSandbox(sandbox, clock.now);
}

const pollers: SessionPoller[] = [];

async function nextTick(poller: SessionPoller): Promise<void> {
  const at = clock.nextTimerAt();
  assert.ok(at !== undefined, 'a tick is scheduled');
  clock.advance(at - clock.now());
  await poller.whenIdle();
}

function listRequests(sandbox: Sandbox, since: number): RecordedRequest[] {
  return sandbox.requests.slice(since).filter((request) => request.path === '/v3/enterprise/sessions');
}

/** Moves a session to "waiting for you", stamped by the sandbox's clock shifted by `skewMs`. */
async function steer(sandbox: Sandbox, session: Session, skewMs = 0): Promise<void> {
  serverSkewMs = skewMs;
  try {
    const reply = await apiClient(sandbox.baseUrl, undefined).post(`/_sandbox/sessions/${session.id}/status`, {
      status: 'running',
      status_detail: 'waiting_for_user',
    });
    assert.equal(reply.status, 200, reply.text);
  } finally {
    serverSkewMs = 0;
  }
}

/** A poller over `sandbox` after its baseline tick, with every piece of news it raises collected. */
async function pollerAfterBaseline(
  sandbox: Sandbox,
): Promise<{ store: SessionStore; poller: SessionPoller; news: SessionNews[]; working: Session[] }> {
  const { store, client } = storeFor(sandbox);
  await store.loadOrganizations();
  const poller = new SessionPoller(store, () => client, clock);
  pollers.push(poller);
  const news: SessionNews[] = [];
  store.onDidChangeSessions((change) => news.push(...newsIn(change, 'all')));
  poller.setIntervalSeconds(30);
  await nextTick(poller);
  const working = store
    .knownSessions()
    .filter((session) => session.status === 'running' && session.statusDetail === 'working');
  assert.ok(working.length >= 2, 'working sessions in the baseline');
  return { store, poller, news, working };
}

function newsOf(news: readonly SessionNews[], sessionId: string): number {
  return news.filter((item) => item.session.id === sessionId).length;
}

describe('poll watermark', () => {
  before(async () => {
    withDate = await startSandbox({ now: serverNow });
    withoutDate = await startSandbox({ now: serverNow, dateHeader: false });
  });
  after(async () => {
    await withDate.close();
    await withoutDate.close();
  });
  beforeEach(() => {
    withDate.reset();
    withoutDate.reset();
  });
  afterEach(() => {
    for (const poller of pollers.splice(0)) poller.dispose();
  });

  it('a list says when the server answered, by its Date header, when it sends one', async () => {
    clock.advance(1234);
    const dated = await storeFor(withDate).client.listEnterpriseSessions({ first: 1 });
    assert.equal(dated.answeredAt, Math.floor(clock.now() / 1000) * 1000);
    const undated = await storeFor(withoutDate).client.listSessions(SANDBOX_ORG_IDS.acme, { first: 1 });
    assert.equal(undated.answeredAt, undefined);
  });

  for (const [name, sandbox] of [
    ['with the Date header', () => withDate],
    ['without a Date header', () => withoutDate],
  ] as const) {
    it(`${name}: a session dated in the future does not hide the changes made after it`, async () => {
      const { store, poller, news, working } = await pollerAfterBaseline(sandbox());
      const [future, later] = working as [Session, Session];
      await steer(sandbox(), future, YEAR_MS);
      let mark = sandbox().requests.length;
      await nextTick(poller);
      assert.equal(store.session(future.id)?.statusDetail, 'waiting_for_user');
      const nowSeconds = Math.floor(clock.now() / 1000);
      for (const request of listRequests(sandbox(), mark))
        assert.ok(Number(request.query.updated_after) <= nowSeconds, 'the watermark never passes the server time');

      clock.advance(5000);
      await steer(sandbox(), later);
      mark = sandbox().requests.length;
      await nextTick(poller);
      assert.equal(
        store.session(later.id)?.statusDetail,
        'waiting_for_user',
        'a change made after the future-dated one is seen within one tick',
      );
      for (let tick = 0; tick < 3; tick++) await nextTick(poller);
      for (const request of listRequests(sandbox(), mark))
        assert.ok(Number(request.query.updated_after) <= Math.floor(clock.now() / 1000));
      assert.equal(newsOf(news, future.id), 1, 'the future-dated session is news once');
      assert.equal(newsOf(news, later.id), 1, 'the later change is news once');
    });
  }

  it('a change in the same second as the answer is seen, and the overlap read again is not news twice', async () => {
    const { store, poller, news, working } = await pollerAfterBaseline(withDate);
    const [first, second] = working as [Session, Session];
    clock.advance(30_000);
    await steer(withDate, first);
    await poller.tick();
    // Changed a moment after the answer, within the same second the answer was dated.
    await steer(withDate, second);
    const mark = withDate.requests.length;
    for (let tick = 0; tick < 4; tick++) await nextTick(poller);
    assert.equal(store.session(second.id)?.statusDetail, 'waiting_for_user');
    assert.equal(newsOf(news, first.id), 1);
    assert.equal(newsOf(news, second.id), 1);
    assert.equal(listRequests(withDate, mark).length, 4, 'one request per tick');
  });

  it('an answer dated far in the past does not send the watermark back', async () => {
    const { poller } = await pollerAfterBaseline(withDate);
    clock.advance(30_000);
    await poller.tick();
    let mark = withDate.requests.length;
    await nextTick(poller);
    const before = Number(listRequests(withDate, mark)[0]?.query.updated_after);
    assert.ok(before > 0);
    // A server (or a proxy's cache) whose clock says 1990.
    serverSkewMs = Date.UTC(1990, 0, 1) - clock.now();
    try {
      await nextTick(poller);
    } finally {
      serverSkewMs = 0;
    }
    mark = withDate.requests.length;
    await nextTick(poller);
    const requests = listRequests(withDate, mark);
    assert.equal(requests.length, 1, 'one page, not every session since 1990');
    assert.ok(Number(requests[0]?.query.updated_after) >= before, 'the watermark only moves forward');
  });
});
