import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SANDBOX_ORG_IDS } from '../sandbox/server';
import { signedInSuite } from './support';

/**
 * The administrative writes on the current API (v3): the sandbox refuses any field the current schemas
 * do not have, so each write here also proves its body is current.
 */

type Outcome = { ok: boolean; error?: string; [key: string]: unknown };

suite('Devin current API', () => {
  const suite = signedInSuite({ apiVersion: 'v3', freshEachTest: true });

  test('v3 is the default version', () => {
    const inspected = vscode.workspace.getConfiguration('devin').inspect<string>('apiVersion');
    assert.equal(inspected?.defaultValue, 'v3');
  });

  test('a new organization carries its monthly and per-session ACU limits', async () => {
    const outcome = (await vscode.commands.executeCommand('devin.createOrganization', {
      name: 'Umbrella Research',
      maxCycleAcuLimit: 250,
      maxSessionAcuLimit: 20,
    })) as Outcome;
    assert.equal(outcome.ok, true, outcome.error);
    const request = suite.sandbox.requests.find((candidate) => candidate.method === 'POST');
    assert.equal(request?.path, '/v3/enterprise/organizations');
    assert.deepEqual(request?.body, { name: 'Umbrella Research', max_cycle_acu_limit: 250, max_session_acu_limit: 20 });
  });

  test('service users are provisioned under /v3beta1 even when the setting says v3', async () => {
    const outcome = (await vscode.commands.executeCommand('devin.createServiceUser', {
      orgId: SANDBOX_ORG_IDS.acme,
      name: 'deploy-bot',
      roleId: 'org_admin',
      ttlDays: 30,
    })) as Outcome;
    assert.equal(outcome.ok, true, outcome.error);
    const posts = suite.sandbox.requests.filter((candidate) => candidate.method === 'POST');
    assert.deepEqual(
      posts.map((request) => request.path),
      [`/v3beta1/organizations/${SANDBOX_ORG_IDS.acme}/service-users`],
    );
    assert.deepEqual(posts[0]?.body, { name: 'deploy-bot', role_id: 'org_admin', ttl_seconds: 30 * 86_400 });
  });

  test('a role the organization does not have is refused with the server field message, and kept for Retry', async () => {
    const outcome = (await vscode.commands.executeCommand('devin.createServiceUser', {
      orgId: SANDBOX_ORG_IDS.acme,
      name: 'deploy-bot',
      roleId: 'owner',
      ttlDays: 30,
    })) as Outcome;
    assert.equal(outcome.ok, false);
    assert.match(outcome.error ?? '', /role_id/);
    assert.doesNotMatch(outcome.error ?? '', /cog_/);
  });
});
