import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import { DevinClient, type ApiVersion } from '../../src/api/client';
import { fetchEnterpriseConsumption, fetchOrganizationConsumption } from '../../src/api/consumptionEndpoints';
import { DevinApiError } from '../../src/api/errors';
import { resolveRange, shapeConsumption } from '../../src/core/consumptionSeries';
import { ConsumptionLoader, mapBounded } from '../../src/core/consumptionLoader';
import type { Organization } from '../../src/core/models';
import { apiClient } from '../sandbox/client';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../sandbox/server';

/** Consumption requests over real loopback HTTP: the sandbox for both shapes, a tiny server for edge cases. */

let sandbox: Sandbox;

function client(
  baseUrl: string,
  version: ApiVersion = 'v3',
  token: string = SANDBOX_TOKENS.enterpriseAdmin,
): DevinClient {
  return new DevinClient({
    baseUrl,
    apiVersion: version,
    getToken: async () => token,
    timeoutMs: 5000,
    sleep: async () => undefined,
    random: () => 0.5,
  });
}

function organization(id: string, name: string): Organization {
  return { id, name, createdAt: undefined, maxCycleAcuLimit: undefined, maxSessionAcuLimit: undefined };
}

async function sandboxOrganizations(): Promise<Organization[]> {
  const page = await client(sandbox.baseUrl).listOrganizations({ first: 100 });
  return [...page.items];
}

before(async () => {
  sandbox = await startSandbox();
});
after(async () => {
  await sandbox.close();
});
afterEach(() => sandbox.reset());

describe('against the sandbox', () => {
  test('both API versions and both response shapes give the same totals, equal to the per-day sums', async () => {
    const range = resolveRange({ kind: 'preset', days: 30 }, Date.now());
    const organizations = await sandboxOrganizations();
    const v3 = shapeConsumption(
      range,
      'enterprise',
      await fetchEnterpriseConsumption(client(sandbox.baseUrl, 'v3'), organizations, { range }),
    );
    assert.ok(
      sandbox.requests.some((request) => request.path.startsWith('/v3/enterprise/consumption/daily/organizations/')),
    );
    const beta = shapeConsumption(
      range,
      'enterprise',
      await fetchEnterpriseConsumption(client(sandbox.baseUrl, 'v3beta1'), organizations, { range }),
    );
    assert.ok(
      sandbox.requests.some(
        (request) =>
          request.path === '/v3beta1/enterprise/consumption/daily/organizations' &&
          request.query.start_date === range.start,
      ),
    );
    assert.equal(v3.total, beta.total);
    assert.deepEqual(
      v3.organizations.map((series) => [series.id, series.total]),
      beta.organizations.map((series) => [series.id, series.total]),
    );

    // Independent of our code: the sandbox's own answer for the same window.
    const api = apiClient(sandbox.baseUrl, SANDBOX_TOKENS.enterpriseAdmin);
    for (const series of v3.organizations) {
      const wire = await api.get(
        `/v3/enterprise/consumption/daily/organizations/${series.id}?time_after=${range.timeAfter}&time_before=${range.timeBefore}`,
      );
      assert.equal(series.total, Math.round(wire.json.total_acus * 100) / 100, series.name);
    }
    assert.ok(v3.total > 0);
    assert.equal(v3.organizations.find((series) => series.id === SANDBOX_ORG_IDS.empty)?.total, 0);
    assert.deepEqual(v3.products, ['devin', 'cascade', 'terminal', 'review']);
  });

  test('an organization token reads its own organization', async () => {
    const range = resolveRange({ kind: 'preset', days: 7 }, Date.now());
    const rows = await fetchOrganizationConsumption(
      client(sandbox.baseUrl, 'v3', SANDBOX_TOKENS.orgServiceUser),
      organization(SANDBOX_ORG_IDS.acme, 'Acme'),
      { range },
    );
    assert.equal(rows.length, 1);
    assert.equal(sandbox.requests.at(-1)?.path, `/v3/organizations/${SANDBOX_ORG_IDS.acme}/consumption/daily`);
    assert.equal(sandbox.requests.at(-1)?.query.time_after, String(range.timeAfter));
  });

  test('a 403 names the billing permission', async () => {
    const range = resolveRange({ kind: 'preset', days: 7 }, Date.now());
    const member = client(sandbox.baseUrl, 'v3', SANDBOX_TOKENS.member);
    await assert.rejects(
      fetchEnterpriseConsumption(member, [organization(SANDBOX_ORG_IDS.acme, 'Acme')], { range }),
      (error: unknown) => {
        assert.ok(error instanceof DevinApiError);
        assert.equal(error.kind, 'forbidden');
        assert.match(error.message, /ManageBilling/);
        return true;
      },
    );
  });

  test('a 500 on every attempt surfaces as a server error, not a fallback', async () => {
    sandbox.faults.inject({ kind: 'status', status: 500, times: Infinity, match: { pathIncludes: 'consumption' } });
    const range = resolveRange({ kind: 'preset', days: 7 }, Date.now());
    await assert.rejects(
      fetchEnterpriseConsumption(client(sandbox.baseUrl), await sandboxOrganizations(), { range }),
      (error: unknown) => error instanceof DevinApiError && error.kind === 'server',
    );
    assert.ok(
      !sandbox.requests.some((request) => request.path.endsWith('/consumption/daily/organizations')),
      'no fallback to the bulk shape',
    );
  });
});

/** A stand-in API: bulk answers 404, per-organization calls are slow, and concurrency is counted. */
async function edgeServer(): Promise<{
  url: string;
  seen: string[];
  maxInFlight: () => number;
  close: () => Promise<void>;
}> {
  const seen: string[] = [];
  let inFlight = 0;
  let max = 0;
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    seen.push(url.pathname);
    if (url.pathname.endsWith('/consumption/daily/organizations')) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}');
      return;
    }
    inFlight += 1;
    max = Math.max(max, inFlight);
    setTimeout(() => {
      inFlight -= 1;
      const day = Number(url.searchParams.get('time_after'));
      // Unknown fields, a null review and a string number must all pass.
      const body = {
        total_acus: 2,
        extra: true,
        consumption_by_date: [
          { date: day, acus: '2', acus_by_product: { devin: 2, cascade: 0, terminal: 0, review: null }, note: 'x' },
        ],
      };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    }, 20);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, maxInFlight: () => max, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('edge cases', () => {
  test('v3beta1 falls back to per-organization calls on a 404, at most 4 at a time, parsed leniently', async () => {
    const edge = await edgeServer();
    try {
      const organizations = Array.from({ length: 10 }, (_, index) => organization(`org-${index}`, `Org ${index}`));
      const range = resolveRange({ kind: 'preset', days: 7 }, Date.now());
      const progress: number[] = [];
      const rows = await fetchEnterpriseConsumption(client(edge.url, 'v3beta1'), organizations, {
        range,
        onProgress: (p) => progress.push(p.completed),
      });
      assert.equal(edge.seen[0], '/v3beta1/enterprise/consumption/daily/organizations');
      assert.equal(edge.seen.length, 11);
      assert.equal(edge.maxInFlight(), 4);
      const view = shapeConsumption(range, 'enterprise', rows);
      assert.equal(view.total, 20);
      assert.deepEqual(view.products, ['devin', 'cascade', 'terminal'], 'a null review is no review column');
      assert.equal(progress.at(-1), 10);
    } finally {
      await edge.close();
    }
  });

  test('picking another range cancels the requests in flight and caches each finished range', async () => {
    const edge = await edgeServer();
    try {
      const organizations = Array.from({ length: 12 }, (_, index) => organization(`org-${index}`, `Org ${index}`));
      const api = client(edge.url, 'v3');
      const loader = new ConsumptionLoader(async (range, signal, onProgress) =>
        shapeConsumption(
          range,
          'enterprise',
          await fetchEnterpriseConsumption(api, organizations, { range, signal, onProgress }),
        ),
      );
      const first = loader.load({ kind: 'preset', days: 7 }, () => undefined);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = loader.load({ kind: 'preset', days: 30 }, () => undefined);
      assert.deepEqual(await first, { kind: 'superseded' });
      const loaded = await second;
      assert.equal(loaded.kind, 'data');
      assert.ok(edge.seen.length < 24, `the 7-day load stopped early (${edge.seen.length} requests)`);
      const before = edge.seen.length;
      const again = await loader.load({ kind: 'preset', days: 30 }, () => undefined);
      assert.equal(again.kind === 'data' && again.cached, true);
      assert.equal(edge.seen.length, before, 'served from the cache');
      await loader.load({ kind: 'preset', days: 30 }, () => undefined, { refresh: true });
      assert.equal(edge.seen.length, before + 12, 'retry goes back to the network');
    } finally {
      await edge.close();
    }
  });
});

describe('mapBounded', () => {
  test('keeps input order and stops on the first failure', async () => {
    const order = await mapBounded([30, 10, 20], 2, undefined, async (ms) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return ms;
    });
    assert.deepEqual(order, [30, 10, 20]);
    let started = 0;
    await assert.rejects(
      mapBounded([1, 2, 3, 4, 5, 6], 2, undefined, async (value, signal) => {
        started += 1;
        if (value === 1) throw new Error('boom');
        await new Promise((resolve) => setTimeout(resolve, 10));
        signal.throwIfAborted();
        return value;
      }),
      /boom/,
    );
    assert.ok(started <= 3, `no new work after the failure (${started} started)`);
  });
});
