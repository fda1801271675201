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
