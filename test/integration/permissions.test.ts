import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DevinExtensionApi } from '../../src/extension';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, type Sandbox } from '../sandbox/server';
import { activateExtension, eventually, signIn, signOut, startSandboxForExtension } from './support';

/**
 * Roles: after sign-in the extension learns what the token may do, the `devin.can.*` keys hide the
 * menus it cannot use, and the palette explains the missing permission before asking for any input
 * (an input box left open would keep the command, and this test, waiting until it times out).
 */

type Outcome = { ok: boolean; error?: string; cancelled?: boolean };

suite('Devin token permissions', () => {
  let sandbox: Sandbox;
  let api: DevinExtensionApi;

  suiteSetup(async () => {
    sandbox = await startSandboxForExtension({ apiVersion: 'v3' });
    api = await activateExtension();
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('devin').update('orgId', undefined, vscode.ConfigurationTarget.Global);
    await signOut();
    await sandbox.close();
  });

  test('an enterprise administrator sees every administrative command', async () => {
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    const permissions = await eventually(() => api.tokenPermissions(), 'the permissions of the admin token');
    assert.deepEqual(permissions, {
      manageOrganizations: true,
      manageServiceUsers: true,
      viewAuditLog: true,
      viewBilling: true,
      manageSchedules: true,
      viewKnowledge: true,
    });
  });

  test('a member sees none, and the palette explains which permission is missing and who grants it', async () => {
    await vscode.workspace
      .getConfiguration('devin')
      .update('orgId', SANDBOX_ORG_IDS.acme, vscode.ConfigurationTarget.Global);
    await signIn(SANDBOX_TOKENS.member);
    const permissions = await eventually(async () => {
      const current = await api.tokenPermissions();
      return current && !current.manageOrganizations ? current : undefined;
    }, 'the permissions of the member token');
    assert.deepEqual(permissions, {
      manageOrganizations: false,
      // Provisioning has no read to probe and probes never write, so the command stays and the API decides.
      manageServiceUsers: true,
      viewAuditLog: false,
      viewBilling: false,
      manageSchedules: false,
      viewKnowledge: true,
    });
    sandbox.requests.length = 0;
    const organization = (await vscode.commands.executeCommand('devin.createOrganization')) as Outcome;
    assert.equal(organization.ok, false);
    assert.notEqual(organization.cancelled, true, 'refused, not cancelled by a prompt');
    assert.match(organization.error ?? '', /ManageOrganizations/);
    assert.match(organization.error ?? '', /enterprise administrator/);
    const serviceUser = (await vscode.commands.executeCommand('devin.createServiceUser', {
      orgId: SANDBOX_ORG_IDS.acme,
      name: 'not-allowed-bot',
      roleId: 'org_member',
      ttlDays: 30,
    })) as Outcome;
    assert.equal(serviceUser.ok, false);
    assert.match(serviceUser.error ?? '', /ManageOrgServiceUsers/);
    const auditLog = (await vscode.commands.executeCommand('devin.showAuditLog')) as Outcome;
    assert.match(auditLog.error ?? '', /ManageEnterpriseSettings/);
    assert.deepEqual(
      sandbox.requests.filter((request) => request.method !== 'GET').map((request) => request.path),
      [`/v3beta1/organizations/${SANDBOX_ORG_IDS.acme}/service-users`],
      'only the service user, which no read can check beforehand, was attempted, and refused',
    );
  });

  test('switching back to the administrator restores the commands from the per-token cache', async () => {
    await vscode.workspace.getConfiguration('devin').update('orgId', undefined, vscode.ConfigurationTarget.Global);
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    await eventually(async () => (await api.tokenPermissions())?.manageOrganizations, 'admin permissions again');
    const outcome = (await vscode.commands.executeCommand('devin.createOrganization', {
      name: 'Permitted Org',
    })) as Outcome;
    assert.equal(outcome.ok, true, outcome.error);
  });
});
