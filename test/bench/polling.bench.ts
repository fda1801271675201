// Benchmark, not a test: what keeping the sessions current costs. An enterprise token with 3 organizations ×
// 1,000 sessions, polled every 30 s for an hour with nothing changing, then for an hour in which 5 sessions
// change, by two strategies in the same run against the same sandbox and fake clock:
//   delta: the poller (`updated_after` on the enterprise session list, one request per tick);
//   walk:  re-reading every page of every organization each tick (what a naive refresh does).
// Reports requests and bytes per tick and how long a change takes to be noticed. Goals (issue 9): ≤ 1 request
// and ≤ 2 KB per idle tick, ≥ 10× fewer requests and bytes than the walk, every change noticed within one tick.
// Then 5,100 organizations and a token that may not read the enterprise session list, 30 organizations expanded:
// goal, no tick asks more than the per-tick budget (10 requests), and every expanded organization gets its turn.
// Run: npx tsc -p test/tsconfig.json && node out/test/bench/polling.bench.js
import { DevinClient } from '../../src/api/client';
import type { Session } from '../../src/core/models';
import { collectPages } from '../../src/core/paging';
import { SessionPoller } from '../../src/store/sessionPoller';
import { SessionStore } from '../../src/store/sessionStore';
import { FakeClock } from '../fakeClock';
import { apiClient } from '../sandbox/client';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../sandbox/server';

const ORGANIZATIONS = 3;
const SESSIONS_PER_ORGANIZATION = 1000;
const INTERVAL_S = 30;
const TICKS_PER_HOUR = 3600 / INTERVAL_S;
const CHANGES = 5;

interface HourResult {
  requestsPerTick: number;
  maxRequestsPerTick: number;
  bytesPerTick: number;
  maxBytesPerTick: number;
  /** Seconds from each change to the tick that reported it. */
  noticeSeconds: number[];
}

interface Strategy {
  readonly name: string;
  /** One tick; resolves once what it read is in `store`. */
  tick(): Promise<void>;
  readonly store: SessionStore;
}

async function main(): Promise<number> {
  const clock = new FakeClock();
  const sandbox = await startSandbox({
    now: clock.now,
    scale: { organizations: ORGANIZATIONS, sessionsPerOrganization: SESSIONS_PER_ORGANIZATION },
  });
  try {
    const delta = deltaStrategy(sandbox, clock);
    const walk = walkStrategy(sandbox, clock);
    const results: Record<string, { idle: HourResult; changing: HourResult }> = {};
    for (const strategy of [delta, walk]) {
      sandbox.reset();
      await strategy.store.loadOrganizations();
      // The first tick reads a baseline; it happens once per sign-in, not per tick, so it is not counted.
      await strategy.tick();
      const idle = await hour(sandbox, clock, strategy, []);
      const targets = pickTargets(strategy.store.knownSessions());
      // Changes land at odd moments between ticks, so the time to notice them varies as it would for real.
      const changes = targets.map((session, index) => ({ session, atS: 7 + index * 701 }));
      const changing = await hour(sandbox, clock, strategy, changes);
      results[strategy.name] = { idle, changing };
    }
    return report(results) | (await organizationBudget());
  } finally {
    await sandbox.close();
  }
}

const MANY_ORGANIZATIONS = 5100;
const REQUEST_BUDGET = 10;

/** Polling without the enterprise session list: what a tick costs when each organization must be asked. */
async function organizationBudget(): Promise<number> {
  const clock = new FakeClock();
  const sandbox = await startSandbox({
    now: clock.now,
    scale: { organizations: MANY_ORGANIZATIONS, sessionsPerOrganization: 1 },
  });
  try {
    const api = client(sandbox);
    const store = storeFor(api, clock);
    const organizations = await store.loadOrganizations();
    sandbox.faults.inject({
      kind: 'status',
      status: 403,
      times: Infinity,
      match: { pathIncludes: '/enterprise/sessions' },
    });
    const expanded = organizations.slice(0, 30).map((organization) => organization.id);
    for (const orgId of expanded) await store.loadFirstPage(orgId);
    const poller = new SessionPoller(store, () => api, clock);
    const requests: number[] = [];
    const asked = new Set<string>();
    for (let tick = 0; tick < 10; tick++) {
      clock.advance(INTERVAL_S * 1000);
      const mark = sandbox.requests.length;
      await poller.tick();
      const made = sandbox.requests.slice(mark);
      requests.push(made.length);
      for (const request of made) asked.add(request.path.split('/')[3] ?? '');
    }
    poller.dispose();
    const maxRequests = Math.max(...requests);
    const turns = expanded.filter((orgId) => asked.has(orgId)).length;
    console.log(
      `without the enterprise list: ${organizations.length} of ${MANY_ORGANIZATIONS} organizations listed ` +
        `(cut: ${store.organizationsTruncated}), ${expanded.length} expanded; requests per tick: ${requests.join(', ')}`,
    );
    const goals: [string, boolean][] = [
      [`≤ ${REQUEST_BUDGET} requests per tick (max ${maxRequests})`, maxRequests <= REQUEST_BUDGET],
      [`every expanded organization asked within 10 ticks (${turns} of ${expanded.length})`, turns === expanded.length],
      ['the cut organizations list is known to the view', store.organizationsTruncated],
    ];
    for (const [goal, met] of goals) console.log(`${met ? 'met   ' : 'MISSED'} ${goal}`);
    return goals.every(([, met]) => met) ? 0 : 1;
  } finally {
    await sandbox.close();
  }
}

function client(sandbox: Sandbox): DevinClient {
  return new DevinClient({
    baseUrl: sandbox.baseUrl,
    apiVersion: 'v3',
    getToken: async () => SANDBOX_TOKENS.enterpriseAdmin,
    sleep: async () => undefined,
  });
}

function storeFor(api: DevinClient, clock: FakeClock): SessionStore {
  return new SessionStore(
    {
      isSignedIn: async () => true,
      getIdentity: () => api.getSelf(),
      getClient: () => api,
      configuredOrgId: () => undefined,
      pageSize: () => 50,
    },
    clock.now,
  );
}

function deltaStrategy(sandbox: Sandbox, clock: FakeClock): Strategy {
  const api = client(sandbox);
  const store = storeFor(api, clock);
  const poller = new SessionPoller(store, () => api, clock);
  return {
    name: 'delta',
    store,
    tick: async () => {
      await poller.tick();
    },
  };
}

function walkStrategy(sandbox: Sandbox, clock: FakeClock): Strategy {
  const api = client(sandbox);
  const store = storeFor(api, clock);
  return {
    name: 'walk every page',
    store,
    tick: async () => {
      const all: Session[] = [];
      for (const organization of store.knownOrganizations()) {
        const { items } = await collectPages(
          (after) => api.listSessions(organization.id, { first: 200, after }),
          Number.POSITIVE_INFINITY,
        );
        all.push(...items);
      }
      store.merge(all);
    },
  };
}

/** Tick every 30 s of fake time for an hour, making the given changes when their moment comes. */
async function hour(
  sandbox: Sandbox,
  clock: FakeClock,
  strategy: Strategy,
  changes: { session: Session; atS: number }[],
): Promise<HourResult> {
  const control = apiClient(sandbox.baseUrl, undefined);
  const startMs = clock.now();
  const pending = [...changes].sort((a, b) => a.atS - b.atS);
  const madeAt = new Map<string, number>();
  const noticeSeconds: number[] = [];
  const subscription = strategy.store.onDidChangeSessions((change) => {
    for (const { session } of change.statusChanged) {
      const at = madeAt.get(session.id);
      if (at === undefined) continue;
      noticeSeconds.push((clock.now() - at) / 1000);
      madeAt.delete(session.id);
    }
  });
  const requests: number[] = [];
  const bytes: number[] = [];
  for (let tick = 1; tick <= TICKS_PER_HOUR; tick++) {
    const tickAt = startMs + tick * INTERVAL_S * 1000;
    while (pending[0] && startMs + pending[0].atS * 1000 < tickAt) {
      const change = pending.shift() as { session: Session; atS: number };
      clock.advance(startMs + change.atS * 1000 - clock.now());
      await control.post(`/_sandbox/sessions/${change.session.id}/status`, {
        status: 'running',
        status_detail: 'waiting_for_user',
        message: 'Should I also update the changelog?',
      });
      madeAt.set(change.session.id, clock.now());
    }
    clock.advance(tickAt - clock.now());
    const mark = sandbox.requests.length;
    await strategy.tick();
    const made = sandbox.requests.slice(mark);
    requests.push(made.length);
    bytes.push(made.reduce((sum, request) => sum + (request.responseBytes ?? 0), 0));
  }
  subscription.dispose();
  if (madeAt.size > 0) noticeSeconds.push(...[...madeAt.values()].map(() => Number.POSITIVE_INFINITY));
  return {
    requestsPerTick: average(requests),
    maxRequestsPerTick: Math.max(...requests),
    bytesPerTick: average(bytes),
    maxBytesPerTick: Math.max(...bytes),
    noticeSeconds,
  };
}

function pickTargets(sessions: readonly Session[]): Session[] {
  // Working sessions spread over the organizations; one that turns to "waiting" is a status change.
  const working = sessions.filter((session) => session.status === 'running' && session.statusDetail === 'working');
  const byOrg = new Map<string, Session[]>();
  for (const session of working) byOrg.set(session.orgId, [...(byOrg.get(session.orgId) ?? []), session]);
  const picked: Session[] = [];
  for (let round = 0; picked.length < CHANGES; round++) {
    let added = false;
    for (const list of byOrg.values()) {
      const candidate = list[round];
      if (candidate && picked.length < CHANGES) {
        picked.push(candidate);
        added = true;
      }
    }
    if (!added) break;
  }
  if (picked.length < CHANGES) throw new Error(`only ${picked.length} working sessions to change`);
  return picked;
}

function average(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
}

function report(results: Record<string, { idle: HourResult; changing: HourResult }>): number {
  const delta = results.delta as { idle: HourResult; changing: HourResult };
  const walk = results['walk every page'] as { idle: HourResult; changing: HourResult };
  console.log(
    `polling benchmark: ${ORGANIZATIONS} organizations × ${SESSIONS_PER_ORGANIZATION} sessions, enterprise token, ` +
      `a tick every ${INTERVAL_S} s, 1 hour idle then 1 hour with ${CHANGES} changes (fake clock)`,
  );
  console.log('strategy          hour      requests/tick (max)   bytes/tick (max)          notice (s, each change)');
  for (const [name, row] of Object.entries(results)) {
    for (const [phase, result] of Object.entries(row)) {
      console.log(
        [
          name.padEnd(16),
          phase.padEnd(9),
          `${result.requestsPerTick.toFixed(2)} (${result.maxRequestsPerTick})`.padEnd(21),
          `${Math.round(result.bytesPerTick)} (${result.maxBytesPerTick})`.padEnd(25),
          result.noticeSeconds.length ? result.noticeSeconds.join(', ') : '-',
        ].join(' '),
      );
    }
  }
  const requestRatio = walk.idle.requestsPerTick / delta.idle.requestsPerTick;
  const byteRatio = walk.idle.bytesPerTick / delta.idle.bytesPerTick;
  const changingRequestRatio = walk.changing.requestsPerTick / delta.changing.requestsPerTick;
  const changingByteRatio = walk.changing.bytesPerTick / delta.changing.bytesPerTick;
  const goals: [string, boolean][] = [
    ['≤ 1 request per tick', delta.idle.maxRequestsPerTick <= 1 && delta.changing.maxRequestsPerTick <= 1],
    ['≤ 2 KB per idle tick', delta.idle.maxBytesPerTick <= 2048],
    [
      `≥ 10× fewer requests (idle ${requestRatio.toFixed(0)}×, changing ${changingRequestRatio.toFixed(0)}×)`,
      requestRatio >= 10 && changingRequestRatio >= 10,
    ],
    [
      `≥ 10× fewer bytes (idle ${byteRatio.toFixed(0)}×, changing ${changingByteRatio.toFixed(0)}×)`,
      byteRatio >= 10 && changingByteRatio >= 10,
    ],
    [
      `every change noticed within one tick (${INTERVAL_S} s)`,
      delta.changing.noticeSeconds.length === CHANGES && delta.changing.noticeSeconds.every((s) => s <= INTERVAL_S),
    ],
  ];
  for (const [goal, met] of goals) console.log(`${met ? 'met   ' : 'MISSED'} ${goal}`);
  return goals.every(([, met]) => met) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
