import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toSession } from '../../src/api/mappers';
import type { SessionWire } from '../../src/api/schemas';
import type { Organization, Page, Session } from '../../src/core/models';
import { SessionStore, type SessionsChange } from '../../src/store/sessionStore';
import { sessionFixture } from './sessionFixture';

/**
 * Rows merged from several answers (pages of a list, two fields of one answer, two organizations' lists)
 * are each one row: VS Code refuses a tree with two items of the same id, and a session listed under two
 * organizations is a lie about one of them.
 */

function organization(id: string, name: string): Organization {
  return { id, name, createdAt: undefined, maxCycleAcuLimit: undefined, maxSessionAcuLimit: undefined };
}

function session(n: number, orgId: string, overrides: Partial<Session> = {}): Session {
  return sessionFixture({
    id: `devin-${n}`,
    orgId,
    title: `Session ${n}`,
    createdAt: 1000 + n,
    updatedAt: 1000 + n,
    ...overrides,
  });
}

function storeOver(
  organizationPages: Record<string, Page<Organization>>,
  sessionPages: Record<string, Page<Session>>,
): SessionStore {
  return new SessionStore({
    isSignedIn: async () => true,
    getIdentity: async () => ({ kind: 'service_user', id: 'u', name: 'u', orgId: undefined, role: undefined }),
    getClient: () => ({
      listOrganizations: async ({ after } = {}) => {
        const page = organizationPages[after ?? 'first'];
        assert.ok(page, `a page for cursor ${after}`);
        return page;
      },
      listSessions: async (orgId, { after } = {}) => {
        const page = sessionPages[`${orgId}/${after ?? 'first'}`];
        assert.ok(page, `a page of ${orgId} for cursor ${after}`);
        return page;
      },
    }),
    configuredOrgId: () => undefined,
    pageSize: () => 3,
  });
}

test('an organization repeated across two pages of the list is listed once', async () => {
  const store = storeOver(
    {
      first: { items: [organization('org-a', 'Alpha'), organization('org-b', 'Beta')], nextCursor: 'c1', total: 3 },
      // A list that changed while it was paged hands a row of the first page back on the second.
      c1: { items: [organization('org-b', 'Beta'), organization('org-c', 'Gamma')], nextCursor: undefined, total: 3 },
    },
    {},
  );
  const organizations = await store.loadOrganizations();
  assert.deepEqual(
    organizations.map((org) => org.id),
    ['org-a', 'org-b', 'org-c'],
  );
  assert.deepEqual(
    store.knownOrganizations().map((org) => org.id),
    ['org-a', 'org-b', 'org-c'],
  );
});

test('a session repeated across two pages of an organization is one row', async () => {
  const store = storeOver(
    { first: { items: [organization('org-a', 'Alpha')], nextCursor: undefined, total: 1 } },
    {
      'org-a/first': {
        items: [session(9, 'org-a'), session(8, 'org-a'), session(7, 'org-a')],
        nextCursor: 'p2',
        total: 5,
      },
      'org-a/p2': {
        items: [session(7, 'org-a'), session(6, 'org-a'), session(5, 'org-a')],
        nextCursor: undefined,
        total: 5,
      },
    },
  );
  await store.loadOrganizations();
  await store.loadFirstPage('org-a');
  await store.loadMore('org-a');
  assert.deepEqual(
    store.sessionsOf('org-a')?.sessions.map((row) => row.id),
    ['devin-9', 'devin-8', 'devin-7', 'devin-6', 'devin-5'],
  );
});

test('a pull request named in both pull_requests and pull_request is one pull request', () => {
  const url = 'https://github.com/acme/api/pull/7';
  const wire = {
    session_id: 'devin-1',
    status: 'running',
    pull_requests: [{ pr_url: url, pr_state: 'open' }, { pr_url: 'https://github.com/acme/web/pull/2' }],
    pull_request: { url, state: 'open' },
  } as SessionWire;
  assert.deepEqual(toSession(wire, 'org-a').pullRequests, [
    { url, state: 'open' },
    { url: 'https://github.com/acme/web/pull/2', state: undefined },
  ]);
  const stateOnlyInTheOlderField = {
    session_id: 'devin-2',
    pull_requests: [{ pr_url: url }],
    pull_request: { pr_url: url, pr_state: 'merged' },
  } as SessionWire;
  assert.deepEqual(toSession(stateOnlyInTheOlderField, 'org-a').pullRequests, [{ url, state: 'merged' }]);
});

test('a session the API now reports under another organization moves there', async () => {
  const store = storeOver(
    {
      first: {
        items: [organization('org-a', 'Alpha'), organization('org-b', 'Beta')],
        nextCursor: undefined,
        total: 2,
      },
    },
    {
      'org-a/first': { items: [session(9, 'org-a'), session(8, 'org-a')], nextCursor: undefined, total: 2 },
      'org-b/first': { items: [session(7, 'org-b')], nextCursor: undefined, total: 1 },
    },
  );
  await store.loadOrganizations();
  await store.loadFirstPage('org-a');
  await store.loadFirstPage('org-b');
  const events: SessionsChange[] = [];
  store.onDidChangeSessions((change) => events.push(change));

  store.merge([session(8, 'org-b', { updatedAt: 2000 })]);

  assert.deepEqual(
    store.sessionsOf('org-a')?.sessions.map((row) => row.id),
    ['devin-9'],
    'gone from the organization it left',
  );
  assert.equal(store.sessionsOf('org-a')?.total, 1);
  assert.deepEqual(
    store.sessionsOf('org-b')?.sessions.map((row) => row.id),
    ['devin-8', 'devin-7'],
  );
  assert.equal(store.sessionsOf('org-b')?.total, 2);
  assert.equal(store.session('devin-8')?.orgId, 'org-b');
  assert.ok(
    events.some((change) => change.orgId === 'org-a'),
    'the organization it left is told, so its rows are drawn again',
  );
});
