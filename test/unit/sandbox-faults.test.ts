// Sandbox fault injection and the HTTP control API used by out-of-process tests and the demo.

import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../sandbox/server';
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
});
