// Sandbox sessions and knowledge over real HTTP: seeded data, filters, lifecycle with an injected
// clock, messages and auto-resume.

import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { SANDBOX_ORG_IDS } from '../sandbox/tokens';
import { apiClient, type ApiClient } from '../sandbox/client';

const ACME = SANDBOX_ORG_IDS.acme;
const STEP = 1000;
const START = Date.UTC(2026, 0, 15, 12, 0, 0);
let clock = START;

interface Session {
  session_id: string;
  status: string;
  status_detail: string | null;
  title: string | null;
  tags: string[];
  created_at: number;
  acus_consumed: number;
  is_archived: boolean;
  pull_requests: { pr_url: string; pr_state: string | null }[];
  [key: string]: unknown;
}

async function allSessions(client: ApiClient, orgId: string, extra = ''): Promise<Session[]> {
  const out: Session[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; json: { items: Session[]; end_cursor: string | null } } = await client.get(
      `/v3/organizations/${orgId}/sessions?first=200${extra}${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`,
    );
    assert.equal(res.status, 200);
    out.push(...res.json.items);
    cursor = res.json.end_cursor;
  } while (cursor);
  return out;
}

describe('Devin API sandbox: sessions and knowledge', () => {
  let sb: Sandbox;
  let admin: ApiClient;
  let member: ApiClient;

  before(async () => {
    sb = await startSandbox({ now: () => clock, sessionStepMs: STEP });
    admin = apiClient(sb.baseUrl, sb.tokens.enterpriseAdmin);
    member = apiClient(sb.baseUrl, sb.tokens.member);
  });
  after(() => sb.close());
  beforeEach(() => {
    clock = START;
    sb.reset();
  });

  it('seeds a large org with every status, bare ids, unknown values and newest-first order', async () => {
    const sessions = await allSessions(admin, ACME);
    assert.ok(sessions.length >= 250);
    const first = await admin.get(`/v3/organizations/${ACME}/sessions?first=10`);
    assert.equal(first.json.total, sessions.length);
    assert.equal(new Set(sessions.map((s) => s.session_id)).size, sessions.length);
    const created = sessions.map((s) => s.created_at);
    assert.deepEqual(
      created,
      [...created].sort((a, b) => b - a),
    );
    const startS = Math.floor(START / 1000);
    assert.ok(sessions.every((s) => s.created_at <= startS && s.created_at >= startS - 90 * 86_400));
    const statuses = new Set(sessions.map((s) => s.status));
    for (const s of ['new', 'claimed', 'running', 'exit', 'error', 'suspended', 'resuming', 'hibernating'])
      assert.ok(statuses.has(s), s);
    const details = new Set(sessions.map((s) => s.status_detail));
    for (const d of [
      'working',
      'waiting_for_user',
      'waiting_for_approval',
      'finished',
      'inactivity',
      'user_request',
      'usage_limit_exceeded',
      'out_of_credits',
      'out_of_quota',
      'no_quota_allocation',
      'payment_declined',
      'org_usage_limit_exceeded',
      'total_session_limit_exceeded',
      'error',
    ]) {
      assert.ok(details.has(d), d);
    }
    const bare = sessions.filter((s) => /^[0-9a-f]{32}$/.test(s.session_id));
    assert.ok(bare.length >= 3);
    assert.ok(sessions.every((s) => /^(devin-)?[0-9a-f]{32}$/.test(s.session_id)));
    assert.ok(sessions.some((s) => s.title === null));
    assert.ok(sessions.some((s) => s.pull_requests.length > 0));
    assert.ok(sessions.some((s) => 'sandbox_future_field' in s));
    for (const key of [
      'session_id',
      'url',
      'status',
      'tags',
      'org_id',
      'created_at',
      'updated_at',
      'acus_consumed',
      'pull_requests',
    ]) {
      assert.ok(
        sessions.every((s) => key in s),
        key,
      );
    }
    const b = bare[0] as Session;
    assert.equal((await admin.get(`/v3/organizations/${ACME}/sessions/${b.session_id}`)).json.session_id, b.session_id);
    assert.equal((await admin.get(`/v3/organizations/${ACME}/sessions/devin-${b.session_id}`)).status, 200);
    assert.equal((await admin.get(`/v3/organizations/${ACME}/sessions/devin-${'0'.repeat(32)}`)).status, 404);
    assert.equal((await admin.get(`/v3/organizations/${SANDBOX_ORG_IDS.globex}/sessions/${b.session_id}`)).status, 404);
  });

  it('is deterministic for the same clock', async () => {
    const other = await startSandbox({ now: () => START });
    try {
      const a = await admin.get(`/v3/organizations/${ACME}/sessions?first=50`);
      const b = await apiClient(other.baseUrl, other.tokens.enterpriseAdmin).get(
        `/v3/organizations/${ACME}/sessions?first=50`,
      );
      assert.deepEqual(a.json, b.json);
    } finally {
      await other.close();
    }
  });

  it('filters by tags and session_ids given comma-separated or repeated, and by archive state', async () => {
    const tagged = await allSessions(admin, ACME, '&tags=frontend');
    assert.ok(tagged.length > 0 && tagged.every((s) => s.tags.includes('frontend')));
    const comma = await allSessions(admin, ACME, '&tags=frontend,docs');
    const repeated = await allSessions(admin, ACME, '&tags=frontend&tags=docs');
    assert.deepEqual(
      comma.map((s) => s.session_id),
      repeated.map((s) => s.session_id),
    );
    assert.ok(comma.length > tagged.length);
    const [x, y] = tagged;
    const ids = await allSessions(admin, ACME, `&session_ids=${x?.session_id},${y?.session_id}`);
    assert.equal(ids.length, 2);
    const idsRepeated = await allSessions(admin, ACME, `&session_ids=${x?.session_id}&session_ids=${y?.session_id}`);
    assert.equal(idsRepeated.length, 2);
    const archived = await allSessions(admin, ACME, '&is_archived=true');
    assert.ok(archived.length > 0 && archived.every((s) => s.is_archived));
    const startS = Math.floor(START / 1000);
    const recent = await allSessions(admin, ACME, `&created_after=${startS - 7 * 86_400}`);
    assert.ok(recent.every((s) => s.created_at >= startS - 7 * 86_400));
  });

  it('moves a created session through its lifecycle as the clock advances', async () => {
    const base = `/v3/organizations/${ACME}/sessions`;
    assert.equal((await member.post(base, { prompt: '' })).status, 422);
    const noPrompt = await member.post(base.replace('/v3/', '/v3beta1/'), { title: 'x' });
    assert.deepEqual(noPrompt.json.detail[0].loc, ['body', 'prompt']);
    assert.equal((await member.post(base, { prompt: 'x', create_as_user_id: 'user-alice-0001' })).status, 403);
    assert.equal(
      (await admin.post(base, { prompt: 'x', create_as_user_id: 'user-alice-0001' })).json.user_id,
      'user-alice-0001',
    );

    const created = await member.post(base, { prompt: 'Add a CONTRIBUTING.md\nwith setup steps', tags: ['docs'] });
    assert.equal(created.status, 200);
    const s = created.json as Session;
    assert.match(s.session_id, /^devin-[0-9a-f]{32}$/);
    assert.match(String(s.url), /^https:\/\//);
    assert.equal(s.status, 'new');
    assert.equal(s.title, 'Add a CONTRIBUTING.md');
    const get = async (): Promise<Session> => (await member.get(`${base}/${s.session_id}`)).json as Session;
    const messages = async (): Promise<{ source: string; message: string; created_at: number }[]> =>
      (await member.get(`${base}/${s.session_id}/messages`)).json.items;

    clock += STEP;
    let now = await get();
    assert.deepEqual([now.status, now.status_detail], ['running', 'working']);
    clock += STEP / 2;
    const midAcus = (await get()).acus_consumed;
    assert.ok(midAcus > 0);
    clock += STEP / 2;
    now = await get();
    assert.deepEqual([now.status, now.status_detail], ['running', 'waiting_for_user']);
    assert.ok(now.acus_consumed > midAcus);
    let msgs = await messages();
    assert.equal(msgs[0]?.source, 'user');
    assert.equal(msgs[msgs.length - 1]?.source, 'devin');
    assert.match(msgs[msgs.length - 1]?.message ?? '', /\?/);

    clock += 10 * STEP; // waiting does not progress by itself
    assert.equal((await get()).status_detail, 'waiting_for_user');
    const sent = await member.post(`${base}/${s.session_id}/messages`, { message: 'Yes, open a PR\nthanks' });
    assert.equal(sent.status, 200);
    assert.equal(sent.json.status, 'running');
    assert.equal((await get()).status_detail, 'working');
    clock += STEP;
    now = await get();
    assert.deepEqual([now.status, now.status_detail], ['running', 'finished']);
    msgs = await messages();
    assert.equal(msgs[msgs.length - 1]?.message, 'Done: Yes, open a PR');
    assert.deepEqual(
      msgs.map((m) => m.created_at),
      [...msgs.map((m) => m.created_at)].sort((a, b) => a - b),
    );
    const listed = await member.get(`${base}?first=1`);
    assert.equal(listed.json.items[0].session_id, s.session_id);

    const tags = await member.post(`${base}/${s.session_id}/tags`, { tags: ['docs', 'vscode'] });
    assert.deepEqual(tags.json, { tags: ['docs', 'vscode'] });
    assert.deepEqual((await member.put(`${base}/${s.session_id}/tags`, { tags: ['only'] })).json, { tags: ['only'] });
    assert.deepEqual((await member.get(`${base}/${s.session_id}/tags`)).json, { tags: ['only'] });

    const terminated = await member.del(`${base}/${s.session_id}`);
    assert.equal(terminated.json.status, 'exit');
    const late = await member.post(`${base}/${s.session_id}/messages`, { message: 'more?' });
    assert.equal(late.status, 409);
    assert.equal(typeof late.json.detail, 'string');
  });

  it('auto-resumes suspended sessions on a new message and refuses archived or ended ones', async () => {
    const sessions = await allSessions(admin, ACME);
    const suspended = sessions.find((s) => s.status === 'suspended' && !s.is_archived) as Session;
    const base = `/v3/organizations/${ACME}/sessions`;
    assert.equal((await admin.post(`${base}/${suspended.session_id}/messages`, {})).status, 422);
    const sent = await admin.post(`${base}/${suspended.session_id}/messages`, { message: 'Please continue' });
    assert.equal(sent.status, 200);
    assert.notEqual(sent.json.status, 'suspended');
    clock += 2 * STEP;
    const after = await admin.get(`${base}/${suspended.session_id}`);
    assert.deepEqual([after.json.status, after.json.status_detail], ['running', 'finished']);
    const msgs = (await admin.get(`${base}/${suspended.session_id}/messages`)).json.items;
    assert.equal(msgs[msgs.length - 1].message, 'Done: Please continue');

    const hibernating = sessions.find((s) => s.status === 'hibernating') as Session;
    assert.equal((await admin.post(`${base}/${hibernating.session_id}/messages`, { message: 'wake up' })).status, 200);
    const ended = sessions.find((s) => s.status === 'error') as Session;
    assert.equal((await admin.post(`${base}/${ended.session_id}/messages`, { message: 'hi' })).status, 409);

    const running = sessions.find((s) => s.status === 'running' && !s.is_archived) as Session;
    const archived = await admin.post(`${base}/${running.session_id}/archive`);
    assert.equal(archived.json.is_archived, true);
    assert.equal(archived.json.status, 'suspended');
    assert.equal((await admin.post(`${base}/${running.session_id}/messages`, { message: 'hi' })).status, 409);
  });

  it('pages long message histories chronologically', async () => {
    const sessions = await allSessions(admin, ACME);
    let longest = { id: '', total: 0 };
    for (const s of sessions.filter((x) => x.status_detail === 'finished')) {
      const res = await admin.get(`/v3/organizations/${ACME}/sessions/${s.session_id}/messages?first=1`);
      if (res.json.total > longest.total) longest = { id: s.session_id, total: res.json.total };
    }
    assert.ok(longest.total > 200);
    const p1 = await admin.get(`/v3/organizations/${ACME}/sessions/${longest.id}/messages?first=200`);
    assert.equal(p1.json.has_next_page, true);
    const p2 = await admin.get(
      `/v3/organizations/${ACME}/sessions/${longest.id}/messages?first=200&after=${encodeURIComponent(p1.json.end_cursor)}`,
    );
    assert.equal(p2.json.has_next_page, false);
    assert.equal(p2.json.end_cursor, null);
    assert.equal(p1.json.items.length + p2.json.items.length, longest.total);
  });

  it('supports knowledge note CRUD with search and validation', async () => {
    const base = `/v3/organizations/${ACME}/knowledge/notes`;
    const listed = await member.get(`${base}?first=10`);
    assert.equal(listed.status, 200);
    assert.equal(listed.json.items.length, 10);
    assert.ok(listed.json.total > 10);
    const search = await member.get(`${base}?search=DEPLOY`);
    assert.ok(search.json.items.length > 0);
    assert.ok(
      search.json.items.every((n: { name: string; body: string; trigger: string }) =>
        `${n.name} ${n.body} ${n.trigger}`.toLowerCase().includes('deploy'),
      ),
    );

    const bad = await admin.post(base, { name: 'only a name' });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.json.errors.map((e: { loc: string[] }) => e.loc[1]).sort(), ['body', 'trigger']);
    const created = await admin.post(base, { name: 'Lint', body: 'Run npm run lint', trigger: 'Before committing' });
    assert.equal(created.status, 200);
    assert.match(created.json.note_id, /^note-/);
    assert.equal(created.json.ownerOrgId, undefined);
    const id = created.json.note_id as string;
    assert.equal((await member.get(`${base}/${id}`)).json.name, 'Lint');
    const updated = await admin.put(`${base}/${id}`, { name: 'Lint 2', body: 'b', trigger: 't', is_enabled: false });
    assert.equal(updated.json.is_enabled, false);
    assert.equal((await admin.del(`${base}/${id}`)).json.name, 'Lint 2');
    assert.equal((await admin.get(`${base}/${id}`)).status, 404);
    assert.equal((await admin.get(`/v3/organizations/${SANDBOX_ORG_IDS.empty}/knowledge/notes`)).json.total, 0);
  });
});
