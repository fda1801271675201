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
      viewKnowledge: 'granted',
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
      // A member reads its organization's Knowledge (ViewOrgKnowledge).
      viewKnowledge: 'granted',
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
      viewKnowledge: 'granted',
    });
  });

  test('a role that cannot read Knowledge (a 403 on the list) is told apart from one that can', async () => {
    sandbox.faults.inject({
      kind: 'status',
      status: 403,
      times: Infinity,
      match: { pathIncludes: '/knowledge/notes' },
    });
    try {
      const capabilities = await probeCapabilities(client(SANDBOX_TOKENS.member), { orgId: SANDBOX_ORG_IDS.acme });
      assert.equal(capabilities.viewKnowledge, 'denied');
      assert.ok(
        sandbox.requests.some(
          (request) => request.path === `/v3/organizations/${SANDBOX_ORG_IDS.acme}/knowledge/notes`,
        ),
      );
    } finally {
      sandbox.faults.clear();
    }
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
  /** Commands of the tree's schedule and Knowledge rows: not in the palette, and their rows follow the permission. */
  const gatedRows: Record<string, string> = {
    'devin.enableSchedule': ContextKey.canManageSchedules,
    'devin.disableSchedule': ContextKey.canManageSchedules,
    'devin.showScheduleRuns': ContextKey.canManageSchedules,
    'devin.renameKnowledge': ContextKey.canViewKnowledge,
    'devin.deleteKnowledge': ContextKey.canViewKnowledge,
  };

  test('every menu entry of a gated command requires its permission key', () => {
    const keys = { ...gated, ...gatedRows };
    const entries = Object.entries(manifest.contributes.menus)
      .filter(([menu]) => menu !== 'commandPalette')
      .flatMap(([, list]) => list)
      .filter((entry) => entry.command !== undefined && entry.command in keys);
    assert.ok(entries.length >= Object.keys(keys).length);
    for (const entry of entries) {
      assert.ok(entry.when?.includes(keys[entry.command as string] as string), `${entry.command}: ${entry.when}`);
    }
  });

  test('the Schedules and Knowledge rows offer their actions only with the permission to use them', () => {
    const rowEntries = (manifest.contributes.menus['view/item/context'] ?? []).filter((entry) =>
      /viewItem (==|=~) \/?\^?\(?(schedules?|knowledge)/.test(entry.when ?? ''),
    );
    assert.ok(rowEntries.length >= 8, 'the group and row menus are contributed');
    for (const entry of rowEntries)
      assert.ok(
        entry.command === 'devin.refresh' || /devin\.can\.(manageSchedules|viewKnowledge)/.test(entry.when ?? ''),
        `${entry.command}: ${entry.when}`,
      );
  });

  test('gated commands stay in the palette, where they explain instead of disappearing', () => {
    const palette = manifest.contributes.menus.commandPalette ?? [];
    for (const command of Object.keys(gated))
      assert.ok(!palette.some((entry) => entry.command === command && entry.when === 'false'), command);
  });
});
