import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { type DevinClient } from '../../src/api/client';
import { describeOrganizationLimit } from '../../src/store/freshness';
import { SessionPoller } from '../../src/store/sessionPoller';
import { type SessionStore } from '../../src/store/sessionStore';
import { FakeClock } from '../fakeClock';
import { storeOnSandbox } from './storeFixture';
import { startSandbox, type RecordedRequest, type Sandbox } from '../sandbox/server';

/**
 * An enterprise of 5,100 organizations and a token that may not read the enterprise session list: what a tick
 * asks for, and what the view is told about the organizations beyond what the list shows.
 */

const clock = new FakeClock();
const BUDGET = 10;
let sandbox: Sandbox;
const pollers: SessionPoller[] = [];

function storeFor(): { store: SessionStore; client: DevinClient } {
  return storeOnSandbox(sandbox, clock.now);
}

async function nextTick(poller: SessionPoller): Promise<RecordedRequest[]> {
  const at = clock.nextTimerAt();
  assert.ok(at !== undefined, 'a tick is scheduled');
  const mark = sandbox.requests.length;
  clock.advance(at - clock.now());
  await poller.whenIdle();
  return sandbox.requests.slice(mark);
}

function askedOrganizations(requests: readonly RecordedRequest[]): string[] {
  return requests.flatMap((request) => /^\/v3\/organizations\/([^/]+)\/sessions$/.exec(request.path)?.[1] ?? []);
}

describe('polling 5,100 organizations without the enterprise session list', () => {
  before(async () => {
    sandbox = await startSandbox({ now: clock.now, scale: { organizations: 5100, sessionsPerOrganization: 1 } });
  });
  after(() => sandbox.close());
  afterEach(() => {
    for (const poller of pollers.splice(0)) poller.dispose();
  });

  it('a tick asks at most the budget, only organizations the user can see, rotating through them', async () => {
    const { store, client } = storeFor();
    const organizations = await store.loadOrganizations();
    assert.equal(organizations.length, 5000);
    assert.equal(store.organizationsTruncated, true, 'the store knows the list was cut');
    assert.equal(describeOrganizationLimit(organizations.length, 'en'), 'Showing the first 5,000 organizations');

    sandbox.faults.inject({
      kind: 'status',
      status: 403,
      times: Infinity,
      match: { pathIncludes: '/enterprise/sessions' },
    });
    const poller = new SessionPoller(store, () => client, clock);
    pollers.push(poller);
    poller.setIntervalSeconds(30);
    const first = await nextTick(poller);
    assert.ok(first.length <= BUDGET, `${first.length} requests in the first tick`);
    assert.deepEqual(askedOrganizations(await nextTick(poller)), [], 'nothing shown, nothing asked');

    // 25 organizations expanded, and a session of a collapsed one open in a panel.
    const expanded = organizations.slice(100, 125).map((org) => org.id);
    for (const orgId of expanded) await store.loadFirstPage(orgId);
    const watchedOrg = organizations[4000]?.id ?? '';
    await store.loadFirstPage(watchedOrg);
    store.setOrganizationExpanded(watchedOrg, false);
    const watched = store.sessionsOf(watchedOrg)?.sessions[0];
    assert.ok(watched, 'a session of the collapsed organization is known');
    store.watch(watched.id);

    const visible = new Set([...expanded, watchedOrg]);
    const asked = new Set<string>();
    for (let tick = 0; tick < 3; tick++) {
      const requests = await nextTick(poller);
      assert.ok(requests.length <= BUDGET, `${requests.length} requests in one tick`);
      for (const orgId of askedOrganizations(requests)) {
        assert.ok(visible.has(orgId), `${orgId} is not shown, yet was asked`);
        asked.add(orgId);
      }
    }
    assert.deepEqual(
      [...visible].filter((orgId) => !asked.has(orgId)),
      [],
      'every shown organization had its turn',
    );

    for (const orgId of expanded) store.setOrganizationExpanded(orgId, false);
    assert.deepEqual(askedOrganizations(await nextTick(poller)), [watchedOrg], 'collapsed ones are no longer asked');
    assert.equal(poller.consecutiveFailures, 0);
  });
});
