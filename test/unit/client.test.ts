import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { DevinClient, type ApiVersion } from '../../src/api/client';
import { createServiceUser, listAssignableRoles } from '../../src/api/serviceUsers';
import type { Session } from '../../src/core/models';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../sandbox/server';
import { apiFailure } from './apiFailure';

/** The API client against the sandbox over real loopback HTTP: both versions, paging, every error. */

let sandbox: Sandbox;
const sleeps: number[] = [];

function client(options: { token?: string | undefined; version?: ApiVersion; timeoutMs?: number } = {}): DevinClient {
  const token = 'token' in options ? options.token : SANDBOX_TOKENS.enterpriseAdmin;
  return new DevinClient({
    baseUrl: sandbox.baseUrl,
    apiVersion: options.version ?? 'v3',
    getToken: async () => token,
    timeoutMs: options.timeoutMs ?? 5000,
    // Back-off waits are recorded, not slept, so the retry policy is observable and fast.
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
  });
}

before(async () => {
  sandbox = await startSandbox();
});
after(async () => {
  await sandbox.close();
});
afterEach(() => {
  sandbox.reset();
  sleeps.length = 0;
});

describe('identity', () => {
  test('enterprise admin on v3 is a service user without an organization', async () => {
    const identity = await client().getSelf();
    assert.equal(identity.kind, 'service_user');
    assert.equal(identity.orgId, undefined);
    assert.ok(identity.name.length > 0);
    assert.equal(sandbox.requests.at(-1)?.path, '/v3/self');
  });

  test("v3beta1 uses the specification's /enterprise/self, which also reports a role", async () => {
    const identity = await client({ version: 'v3beta1' }).getSelf();
    assert.equal(sandbox.requests.at(-1)?.path, '/v3beta1/enterprise/self');
    assert.ok(identity.role, 'role read from the specification shape');
  });

  test('organization service user names its organization; a PAT user is a pat_user', async () => {
    const orgScoped = await client({ token: SANDBOX_TOKENS.orgServiceUser }).getSelf();
    assert.equal(orgScoped.orgId, SANDBOX_ORG_IDS.acme);
    const member = await client({ token: SANDBOX_TOKENS.member }).getSelf();
    assert.equal(member.kind, 'pat_user');
  });

  test('no token: signedOut without any request', async () => {
    const count = sandbox.requests.length;
    const error = await apiFailure(client({ token: undefined }).getSelf());
    assert.equal(error.kind, 'signedOut');
    assert.equal(sandbox.requests.length, count);
  });
});

describe('organizations', () => {
  test('both response shapes give the same organizations', async () => {
    const current = await client({ version: 'v3' }).listOrganizations();
    const specification = await client({ version: 'v3beta1' }).listOrganizations();
    const ids = (orgs: typeof current) => orgs.items.map((org) => `${org.id}=${org.name}`).sort();
    assert.ok(current.items.length >= 3);
    assert.deepEqual(ids(specification), ids(current));
    assert.ok(current.items.some((org) => org.id === SANDBOX_ORG_IDS.acme));
  });

  test("create on both versions sends each version's body", async () => {
    const created = await client({ version: 'v3' }).createOrganization({
      name: 'Umbrella',
      maxCycleAcuLimit: 500,
      maxSessionAcuLimit: 50,
    });
    assert.equal(created.name, 'Umbrella');
    assert.deepEqual(sandbox.requests.at(-1)?.body, {
      name: 'Umbrella',
      max_cycle_acu_limit: 500,
      max_session_acu_limit: 50,
    });
    const beta = await client({ version: 'v3beta1' }).createOrganization({ name: 'Initech', maxCycleAcuLimit: 100 });
    assert.equal(beta.name, 'Initech');
    assert.deepEqual(sandbox.requests.at(-1)?.body, { name: 'Initech', acu_limit: 100 });
    const betaBoth = await client({ version: 'v3beta1' }).createOrganization({
      name: 'Hooli',
      maxCycleAcuLimit: 100,
      maxSessionAcuLimit: 10,
    });
    assert.deepEqual(sandbox.requests.at(-1)?.body, { name: 'Hooli', acu_limit: 100, max_session_acu_limit: 10 });
    const hooli = (await client({ version: 'v3' }).listOrganizations()).items.find((org) => org.id === betaBoth.id);
    assert.equal(hooli?.maxSessionAcuLimit, 10, 'the per-session limit is kept on v3beta1 too');
    const listed = await client().listOrganizations();
    assert.ok(listed.items.some((org) => org.id === created.id) && listed.items.some((org) => org.id === beta.id));
  });
});

describe('sessions', () => {
  test('cursor paging walks every session once, newest first, ids in devin- form', async () => {
    const api = client();
    const seen: Session[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await api.listSessions(SANDBOX_ORG_IDS.acme, { first: 100, after: cursor });
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    assert.ok(seen.length >= 250, `expected 250+ sessions, got ${seen.length}`);
    assert.equal(new Set(seen.map((session) => session.id)).size, seen.length, 'no duplicates across pages');
    assert.ok(
      seen.every((session) => session.id.startsWith('devin-')),
      'bare ids are normalised',
    );
    const created = seen.map((session) => session.createdAt ?? 0);
    assert.deepEqual(
      created,
      [...created].sort((a, b) => b - a),
    );
    assert.ok(pages >= 3);
    assert.deepEqual(
      sandbox.requests.filter((request) => request.path.endsWith('/sessions')).map((request) => request.query.first),
      Array(pages).fill('100'),
    );
  });

  test('unknown status values pass through untouched', async () => {
    const all = await client().listSessions(SANDBOX_ORG_IDS.acme, { first: 200 });
    const known = new Set(['new', 'claimed', 'running', 'exit', 'error', 'suspended', 'resuming']);
    const statuses = new Set(all.items.map((session) => session.status));
    for (const status of known) assert.ok(statuses.has(status), `seeded status ${status} present`);
    const unknown = all.items.filter((session) => !known.has(session.status));
    assert.ok(
      unknown.some((session) => session.status === 'hibernating'),
      'a future status value survives parsing',
    );
  });

  test("a page size outside 1-200 is a 422 with the server's field message", async () => {
    for (const first of [0, 201]) {
      const error = await apiFailure(client().listSessions(SANDBOX_ORG_IDS.acme, { first }));
      assert.equal(error.kind, 'validation');
      assert.equal(error.status, 422);
      assert.match(error.message, /first/);
    }
  });

  test('create, read back, message and list messages; the prompt arrives intact', async () => {
    const api = client();
    const prompt = 'Fix the bug\n\n```ts\nconst x = 1;\n```';
    const created = await api.createSession(SANDBOX_ORG_IDS.acme, { prompt, tags: ['vscode'] });
    assert.match(created.id, /^devin-/);
    assert.deepEqual(sandbox.requests.at(-1)?.body, { prompt, tags: ['vscode'] });
    const fetched = await api.getSession(SANDBOX_ORG_IDS.acme, created.id.replace(/^devin-/, ''));
    assert.equal(fetched.id, created.id, 'a bare id works in paths');
    await api.sendMessage(SANDBOX_ORG_IDS.acme, created.id, 'Also add a test');
    assert.deepEqual(sandbox.requests.at(-1)?.body, { message: 'Also add a test' });
    const messages = await api.listMessages(SANDBOX_ORG_IDS.acme, created.id);
    assert.ok(messages.items.some((message) => message.source === 'user' && message.message === 'Also add a test'));
  });

  test('an empty prompt is rejected by the server with a readable reason', async () => {
    const error = await apiFailure(client().createSession(SANDBOX_ORG_IDS.acme, { prompt: '' }));
    assert.equal(error.kind, 'validation');
    assert.match(error.message, /prompt/);
  });
});

describe('errors', () => {
  test('401: invalid or expired token', async () => {
    for (const token of [SANDBOX_TOKENS.expired, 'cog_not_a_real_token']) {
      const error = await apiFailure(client({ token }).listOrganizations());
      assert.equal(error.kind, 'unauthorized');
      assert.match(error.message, /invalid or has expired.*Sign In/);
    }
  });

  test('403 names the permission the role lacks', async () => {
    const error = await apiFailure(client({ token: SANDBOX_TOKENS.member }).listOrganizations());
    assert.equal(error.kind, 'forbidden');
    assert.match(error.message, /ManageOrganizations/);
    const otherOrg = await apiFailure(
      client({ token: SANDBOX_TOKENS.orgServiceUser }).listSessions(SANDBOX_ORG_IDS.globex),
    );
    assert.equal(otherOrg.kind, 'forbidden');
  });

  test('404 for an unknown session', async () => {
    const error = await apiFailure(client().getSession(SANDBOX_ORG_IDS.acme, 'devin-00000000000000000000000000000000'));
    assert.equal(error.kind, 'notFound');
  });

  test('429 with Retry-After is waited for and retried, for writes too', async () => {
    sandbox.faults.inject({
      kind: 'status',
      status: 429,
      retryAfterSeconds: 2,
      match: { method: 'POST', pathIncludes: '/sessions' },
    });
    const created = await client().createSession(SANDBOX_ORG_IDS.acme, { prompt: 'Rate limited once' });
    assert.match(created.id, /^devin-/);
    assert.deepEqual(sleeps, [2000]);
  });

  test('429 without Retry-After backs off a bounded number of times, then explains', async () => {
    sandbox.faults.inject({ kind: 'status', status: 429, times: 10 });
    const error = await apiFailure(client().listOrganizations());
    assert.equal(error.kind, 'rateLimited');
    assert.match(error.message, /rate limiting/);
    assert.equal(sleeps.length, 2, 'two retries, then give up');
    assert.ok(sleeps[1] > sleeps[0], 'exponential back-off');
  });

  test('a Retry-After longer than the bound goes straight to the user', async () => {
    sandbox.faults.inject({ kind: 'status', status: 429, retryAfterSeconds: 600 });
    const error = await apiFailure(client().listOrganizations());
    assert.equal(error.retryAfterSeconds, 600);
    assert.match(error.message, /about 600 s/);
    assert.deepEqual(sleeps, []);
  });

  test('5xx is retried for reads but never for writes', async () => {
    sandbox.faults.inject({ kind: 'status', status: 500, match: { method: 'GET' } });
    const page = await client().listOrganizations();
    assert.ok(page.items.length > 0);
    assert.equal(sleeps.length, 1);
    sandbox.faults.inject({ kind: 'status', status: 503, match: { method: 'POST' } });
    const before = sandbox.requests.length;
    const error = await apiFailure(client().createSession(SANDBOX_ORG_IDS.acme, { prompt: 'Once only' }));
    assert.equal(error.kind, 'server');
    assert.equal(sandbox.requests.length - before, 1, 'the POST was sent once');
  });

  test('a dropped connection is a network error, retried for reads', async () => {
    sandbox.faults.inject({ kind: 'drop', times: 10, match: { method: 'POST' } });
    const error = await apiFailure(client().createSession(SANDBOX_ORG_IDS.acme, { prompt: 'x' }));
    assert.equal(error.kind, 'network');
    // The POST was written before the connection dropped, so the client cannot know whether it was carried out.
    assert.equal(error.outcomeUnknown, true);
    assert.match(error.message, /may have carried it out/);
    sandbox.faults.clear();
    sandbox.faults.inject({ kind: 'drop', match: { method: 'GET' } });
    assert.ok((await client().listOrganizations()).items.length > 0);
  });

  test('malformed JSON and a wrong shape are both "malformed", not crashes', async () => {
    sandbox.faults.inject({ kind: 'malformed', times: 1 });
    const unreadable = await apiFailure(client().createSession(SANDBOX_ORG_IDS.acme, { prompt: 'x' }));
    assert.equal(unreadable.kind, 'malformed');
    assert.match(unreadable.message, /could not read/);
    sandbox.faults.inject({ kind: 'wrong-shape', times: 5 });
    const error = await apiFailure(client().listSessions(SANDBOX_ORG_IDS.acme));
    assert.equal(error.kind, 'malformed');
    assert.match(error.message, /answered in an unexpected shape \(GET \/v3\/organizations\/.+\/sessions\)/);
  });

  test('a slow answer times out; an aborted call is cancelled', async () => {
    sandbox.faults.inject({ kind: 'slow', delayMs: 1500, times: 5 });
    const timedOut = await apiFailure(client({ timeoutMs: 200 }).createSession(SANDBOX_ORG_IDS.acme, { prompt: 'x' }));
    assert.equal(timedOut.kind, 'timeout');
    const controller = new AbortController();
    const pending = client().listOrganizations({ signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    assert.equal((await apiFailure(pending)).kind, 'cancelled');
  });
});

describe('other workflows', () => {
  test('knowledge notes: create then find by search', async () => {
    const api = client();
    const note = await api.createKnowledgeNote(SANDBOX_ORG_IDS.acme, {
      name: 'Lint rules',
      body: 'Run npm run lint before committing.',
      trigger: 'When committing',
    });
    const found = await api.listKnowledgeNotes(SANDBOX_ORG_IDS.acme, { search: 'lint rules' });
    assert.ok(found.items.some((item) => item.id === note.id && item.trigger === 'When committing'));
  });

  test('audit logs page through a time window', async () => {
    const now = Math.floor(Date.now() / 1000);
    const page = await client().listAuditLogs({ timeAfter: now - 30 * 86_400, timeBefore: now + 60, first: 10 });
    assert.ok(page.items.length > 0 && page.items.length <= 10);
    assert.ok(page.items.every((entry) => entry.action.length > 0));
  });

  test('service users are provisioned under /v3beta1 with a role id and a lifetime, whatever the version', async () => {
    for (const version of ['v3beta1', 'v3'] as const) {
      const created = await createServiceUser(client({ version }), SANDBOX_ORG_IDS.globex, {
        name: `ci-${version}`,
        roleId: 'org_member',
        ttlSeconds: 30 * 86_400,
      });
      assert.match(created.token, /^cog_/);
      const request = sandbox.requests.at(-1);
      assert.equal(request?.path, `/v3beta1/organizations/${SANDBOX_ORG_IDS.globex}/service-users`);
      assert.deepEqual(request?.body, { name: `ci-${version}`, role_id: 'org_member', ttl_seconds: 2_592_000 });
      const identity = await client({ token: created.token }).getSelf();
      assert.equal(identity.orgId, SANDBOX_ORG_IDS.globex);
    }
  });

  test("the specification's service-user call is used only when provisioning answers 404", async () => {
    sandbox.faults.inject({
      kind: 'status',
      status: 404,
      body: { detail: 'Not Found' },
      match: { method: 'POST', pathIncludes: `${SANDBOX_ORG_IDS.acme}/service-users` },
    });
    const created = await createServiceUser(client(), SANDBOX_ORG_IDS.acme, {
      name: 'legacy-bot',
      roleId: 'org_admin',
      roleName: 'Admin',
      ttlSeconds: 86_400,
    });
    assert.match(created.token, /^cog_/);
    const posts = sandbox.requests.filter((request) => request.method === 'POST').slice(-2);
    assert.deepEqual(
      posts.map((request) => request.path),
      [
        `/v3beta1/organizations/${SANDBOX_ORG_IDS.acme}/service-users`,
        `/v3beta1/organizations/${SANDBOX_ORG_IDS.acme}/members/service-users`,
      ],
    );
    assert.deepEqual(posts[1]?.body, { name: 'legacy-bot', role: 'admin' });
  });

  test('a 403 from provisioning is reported, not retried with the older call', async () => {
    const error = await apiFailure(
      createServiceUser(client({ token: SANDBOX_TOKENS.member }), SANDBOX_ORG_IDS.acme, {
        name: 'x',
        roleId: 'org_member',
        ttlSeconds: 60,
      }),
    );
    assert.equal(error.kind, 'forbidden');
    assert.match(error.message, /ManageOrgServiceUsers/);
    assert.equal(sandbox.requests.filter((request) => request.path.includes('members/service-users')).length, 0);
  });

  test('a lifetime beyond 365 days is refused before any request', async () => {
    await assert.rejects(
      createServiceUser(client(), SANDBOX_ORG_IDS.acme, { name: 'x', roleId: 'org_member', ttlSeconds: 31_536_001 }),
      RangeError,
    );
    assert.equal(sandbox.requests.length, 0);
  });

  test('roles: the enterprise list for admins, the organization list for org admins, built-ins otherwise', async () => {
    const admin = await listAssignableRoles(client(), SANDBOX_ORG_IDS.acme);
    assert.equal(admin.source, 'enterprise');
    assert.deepEqual(
      admin.roles.map((role) => role.id),
      ['org_admin', 'org_member'],
    );
    const orgAdmin = await listAssignableRoles(client({ token: SANDBOX_TOKENS.orgServiceUser }), SANDBOX_ORG_IDS.acme);
    assert.equal(orgAdmin.source, 'organization');
    assert.ok(orgAdmin.roles.every((role) => role.type === 'org'));
    const member = await listAssignableRoles(client({ token: SANDBOX_TOKENS.member }), SANDBOX_ORG_IDS.acme);
    assert.equal(member.source, 'builtIn');
    assert.deepEqual(
      member.roles.map((role) => role.id),
      ['org_member', 'org_admin'],
    );
  });
});
