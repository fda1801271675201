// Sandbox fault injection and the HTTP control API used by out-of-process tests and the demo.

import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FAULT_KINDS, startSandbox, type Fault, type Sandbox } from '../sandbox/server';
import { SANDBOX_ORG_IDS } from '../sandbox/tokens';
import { apiClient, type ApiClient } from '../sandbox/client';

const ACME = SANDBOX_ORG_IDS.acme;

describe('Devin API sandbox: faults and control API', () => {
  let sb: Sandbox;
  let admin: ApiClient;

  before(async () => {
    sb = await startSandbox();
    admin = apiClient(sb.baseUrl, sb.tokens.enterpriseAdmin);
  });
  after(() => sb.close());
  beforeEach(() => sb.reset());

  it('applies each fault kind to matching requests only, then recovers', async () => {
    const path = `/v3/organizations/${ACME}/sessions?first=1`;
    sb.faults.inject({ kind: 'status', status: 429, retryAfterSeconds: 7, match: { pathIncludes: '/sessions' } });
    assert.equal((await admin.get('/v3/self')).status, 200, 'non-matching request unaffected');
    const limited = await admin.get(path);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '7');
    assert.equal((await admin.get(path)).status, 200, 'consumed after one use');

    sb.faults.inject({ kind: 'status', status: 502, times: 2 });
    assert.equal((await admin.get(path)).status, 502);
    const second = await admin.get(path);
    assert.equal(second.status, 502);
    assert.match(second.contentType, /text\/html/);
    assert.equal((await admin.get(path)).status, 200);

    sb.faults.inject({ kind: 'status', status: 500, body: { detail: 'boom' }, match: { method: 'POST' } });
    assert.equal((await admin.get(path)).status, 200);
    assert.deepEqual((await admin.post(`/v3/organizations/${ACME}/sessions`, { prompt: 'x' })).json, {
      detail: 'boom',
    });

    sb.faults.inject({ kind: 'malformed' });
    const malformed = await admin.get(path);
    assert.equal(malformed.status, 200);
    assert.equal(malformed.json, undefined);
    assert.throws(() => JSON.parse(malformed.text));

    sb.faults.inject({ kind: 'wrong-shape' });
    const wrong = await admin.get(path);
    assert.equal(wrong.status, 200);
    assert.equal(wrong.json.items, 'nope');

    sb.faults.inject({ kind: 'drop' });
    await assert.rejects(admin.get(path));

    sb.faults.inject({ kind: 'slow', delayMs: 300 });
    const started = Date.now();
    const slow = await admin.get(path);
    assert.equal(slow.status, 200);
    assert.ok(Date.now() - started >= 280);

    sb.faults.inject({ kind: 'status', status: 503, times: Infinity });
    assert.equal((await admin.get(path)).status, 503);
    assert.equal((await admin.get(path)).status, 503);
    sb.faults.clear();
    assert.equal((await admin.get(path)).status, 200);
  });

  it('offers an HTTP control API without auth', async () => {
    const ctl = apiClient(sb.baseUrl, undefined);
    assert.deepEqual((await ctl.get('/_sandbox/health')).json, { ok: true });
    assert.equal(
      (
        await ctl.post('/_sandbox/faults', {
          kind: 'status',
          status: 503,
          times: 'Infinity',
          match: { pathIncludes: '/self' },
        })
      ).status,
      200,
    );
    assert.equal((await ctl.post('/_sandbox/faults', { kind: 'nope' })).status, 400);
    assert.equal((await admin.get('/v3/self')).status, 503);
    assert.equal((await admin.get('/v3/self')).status, 503);
    assert.equal((await ctl.del('/_sandbox/faults')).status, 200);
    assert.equal((await admin.get('/v3/self?x=1&x=2')).status, 200);
    const recorded = (await ctl.get('/_sandbox/requests')).json;
    assert.equal(recorded.length, 3);
    const { responseBytes, ...request } = recorded[2];
    assert.deepEqual(request, {
      method: 'GET',
      path: '/v3/self',
      query: { x: ['1', '2'] },
      authorized: 'enterprise-admin',
    });
    assert.ok(responseBytes > 50, 'the size of the answer is recorded');
    await admin.post('/v3/enterprise/organizations', { name: 'Gone after reset' });
    assert.equal((await ctl.post('/_sandbox/reset')).status, 200);
    assert.equal(sb.requests.length, 0);
    const orgs = await admin.get('/v3/enterprise/organizations');
    assert.ok(!orgs.json.items.some((o: { name: string }) => o.name === 'Gone after reset'));
  });

  it('after-handler faults keep the work and lose the answer', async () => {
    const create = `/v3/organizations/${ACME}/sessions`;
    const before = sb.inventory().sessions;
    sb.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST' } });
    await assert.rejects(admin.post(create, { prompt: 'done, then dropped' }));
    assert.equal(sb.inventory().sessions, before + 1, 'the session exists although the answer was lost');
    assert.equal(sb.requests.at(-1)?.fault, 'dropAfterHandler');

    sb.faults.inject({ kind: 'timeoutAfterHandler', delayMs: 300, match: { method: 'POST' } });
    const started = Date.now();
    const late = await admin.post(create, { prompt: 'done, answered late' });
    assert.ok(Date.now() - started >= 280);
    assert.equal(late.status, 200);
    assert.equal(sb.inventory().sessions, before + 2);
  });

  it('answers every status in both error shapes, echoes tokens, and spoils pages on request', async () => {
    const path = `/v3/organizations/${ACME}/sessions?first=2`;
    for (const status of [400, 401, 403, 404, 409, 500] as const) {
      sb.faults.inject({ kind: 'status', status });
      const legacy = await admin.get(path);
      assert.equal(legacy.status, status);
      assert.equal(typeof legacy.json.detail, 'string');
      sb.faults.inject({ kind: 'status', status, shape: 'problem' });
      const problem = await admin.get(path);
      assert.match(problem.contentType, /application\/problem\+json/);
      assert.equal(problem.json.status, status);
    }
    sb.faults.inject({ kind: 'status', status: 422 });
    assert.deepEqual((await admin.get(path)).json.detail[0].loc, ['body', 'prompt']);
    sb.faults.inject({ kind: 'status', status: 422, shape: 'problem' });
    const problem422 = await admin.get(path);
    assert.equal(problem422.json.errors[0].msg, 'Field required');

    for (const [encoding, expected] of [
      ['plain', sb.tokens.enterpriseAdmin],
      ['url', encodeURIComponent(`Bearer ${sb.tokens.enterpriseAdmin}`)],
      ['base64', Buffer.from(sb.tokens.enterpriseAdmin).toString('base64')],
      ['header', `Authorization: Bearer ${sb.tokens.enterpriseAdmin}`],
    ] as const) {
      sb.faults.inject({ kind: 'echoToken', encoding });
      const echoed = await admin.get(path);
      assert.equal(echoed.status, 400);
      assert.ok(echoed.json.detail.includes(expected), encoding);
    }

    sb.faults.inject({ kind: 'emptyPageClaimsMore', cursor: 'repeat', times: 2 });
    const empty = await admin.get(path);
    assert.deepEqual([empty.json.items, empty.json.has_next_page], [[], true]);
    const again = await admin.get(`${path}&after=${encodeURIComponent(empty.json.end_cursor)}`);
    assert.equal(again.json.end_cursor, empty.json.end_cursor, 'the same cursor comes back');

    sb.faults.inject({ kind: 'oversized', items: 3000, bytes: 2_000_000 });
    const big = await admin.get(path);
    assert.equal(big.json.items.length, 3000);
    assert.ok(big.text.length > 1_900_000);

    sb.faults.inject({ kind: 'nullRow' });
    const nulled = await admin.get(path);
    assert.equal(nulled.json.items.length, 3);
    assert.equal(nulled.json.items[0].session_id, null);
    assert.equal(typeof nulled.json.items[1].session_id, 'string');
  });

  it('pages that overlap repeat the last row of each page at the start of the next, and still end', async () => {
    const list = '/v3/enterprise/organizations';
    const all = (await admin.get(`${list}?first=200`)).json.items.map((o: { org_id: string }) => o.org_id);
    assert.ok(all.length >= 4);
    sb.faults.inject({ kind: 'overlappingPages', times: Infinity, match: { pathIncludes: `${list}?` } });
    const pages: string[][] = [];
    let after = '';
    for (let page = 0; page < all.length; page++) {
      const answer = (await admin.get(`${list}?first=200${after}`)).json;
      pages.push(answer.items.map((o: { org_id: string }) => o.org_id));
      if (!answer.has_next_page) break;
      after = `&after=${encodeURIComponent(answer.end_cursor)}`;
    }
    assert.deepEqual(pages[0], all.slice(0, 2), 'two rows a page, whatever was asked');
    assert.deepEqual(pages[1], all.slice(1, 3), 'the next page begins with the last row of the one before');
    assert.deepEqual([...new Set(pages.flat())], all, 'every row, some twice');
    assert.equal(pages.flat().length, all.length + pages.length - 1);
  });

  it("an answer can be dated by any clock, the route's work unchanged", async () => {
    const dated = Date.UTC(1990, 0, 1, 12);
    sb.faults.inject({ kind: 'dateHeader', dateMs: dated, match: { pathIncludes: '/enterprise/sessions' } });
    const answer = await admin.get('/v3/enterprise/sessions?first=1');
    assert.equal(answer.status, 200);
    assert.equal(answer.json.items.length, 1);
    assert.equal(answer.headers.get('date'), new Date(dated).toUTCString());
    const next = await admin.get('/v3/enterprise/sessions?first=1');
    assert.notEqual(next.headers.get('date'), new Date(dated).toUTCString(), 'one answer only');
  });

  it('the control API accepts every fault kind and rejects bad parameters', async () => {
    const ctl = apiClient(sb.baseUrl, undefined);
    const examples: Record<Fault['kind'], Record<string, unknown>> = {
      status: { status: 422, shape: 'problem' },
      slow: { delayMs: 10 },
      malformed: {},
      drop: {},
      'wrong-shape': {},
      dropAfterHandler: {},
      timeoutAfterHandler: { delayMs: 100 },
      malformedAfterHandler: {},
      echoToken: { status: 403, encoding: 'base64' },
      emptyPageClaimsMore: { cursor: 'fresh' },
      oversized: { items: 10, bytes: 1000 },
      nullRow: { fields: ['session_id'] },
      overlappingPages: { pageSize: 3 },
      dateHeader: { dateMs: Date.UTC(1990, 0, 1) },
    };
    assert.deepEqual(Object.keys(examples).sort(), [...FAULT_KINDS].sort());
    for (const [kind, extra] of Object.entries(examples)) {
      const answer = await ctl.post('/_sandbox/faults', { kind, ...extra });
      assert.equal(answer.status, 200, `${kind}: ${JSON.stringify(answer.json)}`);
    }
    assert.equal((await ctl.get('/_sandbox/faults')).json.length, FAULT_KINDS.length);
    for (const bad of [
      { kind: 'status', status: 418 },
      { kind: 'status', status: 422, shape: 'xml' },
      { kind: 'timeoutAfterHandler', delayMs: -1 },
      { kind: 'echoToken', encoding: 'rot13' },
      { kind: 'emptyPageClaimsMore', cursor: 'sometimes' },
      { kind: 'oversized', items: 'many' },
      { kind: 'nullRow', fields: 'session_id' },
      { kind: 'overlappingPages', pageSize: 1 },
      { kind: 'dateHeader' },
      { kind: 'dateHeader', dateMs: 'yesterday' },
    ]) {
      assert.equal((await ctl.post('/_sandbox/faults', bad)).status, 400, JSON.stringify(bad));
    }
  });
});
