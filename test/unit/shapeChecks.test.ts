import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { DevinClient, type ApiVersion } from '../../src/api/client';
import { fetchEnterpriseConsumption, fetchOrganizationConsumption } from '../../src/api/consumptionEndpoints';
import { DevinApiError } from '../../src/api/errors';
import { identifiesPrincipal } from '../../src/api/mappers';
import { resolveRange } from '../../src/core/consumptionSeries';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../sandbox/server';

/**
 * Answers of the right JSON type but the wrong shape: an identity that names nobody must not pass as a
 * signed-in principal, and consumption without its series must not read as zero ACUs.
 */

let sandbox: Sandbox;

function client(version: ApiVersion = 'v3', token: string = SANDBOX_TOKENS.enterpriseAdmin): DevinClient {
  return new DevinClient({
    baseUrl: sandbox.baseUrl,
    apiVersion: version,
    getToken: async () => token,
    timeoutMs: 5000,
    sleep: async () => undefined,
  });
}

function isUnexpectedShape(error: unknown): boolean {
  assert.ok(error instanceof DevinApiError, String(error));
  assert.equal(error.kind, 'malformed');
  assert.match(error.message, /answered in an unexpected shape/);
  assert.ok(!/No ACUs|Signed in/.test(error.message));
  return true;
}

before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());
afterEach(() => sandbox.reset());

describe('identity', () => {
  for (const version of ['v3', 'v3beta1'] as const)
    test(`real identities on ${version} still pass`, async () => {
      for (const token of [SANDBOX_TOKENS.enterpriseAdmin, SANDBOX_TOKENS.member, SANDBOX_TOKENS.orgServiceUser]) {
        const identity = await client(version, token).getSelf();
        assert.ok(identity.id, `${version}: ${identity.name}`);
      }
    });

  test('an answer that names no principal is an unexpected shape, on both paths', async () => {
    sandbox.faults.inject({ kind: 'wrong-shape', match: { pathIncludes: 'self' }, times: 2 });
    await assert.rejects(client('v3').getSelf(), isUnexpectedShape);
    for (const body of [
      {},
      { items: 'nope' },
      { principal_type: 'service_user' },
      { principal_type: 'pat_user', user_name: 'x' },
    ])
      assert.equal(identifiesPrincipal(body as never), false, JSON.stringify(body));
  });

  test('each documented shape names its principal', () => {
    for (const body of [
      { principal_type: 'service_user', service_user_id: 'su-1', service_user_name: 'ci' },
      { principal_type: 'pat_user', user_id: 'u-1', user_name: 'Mia' },
      { org_id: null, service_user_id: 'su-1', service_user_name: 'ci' },
      { name: 'legacy example', role: 'admin' },
      { user_id: 42 },
    ])
      assert.equal(identifiesPrincipal(body as never), true, JSON.stringify(body));
  });
});

describe('consumption', () => {
  const range = () => resolveRange({ kind: 'preset', days: 7 }, Date.now());
  const acme = { id: SANDBOX_ORG_IDS.acme, name: 'Acme' } as never;

  test('a wrong-shape daily answer is an unexpected shape, not zero ACUs', async () => {
    sandbox.faults.inject({ kind: 'wrong-shape', match: { pathIncludes: 'consumption' } });
    await assert.rejects(fetchOrganizationConsumption(client(), acme, { range: range() }), isUnexpectedShape);
    sandbox.faults.inject({ kind: 'wrong-shape', match: { pathIncludes: 'consumption' } });
    await assert.rejects(fetchEnterpriseConsumption(client('v3'), [acme], { range: range() }), isUnexpectedShape);
    sandbox.faults.inject({ kind: 'wrong-shape', match: { pathIncludes: 'consumption' } });
    await assert.rejects(fetchEnterpriseConsumption(client('v3beta1'), [acme], { range: range() }), isUnexpectedShape);
  });

  test('a real answer with no consumption is still zero, not an error', async () => {
    const empty = { id: SANDBOX_ORG_IDS.empty, name: 'Empty' } as never;
    const [result] = await fetchOrganizationConsumption(client(), empty, { range: range() });
    assert.ok(result);
    assert.equal(
      result.entries.reduce((sum, entry) => sum + entry.acus, 0),
      0,
    );
  });
});
