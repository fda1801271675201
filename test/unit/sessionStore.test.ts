import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page, Session } from '../../src/core/models';
import { newsIn, summarizeNews } from '../../src/store/sessionNews';
import { SessionStore, type SessionsChange } from '../../src/store/sessionStore';
import { sessionFixture } from './sessionFixture';

/** The store's bookkeeping and what counts as news, without a network. */

const ORG = 'org-1';

function session(n: number, overrides: Partial<Session> = {}): Session {
  return sessionFixture({
    id: `devin-${n}`,
    orgId: ORG,
    title: `Session ${n}`,
    createdAt: 1000 + n,
    updatedAt: 1000 + n,
    acusConsumed: 1,
    origin: undefined,
    ...overrides,
  });
}

/** A store whose first page of `org-1` holds sessions 10..6 with more behind a cursor. */
async function storeWithPage(): Promise<{ store: SessionStore; events: SessionsChange[] }> {
  const firstPage: Page<Session> = {
    items: [10, 9, 8, 7, 6].map((n) => session(n)),
    nextCursor: 'cursor-1',
    total: 10,
  };
  const store = new SessionStore({
    isSignedIn: async () => true,
    getIdentity: async () => ({ kind: 'service_user', id: 'u', name: 'u', orgId: ORG, role: undefined }),
    getClient: () => ({
      listOrganizations: async () => ({ items: [], nextCursor: undefined, total: 0 }),
      listSessions: async () => firstPage,
    }),
    configuredOrgId: () => undefined,
    pageSize: () => 5,
  });
  await store.loadOrganizations();
  await store.loadFirstPage(ORG);
  const events: SessionsChange[] = [];
  store.onDidChangeSessions((change) => events.push(change));
  return { store, events };
}

test('merging sessions that did not change fires nothing', async () => {
  const { store, events } = await storeWithPage();
  store.merge([session(10), session(7)]);
  assert.deepEqual(events, []);
});

test('a changed status fires once for its organization with the previous session', async () => {
  const { store, events } = await storeWithPage();
  const waiting = session(8, { statusDetail: 'waiting_for_user', updatedAt: 2000 });
  store.merge([session(10), waiting, session(9, { acusConsumed: 2 })]);
  assert.equal(events.length, 1);
  const [change] = events;
  assert.equal(change?.cause, 'poll');
  assert.deepEqual(
    change?.changed.map((s) => s.id),
    ['devin-8', 'devin-9'],
  );
  assert.deepEqual(
    change?.statusChanged.map(({ session: now, previous }) => [now.statusDetail, previous.statusDetail]),
    [['waiting_for_user', 'working']],
  );
  assert.equal(store.sessionsOf(ORG)?.sessions.find((s) => s.id === 'devin-8')?.statusDetail, 'waiting_for_user');
});

test('a new session joins the loaded page only where it belongs; older ones wait for Load more', async () => {
  const { store } = await storeWithPage();
  store.merge([session(11), session(2)]);
  assert.deepEqual(
    store.sessionsOf(ORG)?.sessions.map((s) => s.id),
    ['devin-11', 'devin-10', 'devin-9', 'devin-8', 'devin-7', 'devin-6'],
  );
  assert.ok(store.session('devin-2'), 'still known, for counts and panels');
  store.addOrUpdateSession(session(12), 'Fix the login test');
  assert.equal(store.sessionsOf(ORG)?.sessions[0]?.id, 'devin-12');
  assert.equal(store.sessionsOf(ORG)?.total, 11, 'a session created here counts once');
  assert.equal(store.promptHint('devin-12'), 'Fix the login test');
});

test('a full reload drops everything and counts a generation', async () => {
  const { store } = await storeWithPage();
  const generation = store.generation;
  store.watch('12');
  store.refresh();
  assert.equal(store.generation, generation + 1);
  assert.equal(store.knownSessions().length, 0);
  assert.equal(store.sessionsOf(ORG), undefined);
  assert.ok(store.isWatched('devin-12'), 'watching survives: it is about this window, not the data');
});

test('news: only what a poll found, filtered by the notification level', () => {
  const working = session(1);
  const waiting = session(1, { statusDetail: 'waiting_for_user' });
  const finished = session(2, { statusDetail: 'finished' });
  const change = (cause: SessionsChange['cause']): SessionsChange => ({
    orgId: ORG,
    cause,
    changed: [waiting, finished],
    added: [],
    updated: [
      { session: waiting, previous: working },
      { session: finished, previous: session(2) },
    ],
    statusChanged: [],
  });
  assert.deepEqual(newsIn(change('load'), 'all'), [], 'what was true at start-up is not news');
  assert.deepEqual(newsIn(change('poll'), 'off'), []);
  assert.deepEqual(
    newsIn(change('poll'), 'waiting').map((item) => item.kind),
    ['waiting'],
  );
  assert.deepEqual(
    newsIn(change('poll'), 'all').map((item) => item.kind),
    ['waiting', 'finished'],
  );
  const withPr = session(3, { pullRequests: [{ url: 'https://github.com/a/b/pull/1', state: 'open' }] });
  assert.deepEqual(
    newsIn({ ...change('poll'), updated: [{ session: withPr, previous: session(3) }] }, 'all').map((i) => i.kind),
    ['pullRequest'],
  );
  assert.equal(
    summarizeNews([
      { kind: 'waiting', session: waiting },
      { kind: 'waiting', session: session(4) },
      { kind: 'waiting', session: session(5) },
    ]),
    '3 Devin sessions need you',
  );
  assert.equal(
    summarizeNews([
      { kind: 'waiting', session: waiting },
      { kind: 'finished', session: finished },
    ]),
    '2 Devin sessions changed: 1 waiting for you, 1 finished',
  );
});
