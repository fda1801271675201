// What a token may do, learnt by probing the sandbox with each of its principals, and the manifest
// hiding the commands a token cannot use.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { DevinClient } from '../../src/api/client';
import { probeCapabilities } from '../../src/api/permissionProbes';
import { ContextKey } from '../../src/commandIds';
import { missingPermissionMessage } from '../../src/core/permissions';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../sandbox/server';

let sandbox: Sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());
afterEach(() => sandbox.reset());

function client(token: string): DevinClient {
  return new DevinClient({ baseUrl: sandbox.baseUrl, apiVersion: 'v3', getToken: async () => token, timeoutMs: 5000 });
}

describe('probing what a token may do', () => {
  test('an enterprise administrator may do everything', async () => {
    const capabilities = await probeCapabilities(client(SANDBOX_TOKENS.enterpriseAdmin), {});
    assert.deepEqual(capabilities, {
      manageOrganizations: 'granted',
      manageServiceUsers: 'unknown',
      viewAuditLog: 'granted',
      viewBilling: 'granted',
      manageSchedules: 'granted',
    });
  });

  test('a member may do none of the administrative work in its organization', async () => {
    const capabilities = await probeCapabilities(client(SANDBOX_TOKENS.member), { orgId: SANDBOX_ORG_IDS.acme });
    assert.deepEqual(capabilities, {
      manageOrganizations: 'denied',
      manageServiceUsers: 'unknown',
      viewAuditLog: 'denied',
      viewBilling: 'denied',
      manageSchedules: 'denied',
    });
  });

  test("an organization's administrator manages its organization but not the enterprise", async () => {
    const capabilities = await probeCapabilities(client(SANDBOX_TOKENS.orgServiceUser), {
      orgId: SANDBOX_ORG_IDS.acme,
      organizationBound: true,
    });
    assert.ok(
      sandbox.requests.every(
        (request) =>
          !request.path.includes('/enterprise/') || request.path.endsWith(`${SANDBOX_ORG_IDS.acme}/audit-logs`),
      ),
      'a token bound to one organization is probed at its organization only',
    );
    assert.deepEqual(capabilities, {
      manageOrganizations: 'denied',
      manageServiceUsers: 'unknown',
      viewAuditLog: 'denied',
      viewBilling: 'granted',
      manageSchedules: 'granted',
    });
  });

  test('probes only read: no probe is a write', async () => {
    const admin = client(SANDBOX_TOKENS.enterpriseAdmin);
    const serviceUserEvents = async () =>
      (
        (await admin.requestJson('GET', '/enterprise/audit-logs', undefined, {
          query: { action: 'create_service_user', first: 200 },
        })) as { items: unknown[] }
      ).items.length;
    const before = await serviceUserEvents();
    await probeCapabilities(admin, {});
    const writes = sandbox.requests.filter((request) => request.method !== 'GET');
    assert.deepEqual(writes, []);
    assert.equal(await serviceUserEvents(), before);
  });

  test('a server that cannot be reached leaves every group unknown, which hides nothing', async () => {
    const unreachable = new DevinClient({
      baseUrl: 'http://127.0.0.1:9',
      apiVersion: 'v3',
      getToken: async () => SANDBOX_TOKENS.member,
      timeoutMs: 1000,
      retry: { readRetries: 0 },
    });
    const capabilities = await probeCapabilities(unreachable, { orgId: SANDBOX_ORG_IDS.acme });
    assert.ok(Object.values(capabilities).every((state) => state === 'unknown'));
  });

  test('the refusal names the permission and who can grant it', () => {
    const message = missingPermissionMessage('manageOrganizations');
    assert.match(message, /ManageOrganizations/);
    assert.match(message, /enterprise administrator/);
  });
});

describe('menus hide what the token cannot use', () => {
  interface MenuEntry {
    command?: string;
    when?: string;
  }
  const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
    contributes: { menus: Record<string, MenuEntry[]> };
  };
  const gated: Record<string, string> = {
    'devin.createOrganization': ContextKey.canManageOrganizations,
    'devin.createServiceUser': ContextKey.canManageServiceUsers,
    'devin.showAuditLog': ContextKey.canViewAuditLog,
    'devin.showConsumption': ContextKey.canViewBilling,
    'devin.createSchedule': ContextKey.canManageSchedules,
    'devin.toggleSchedule': ContextKey.canManageSchedules,
    'devin.deleteSchedule': ContextKey.canManageSchedules,
  };

  test('every menu entry of a gated command requires its permission key', () => {
    const entries = Object.entries(manifest.contributes.menus)
      .filter(([menu]) => menu !== 'commandPalette')
      .flatMap(([, list]) => list)
      .filter((entry) => entry.command !== undefined && entry.command in gated);
    assert.ok(entries.length >= Object.keys(gated).length);
    for (const entry of entries) {
      assert.ok(entry.when?.includes(gated[entry.command as string] as string), `${entry.command}: ${entry.when}`);
    }
  });

  test('gated commands stay in the palette, where they explain instead of disappearing', () => {
    const palette = manifest.contributes.menus.commandPalette ?? [];
    for (const command of Object.keys(gated))
      assert.ok(!palette.some((entry) => entry.command === command && entry.when === 'false'), command);
  });
});
