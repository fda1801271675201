// Sandbox behaviour over real HTTP: shapes per version, paging, auth, consumption, audit logs,
// and service users.

import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../sandbox/server';
import {
  SANDBOX_MEMBER_ORG_IDS,
  SANDBOX_ORG_IDS,
  SANDBOX_ORG_SERVICE_USER_ORG_ID,
  SANDBOX_TOKENS,
} from '../sandbox/tokens';
import { apiClient, type ApiClient } from '../sandbox/client';

const ACME = SANDBOX_ORG_IDS.acme;
const XSS_NAME = `<img src=x onerror="alert(1)"><script>alert('xss')</script> Labs`;
let clock = Date.UTC(2026, 0, 15, 12, 0, 0);

describe('Devin API sandbox', () => {
  let sb: Sandbox;
  let admin: ApiClient;
  let member: ApiClient;
  let orgSu: ApiClient;

  before(async () => {
    sb = await startSandbox({ now: () => clock });
    admin = apiClient(sb.baseUrl, sb.tokens.enterpriseAdmin);
    member = apiClient(sb.baseUrl, sb.tokens.member);
    orgSu = apiClient(sb.baseUrl, sb.tokens.orgServiceUser);
  });
  after(() => sb.close());
  beforeEach(() => sb.reset());

  it('exposes fixed cog_ tokens and a loopback base URL', () => {
    assert.match(sb.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    for (const token of Object.values(sb.tokens)) {
      assert.ok(token.startsWith('cog_') && token.length >= 30, token);
    }
    assert.equal(SANDBOX_ORG_SERVICE_USER_ORG_ID, ACME);
  });

  it('lists organizations in the current shape on /v3 and the specification shape on /v3beta1', async () => {
    const v3 = await admin.get('/v3/enterprise/organizations');
    assert.equal(v3.status, 200);
    assert.ok(v3.json.items.length >= 3);
    assert.equal(v3.json.total, v3.json.items.length);
    assert.equal(v3.json.end_cursor, null);
    assert.equal(v3.json.has_next_page, false);
    const org = v3.json.items[0];
    for (const key of ['org_id', 'name', 'created_at', 'updated_at', 'max_cycle_acu_limit', 'max_session_acu_limit'])
      assert.ok(key in org, key);
    assert.ok(v3.json.items.some((o: { name: string }) => o.name === XSS_NAME));

    const beta = await admin.get('/v3beta1/enterprise/organizations');
    assert.equal(beta.status, 200);
    assert.equal(beta.json.items, undefined);
    assert.equal(beta.json.organizations.length, v3.json.items.length);
    assert.equal(beta.json.organizations[0].id, org.org_id);
    assert.equal(typeof beta.json.organizations[0].created_at, 'number');
    assert.equal(beta.json.has_next_page, false);
  });

  it('creates organizations with either body shape and rejects a blank name', async () => {
    const v3 = await admin.post('/v3/enterprise/organizations', {
      name: 'New Org',
      max_cycle_acu_limit: 100,
      max_session_acu_limit: 5,
    });
    assert.equal(v3.status, 200);
    assert.match(v3.json.org_id, /^org-/);
    assert.equal(v3.json.max_cycle_acu_limit, 100);
    const beta = await admin.post('/v3beta1/enterprise/organizations', { name: 'Beta Org', acu_limit: 250 });
    assert.equal(beta.status, 200);
    assert.match(beta.json.id, /^org-/);
    assert.equal(beta.json.acu_limit, 250);
    const betaV3Body = await admin.post('/v3beta1/enterprise/organizations', {
      name: 'Beta Org 2',
      max_cycle_acu_limit: 7,
    });
    assert.equal(betaV3Body.json.acu_limit, 7);
    const blank = await admin.post('/v3/enterprise/organizations', { name: '  ' });
    assert.equal(blank.status, 422);
    assert.equal(blank.contentType, 'application/problem+json');
    assert.deepEqual(blank.json.errors[0].loc, ['body', 'name']);
    const missing = await admin.post('/v3beta1/enterprise/organizations', {});
    assert.equal(missing.status, 422);
    assert.deepEqual(missing.json.detail[0].loc, ['body', 'name']);
    const list = await admin.get('/v3/enterprise/organizations');
    assert.ok(list.json.items.some((o: { name: string }) => o.name === 'Beta Org'));
  });

  it('pages with opaque cursors and validates first on both versions', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { json: { items: { org_id: string }[]; end_cursor: string | null; has_next_page: boolean } } =
        await admin.get(`/v3/enterprise/organizations?first=1${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`);
      page.json.items.forEach((o) => seen.add(o.org_id));
      cursor = page.json.end_cursor;
      assert.equal(page.json.has_next_page, cursor !== null);
      pages++;
    } while (cursor);
    assert.equal(pages, seen.size);

    for (const first of ['0', '201', 'abc', '1.5']) {
      const beta = await admin.get(`/v3beta1/organizations/${ACME}/sessions?first=${first}`);
      assert.equal(beta.status, 422, first);
      assert.deepEqual(beta.json.detail[0].loc, ['query', 'first']);
      assert.equal(typeof beta.json.detail[0].msg, 'string');
      assert.equal(typeof beta.json.detail[0].type, 'string');
      const v3 = await admin.get(`/v3/organizations/${ACME}/sessions?first=${first}`);
      assert.equal(v3.status, 422);
      assert.equal(v3.contentType, 'application/problem+json');
      assert.equal(v3.json.status, 422);
      assert.deepEqual(v3.json.errors[0].loc, ['query', 'first']);
    }
    assert.equal((await admin.get(`/v3/organizations/${ACME}/sessions?first=200`)).status, 200);
    assert.equal((await admin.get(`/v3/organizations/${ACME}/sessions?after=not-a-cursor`)).status, 422);
  });

  it('answers 401 for missing, unknown and expired tokens', async () => {
    const none = await apiClient(sb.baseUrl, undefined).get('/v3/self');
    assert.equal(none.status, 401);
    assert.equal(typeof none.json.detail, 'string');
    const unknown = await apiClient(sb.baseUrl, 'cog_unknown').get('/v3/self');
    assert.equal(unknown.status, 401);
    const expired = await apiClient(sb.baseUrl, sb.tokens.expired).get(`/v3/organizations/${ACME}/sessions`);
    assert.equal(expired.status, 401);
    assert.match(expired.json.detail, /expired/i);
    assert.deepEqual(
      sb.requests.map((r) => r.authorized),
      ['none', 'invalid', 'invalid'],
    );
    assert.ok(!JSON.stringify(sb.requests).includes('cog_'));
  });

  it('describes each principal on /self and /enterprise/self', async () => {
    const a = await admin.get('/v3/self');
    assert.deepEqual(a.json, {
      principal_type: 'service_user',
      service_user_id: a.json.service_user_id,
      service_user_name: a.json.service_user_name,
      org_id: null,
    });
    const m = await member.get('/v3/self');
    assert.equal(m.json.principal_type, 'pat_user');
    for (const key of ['user_id', 'user_name', 'api_key_id', 'api_key_name'])
      assert.equal(typeof m.json[key], 'string');
    const o = await orgSu.get('/v3/self');
    assert.equal(o.json.org_id, ACME);
    const spec = await admin.get('/v3beta1/enterprise/self');
    assert.equal(spec.json.role, 'admin');
    assert.equal(typeof spec.json.name, 'string');
    assert.equal((await member.get('/v3beta1/enterprise/self')).json.role, 'member');
  });

  it('enforces permissions with problem+json and legacy 403 bodies', async () => {
    const orgs = await member.get('/v3/enterprise/organizations');
    assert.equal(orgs.status, 403);
    assert.equal(orgs.contentType, 'application/problem+json');
    assert.equal(orgs.json.title, 'Forbidden');
    assert.equal(orgs.json.status, 403);
    assert.match(orgs.json.detail, /Missing permission: ManageOrganizations/);
    assert.equal((await member.get('/v3/enterprise/audit-logs')).status, 403);
    assert.equal((await member.get(`/v3/organizations/${ACME}/consumption/daily`)).status, 403);
    assert.equal((await member.get(`/v3/organizations/${SANDBOX_ORG_IDS.xss}/sessions`)).status, 403);
    assert.equal(
      (await member.post(`/v3/organizations/${ACME}/knowledge/notes`, { name: 'n', body: 'b', trigger: 't' })).status,
      403,
    );
    for (const orgId of SANDBOX_MEMBER_ORG_IDS)
      assert.equal((await member.get(`/v3/organizations/${orgId}/sessions?first=1`)).status, 200);
    const other = await orgSu.get(`/v3/organizations/${SANDBOX_ORG_IDS.globex}/sessions`);
    assert.equal(other.status, 403);
    assert.equal(typeof other.json.detail, 'string');
    assert.equal((await orgSu.get('/v3/enterprise/organizations')).status, 403);
    assert.equal((await orgSu.get('/v3/enterprise/consumption/daily')).status, 403);
    assert.equal((await orgSu.get(`/v3/organizations/${ACME}/consumption/daily`)).status, 200);
    assert.equal((await admin.get('/v3/organizations/org-does-not-exist/sessions')).status, 404);
    assert.equal((await admin.get('/v3/no/such/route')).status, 404);
    assert.equal((await admin.get('/v2/enterprise/organizations')).status, 404);
  });

  it('serves per-org daily consumption aligned to 08:00 UTC inside the window', async () => {
    const day = 86_400;
    const timeBefore = Math.floor(clock / 1000);
    const timeAfter = timeBefore - 30 * day;
    const res = await admin.get(
      `/v3/enterprise/consumption/daily/organizations/${ACME}?time_after=${timeAfter}&time_before=${timeBefore}`,
    );
    assert.equal(res.status, 200);
    const rows = res.json.consumption_by_date as {
      date: number;
      acus: number;
      acus_by_product: Record<string, number>;
    }[];
    assert.ok(rows.length > 10 && rows.length <= 30);
    for (const r of rows) {
      assert.equal(r.date % day, 8 * 3600);
      assert.ok(r.date >= timeAfter && r.date < timeBefore);
      assert.ok(r.acus > 0);
      assert.ok(r.acus_by_product.devin > r.acus_by_product.cascade);
      for (const p of ['devin', 'cascade', 'terminal', 'review']) assert.equal(typeof r.acus_by_product[p], 'number');
    }
    const sum = rows.reduce((n, r) => n + r.acus, 0);
    assert.ok(Math.abs(sum - res.json.total_acus) < 0.05);
    const all = await admin.get(`/v3/enterprise/consumption/daily/organizations/${ACME}`);
    assert.ok(all.json.consumption_by_date.length >= 60, 'at least 90 days of history, minus zero days');
    const orgScoped = await orgSu.get(
      `/v3/organizations/${ACME}/consumption/daily?time_after=${timeAfter}&time_before=${timeBefore}`,
    );
    assert.deepEqual(orgScoped.json, res.json);
    const enterprise = await admin.get(
      `/v3/enterprise/consumption/daily?time_after=${timeAfter}&time_before=${timeBefore}`,
    );
    assert.ok(enterprise.json.total_acus > res.json.total_acus);
    const empty = await admin.get(`/v3/enterprise/consumption/daily/organizations/${SANDBOX_ORG_IDS.empty}`);
    assert.deepEqual(empty.json, { total_acus: 0, consumption_by_date: [] });
    const cycles = await admin.get('/v3/enterprise/consumption/cycles');
    assert.ok(cycles.json.items.every((c: { after: number; before: number }) => c.after < c.before));
  });

  it('serves the specification bulk consumption report', async () => {
    const res = await admin.get(
      '/v3beta1/enterprise/consumption/daily/organizations?start_date=2026-01-01&end_date=2026-01-10',
    );
    assert.equal(res.status, 200);
    const rows = res.json.data as {
      organization_id: string;
      organization_name: string;
      date: string;
      acus_used: number;
    }[];
    assert.ok(rows.length > 5);
    assert.ok(rows.every((r) => r.date >= '2026-01-01' && r.date <= '2026-01-10'));
    assert.ok(
      rows.some((r) => r.date === '2026-01-10'),
      'end date is inclusive',
    );
    assert.ok(rows.every((r) => typeof r.organization_name === 'string' && r.acus_used > 0));
    assert.ok(!rows.some((r) => r.organization_id === SANDBOX_ORG_IDS.empty));
    const keys = rows.map((r) => `${r.organization_id}/${r.date}`);
    assert.equal(new Set(keys).size, keys.length);
    assert.equal((await admin.get('/v3/enterprise/consumption/daily/organizations?start_date=01/02/2026')).status, 422);
    assert.equal(
      (await member.get('/v3/enterprise/consumption/daily/organizations?start_date=2026-01-01&end_date=2026-01-02'))
        .status,
      403,
    );
  });

  it('validates audit-log windows and records sandbox actions', async () => {
    const now = Math.floor(clock / 1000);
    assert.equal((await admin.get(`/v3/enterprise/audit-logs?time_before=${now}`)).status, 422);
    assert.equal(
      (await admin.get(`/v3/enterprise/audit-logs?time_after=${now - 101 * 86_400}&time_before=${now}`)).status,
      422,
    );
    assert.equal((await admin.get('/v3/enterprise/audit-logs?first=201')).status, 422);
    const asc = await admin.get(
      `/v3/enterprise/audit-logs?time_after=${now - 30 * 86_400}&time_before=${now}&order=asc&first=200`,
    );
    assert.equal(asc.status, 200);
    const times = asc.json.items.map((e: { created_at: number }) => e.created_at);
    assert.deepEqual(
      times,
      [...times].sort((a: number, b: number) => a - b),
    );
    const item = asc.json.items[0];
    for (const key of [
      'audit_log_id',
      'action',
      'created_at',
      'data',
      'org_id',
      'service_user_id',
      'service_user_name',
      'user_email',
      'user_id',
    ])
      assert.ok(key in item, key);

    await member.post(`/v3/organizations/${ACME}/sessions`, { prompt: 'Audit me' });
    const latest = await admin.get('/v3/enterprise/audit-logs?first=1&action=create_session');
    assert.equal(latest.json.items[0].action, 'create_session');
    assert.equal(latest.json.items[0].created_at, now);
    assert.equal(latest.json.items[0].user_email, 'mia.member@example.com');
    const orgOnly = await admin.get(`/v3/enterprise/organizations/${ACME}/audit-logs?first=50`);
    assert.ok(orgOnly.json.items.every((e: { org_id: string }) => e.org_id === ACME));
  });

  it('mints service-user keys that work afterwards with the granted role', async () => {
    const spec = await orgSu.post(`/v3beta1/organizations/${ACME}/members/service-users`, {
      name: 'ci-reader',
      role: 'member',
    });
    assert.equal(spec.status, 200);
    assert.match(spec.json.api_key, /^cog_/);
    assert.equal(spec.json.role, 'member');
    assert.equal(typeof spec.json.id, 'string');
    const minted = apiClient(sb.baseUrl, spec.json.api_key);
    assert.equal((await minted.get(`/v3/organizations/${ACME}/sessions?first=1`)).status, 200);
    assert.equal((await minted.get(`/v3/organizations/${SANDBOX_ORG_IDS.globex}/sessions`)).status, 403);
    assert.equal((await minted.get(`/v3/organizations/${ACME}/consumption/daily`)).status, 403);
    assert.equal((await minted.get('/v3/self')).json.org_id, ACME);
    assert.equal(sb.requests[sb.requests.length - 1]?.authorized, 'org-service-user');
    assert.equal(
      (await member.post(`/v3beta1/organizations/${ACME}/members/service-users`, { name: 'x', role: 'admin' })).status,
      403,
    );

    const current = await admin.post(`/v3beta1/organizations/${SANDBOX_ORG_IDS.globex}/service-users`, {
      name: 'bot',
      role_id: 'org_admin',
      ttl_seconds: 60,
    });
    assert.equal(current.status, 200);
    assert.equal(current.json.service_user.role_assignments[0].org_id, SANDBOX_ORG_IDS.globex);
    assert.equal(current.json.service_user.role_assignments[0].role.role_id, 'org_admin');
    assert.equal(current.json.service_user.expires_at, Math.floor(clock / 1000) + 60);
    const bot = apiClient(sb.baseUrl, current.json.token);
    assert.equal((await bot.get(`/v3/organizations/${SANDBOX_ORG_IDS.globex}/consumption/daily`)).status, 200);
    const ent = await admin.post('/v3beta1/enterprise/service-users', {
      name: 'ent',
      role_id: 'enterprise_admin',
      ttl_seconds: 3600,
    });
    assert.equal((await apiClient(sb.baseUrl, ent.json.token).get('/v3/enterprise/organizations')).status, 200);
    assert.equal(
      (await admin.post('/v3beta1/enterprise/service-users', { name: 'ent', role_id: 'enterprise_admin' })).status,
      422,
    );
    clock += 61_000;
    try {
      assert.equal((await bot.get('/v3/self')).status, 401);
    } finally {
      clock -= 61_000;
    }
  });
});

describe('write bodies follow the current schema', () => {
  let sb: Sandbox;
  let admin: ReturnType<typeof apiClient>;
  before(async () => {
    sb = await startSandbox();
    admin = apiClient(sb.baseUrl, SANDBOX_TOKENS.enterpriseAdmin);
  });
  after(() => sb.close());

  it('refuses a field the current schema does not have, on /v3, naming it', async () => {
    const response = await admin.post('/v3/enterprise/organizations', { name: 'Old Shape', acu_limit: 5 });
    assert.equal(response.status, 422);
    assert.deepEqual(
      response.json.errors.map((error: { loc: string[]; type: string }) => [error.loc.join('.'), error.type]),
      [['body.acu_limit', 'extra_forbidden']],
    );
    const session = await admin.post(`/v3/organizations/${SANDBOX_ORG_IDS.acme}/sessions`, {
      prompt: 'x',
      idempotent: true,
    });
    assert.equal(session.status, 422, 'v1-only fields are refused on v3');
  });

  it('keeps accepting the specification bodies on /v3beta1 routes that were promoted', async () => {
    const response = await admin.post('/v3beta1/enterprise/organizations', { name: 'Spec Shape', acu_limit: 5 });
    assert.equal(response.status, 200);
  });

  it('answers the beta-only provisioning routes under /v3beta1 only, with the current body', async () => {
    const path = `/organizations/${SANDBOX_ORG_IDS.acme}/service-users`;
    const body = { name: 'bot', role_id: 'org_member', ttl_seconds: 60 };
    assert.equal((await admin.post(`/v3${path}`, body)).status, 404);
    assert.equal(
      (await admin.post(`/v3/organizations/${SANDBOX_ORG_IDS.acme}/members/service-users`, body)).status,
      404,
    );
    assert.equal((await admin.post(`/v3beta1${path}`, { ...body, role: 'member' })).status, 422);
    assert.equal((await admin.post(`/v3beta1${path}`, body)).status, 200);
  });

  it('lists roles for the service-user picker', async () => {
    const roles = await admin.get('/v3/enterprise/roles');
    assert.equal(roles.status, 200);
    assert.ok(roles.json.items.some((role: { role_id: string }) => role.role_id === 'org_admin'));
    const member = apiClient(sb.baseUrl, SANDBOX_TOKENS.member);
    assert.equal((await member.get('/v3/enterprise/roles')).status, 403);
    assert.equal((await member.get(`/v3/organizations/${SANDBOX_ORG_IDS.acme}/roles`)).status, 403);
  });
});
