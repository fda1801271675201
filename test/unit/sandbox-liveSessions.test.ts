// The sandbox features the poller relies on: the enterprise session list, the list filters, and the control
// routes that change a session on request, in both API versions.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { FakeClock } from '../fakeClock';
import { apiClient, type ApiClient } from '../sandbox/client';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../sandbox/server';

describe('sandbox: live sessions', () => {
  const clock = new FakeClock();
  let sb: Sandbox;
  let admin: ApiClient;
  let control: ApiClient;

  before(async () => {
    sb = await startSandbox({ now: clock.now });
    admin = apiClient(sb.baseUrl, SANDBOX_TOKENS.enterpriseAdmin);
    control = apiClient(sb.baseUrl, undefined);
  });
  after(() => sb.close());
  beforeEach(() => sb.reset());

  for (const version of ['v3', 'v3beta1'] as const) {
    it(`${version}: the enterprise list spans organizations, filters by org_ids, and needs ViewAccountSessions`, async () => {
      const all = await admin.get(`/${version}/enterprise/sessions?first=200`);
      assert.equal(all.status, 200);
      const orgs = new Set(all.json.items.map((s: { org_id: string }) => s.org_id));
      assert.ok(orgs.size >= 3, 'sessions of several organizations');
      assert.ok(all.json.total > 300);
      if (version === 'v3beta1') assert.equal(all.json.items[0].is_advanced, false, 'the beta shape');
      const globex = await admin.get(`/${version}/enterprise/sessions?org_ids=${SANDBOX_ORG_IDS.globex}&first=200`);
      assert.ok(globex.json.items.every((s: { org_id: string }) => s.org_id === SANDBOX_ORG_IDS.globex));
      assert.equal(globex.json.total, 45);
      const member = apiClient(sb.baseUrl, SANDBOX_TOKENS.member);
      const refused = await member.get(`/${version}/enterprise/sessions`);
      assert.equal(refused.status, 403);
      assert.match(refused.text, /ViewAccountSessions/);
    });

    it(`${version}: a session steered by hand shows up in updated_after lists, with its new messages`, async () => {
      const list = `/${version}/organizations/${SANDBOX_ORG_IDS.acme}/sessions`;
      const first = (await admin.get(`${list}?first=1`)).json.items[0];
      clock.advance(60_000);
      const since = Math.floor(clock.now() / 1000);
      assert.equal((await admin.get(`${list}?updated_after=${since}`)).json.items.length, 0, 'nothing yet');
      const steered = await control.post(`/_sandbox/sessions/${first.session_id}/status`, {
        status: 'running',
        status_detail: 'waiting_for_user',
        message: 'Which port?',
      });
      assert.equal(steered.status, 200);
      for (const path of [`${list}?updated_after=${since}`, `/${version}/enterprise/sessions?updated_after=${since}`]) {
        const changed = (await admin.get(path)).json.items;
        assert.deepEqual(
          changed.map((s: { session_id: string; status_detail: string }) => [s.session_id, s.status_detail]),
          [[first.session_id, 'waiting_for_user']],
          path,
        );
      }
      assert.equal((await admin.get(`${list}?updated_before=${since}&first=200`)).json.total, 261);
      const messages = (await admin.get(`${list}/${first.session_id}/messages?first=200`)).json.items;
      assert.equal(messages.at(-1).message, 'Which port?');
      assert.equal(messages.at(-1).source, 'devin');

      clock.advance(1000);
      assert.equal(
        (await control.post(`/_sandbox/sessions/${first.session_id}/advance`)).json.status_detail,
        'finished',
      );
      assert.equal((await control.post(`/_sandbox/sessions/${first.session_id}/advance`)).json.status, 'exit');
      assert.equal((await control.post('/_sandbox/sessions/devin-nope/advance')).status, 404);
      assert.equal((await control.post(`/_sandbox/sessions/${first.session_id}/status`, {})).status, 400);
    });
  }

  it('a session can be made to read as odd servers report one: any updated_at, another organization, both pull request fields', async () => {
    const acme = `/v3/organizations/${SANDBOX_ORG_IDS.acme}/sessions`;
    const globex = `/v3/organizations/${SANDBOX_ORG_IDS.globex}/sessions`;
    const session = (await admin.get(`${acme}?first=1`)).json.items[0];
    const future = Math.floor(clock.now() / 1000) + 10 * 365 * 86_400;
    const dated = await control.post(`/_sandbox/sessions/${session.session_id}/fields`, { updated_at: future });
    assert.equal(dated.status, 200, dated.text);
    assert.equal(dated.json.updated_at, future);
    const changed = (await admin.get(`/v3/enterprise/sessions?updated_after=${future}`)).json.items;
    assert.deepEqual(
      changed.map((s: { session_id: string }) => s.session_id),
      [session.session_id],
    );
    assert.equal(
      (await control.post(`/_sandbox/sessions/${session.session_id}/fields`, { updated_at: 0 })).json.updated_at,
      0,
      '1970 is a date like any other',
    );

    const moved = await control.post(`/_sandbox/sessions/${session.session_id}/fields`, {
      org_id: SANDBOX_ORG_IDS.globex,
    });
    assert.equal(moved.json.org_id, SANDBOX_ORG_IDS.globex);
    assert.equal(moved.json.updated_at, Math.floor(clock.now() / 1000), 'stamped now unless told otherwise');
    const ids = async (path: string) =>
      (await admin.get(`${path}?first=200`)).json.items.map((s: { session_id: string }) => s.session_id);
    assert.ok(!(await ids(acme)).includes(session.session_id));
    assert.ok((await ids(globex)).includes(session.session_id));
    assert.equal((await admin.get(`${acme}/${session.session_id}`)).status, 404);

    const url = 'https://github.com/acme/api/pull/7';
    const both = await control.post(`/_sandbox/sessions/${session.session_id}/fields`, {
      pull_requests: [{ pr_url: url, pr_state: 'open' }],
      pull_request: { pr_url: url },
    });
    assert.deepEqual(both.json.pull_requests, [{ pr_url: url, pr_state: 'open' }]);
    assert.deepEqual(both.json.pull_request, { pr_url: url, pr_state: null });
    const listed = (await admin.get(`${globex}/${session.session_id}`)).json;
    assert.deepEqual(listed.pull_request, { pr_url: url, pr_state: null }, 'the older field is in every answer');
    const removed = await control.post(`/_sandbox/sessions/${session.session_id}/fields`, { pull_request: null });
    assert.equal(removed.json.pull_request, undefined);

    for (const bad of [{ updated_at: 1.5 }, { updated_at: -1 }, { org_id: 'org-nope' }, { pull_requests: [{}] }])
      assert.equal(
        (await control.post(`/_sandbox/sessions/${session.session_id}/fields`, bad)).status,
        400,
        JSON.stringify(bad),
      );
    assert.equal((await control.post('/_sandbox/sessions/devin-nope/fields', {})).status, 404);
  });

  it('created_after and is_archived filter both lists', async () => {
    const created = (await admin.post(`/v3/organizations/${SANDBOX_ORG_IDS.globex}/sessions`, { prompt: 'New one' }))
      .json;
    const since = Math.floor(clock.now() / 1000);
    for (const path of [`/v3/organizations/${SANDBOX_ORG_IDS.globex}/sessions`, '/v3/enterprise/sessions']) {
      const fresh = (await admin.get(`${path}?created_after=${since}`)).json.items;
      assert.deepEqual(
        fresh.map((s: { session_id: string }) => s.session_id),
        [created.session_id],
      );
      const archived = (await admin.get(`${path}?is_archived=true&first=200`)).json.items;
      assert.ok(archived.length > 0 && archived.every((s: { is_archived: boolean }) => s.is_archived));
    }
  });
});
