// The administrative workflows' pickers in a real workbench, answered as a person would from the palette:
// a new service user (organization, name, role from the sandbox's role list, key lifetime), the audit log's
// action and organization filters, and a member's token refused before any input box. Leaves
// test-results/e2e-role-picker.png.
// Run: npm run -s build && npm run -s compile-tests && node --test out/test/e2e/adminPickers.e2e.js
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Host } from '../host/host';
import { apiClient } from '../sandbox/client';
import { SANDBOX_ORG_IDS, type RecordedRequest, type Sandbox } from '../sandbox/server';
import { STEP_TIMEOUT_MS, type Workbench } from './ui';
import { openWorkbenchOnSandbox } from './workbenchOnSandbox';

const SERVICE_USER_NAME = 'e2e-release-bot';
const DAY_S = 86_400;

let sandbox: Sandbox | undefined;
let host: Host | undefined;
let ui: Workbench;

/** The requests the sandbox received from `since` (an index into its record) on. */
function requestsSince(since: number, method: string, pathPattern: RegExp): RecordedRequest[] {
  return sandbox!.requests
    .slice(since)
    .filter((request) => request.method === method && pathPattern.test(request.path));
}

async function signIn(token: string): Promise<void> {
  await ui.runCommand('Devin: Sign In');
  await ui.typeIntoInputBox(token, { password: true });
  await ui.quickInputClosed();
}

describe('Administrative pickers in the workbench', { concurrency: 1 }, () => {
  before(
    async () => {
      ({ sandbox, host, ui } = await openWorkbenchOnSandbox('e2e-admin-pickers'));
      await ui.allowClipboard();
    },
    { timeout: 25 * 60_000 }, // includes a first-time host install
  );

  after(async () => {
    await host?.close();
    await sandbox?.close();
  });

  it(
    'New Service User offers the organization, the sandbox roles and the key lifetimes, sends the choices, and hands over the token only through the one-time dialog',
    { timeout: 240_000 },
    async () => {
      await ui.activityBarEntry().waitFor({ timeout: 60_000 });
      await ui.openDevin();
      await signIn(sandbox!.tokens.enterpriseAdmin);
      await ui.topLevelRow('Acme Robotics').waitFor({ timeout: STEP_TIMEOUT_MS });
      const since = sandbox!.requests.length;

      await ui.runCommand('Devin: New Service User');
      await ui.quickInputStep('Devin: New Service User', 'Choose the organization');
      await ui.pickQuickPickRow('Acme Robotics');
      await ui.quickInputStep('Devin: New Service User in Acme Robotics (1/3)');
      await ui.typeIntoInputBox(SERVICE_USER_NAME);

      // The enterprise's role list was readable, so the placeholder does not fall back to the built-in roles' excuse.
      await ui.quickInputStep(
        'Devin: New Service User in Acme Robotics (2/3)',
        'Role of the service user (it cannot hold more permissions than your own role)',
      );
      assert.equal(requestsSince(since, 'GET', /^\/v3\/enterprise\/roles$/).length, 1, 'the picker read the roles');
      // The roles are the sandbox's own list for this enterprise, narrowed to those an organization's service user can hold.
      const admin = apiClient(sandbox!.baseUrl, sandbox!.tokens.enterpriseAdmin);
      const listed = await admin.get<{ items: { role_name: string; role_type: string }[] }>(
        '/v3/enterprise/roles?first=200',
      );
      assert.equal(listed.status, 200);
      const orgRoles = listed.json.items.filter((role) => role.role_type === 'org').map((role) => role.role_name);
      assert.ok(
        orgRoles.length >= 2 && orgRoles.length < listed.json.items.length,
        'the sandbox lists other roles too',
      );
      assert.deepEqual(await ui.quickPickLabels(), [...orgRoles, 'Another role ID…']);
      await ui.screenshot('role-picker');
      assert.equal(await ui.activeQuickPickLabel(), 'Member', 'Enter takes the role with the fewest permissions');
      await ui.pickQuickPickRow('Member');

      await ui.quickInputStep('Devin: New Service User in Acme Robotics (3/3)', 'How long the new API key stays valid');
      assert.deepEqual(await ui.quickPickLabels(), ['30 days', '90 days', '1 year']);
      assert.equal(await ui.activeQuickPickLabel(), '90 days', 'Enter takes the recommended lifetime');
      await ui.pickQuickPickRow('90 days');

      // Devin shows a new token once: a modal offers to copy it or sign in with it, and never prints it.
      const dialog = await ui.waitForDialog();
      const dialogText = await dialog.innerText();
      assert.match(dialogText, new RegExp(`Service user ${SERVICE_USER_NAME} was created`));
      assert.doesNotMatch(dialogText, /cog_/, 'the dialog does not print the token');
      const posts = requestsSince(since, 'POST', /./);
      assert.equal(posts.length, 1, 'one request created the service user');
      assert.equal(posts[0]!.path, `/v3beta1/organizations/${SANDBOX_ORG_IDS.acme}/service-users`);
      assert.deepEqual(posts[0]!.body, { name: SERVICE_USER_NAME, role_id: 'org_member', ttl_seconds: 90 * DAY_S });

      const clipboardBefore = await ui.readClipboard();
      await dialog.getByRole('button', { name: 'Copy Token' }).click();
      await dialog.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
      const copied = await ui.clipboardChangedFrom(clipboardBefore);
      const asNewUser = await apiClient(sandbox!.baseUrl, copied).get<{ service_user_name: string }>('/v3/self');
      assert.equal(asNewUser.status, 200, 'the copied text is a working token');
      assert.equal(asNewUser.json.service_user_name, SERVICE_USER_NAME);
      // Nowhere on screen, notifications included, does the token show.
      await ui.runCommand('Notifications: Show Notifications');
      assert.ok(!(await ui.page.locator('body').innerText()).includes(copied), 'the token is not on screen');
      await ui.page.keyboard.press('Escape');
    },
  );

  it(
    "Show Audit Log's action and organization pickers filter the request, and the document lists only matching events",
    { timeout: 180_000 },
    async () => {
      const since = sandbox!.requests.length;
      await ui.runCommand('Devin: Show Audit Log');
      await ui.quickInputStep('Devin: Show Audit Log', 'Which period?');
      await ui.pickQuickPickRow('Last 100 days');
      await ui.quickInputStep('Devin: Show Audit Log', 'Which action?');
      // The list is longer than the box: type to narrow it, as a person would, then take the exact action.
      await ui.page.locator('.quick-input-widget .quick-input-box input').fill('create_service_user');
      await ui.pickQuickPickRow('create_service_user');
      await ui.quickInputStep('Devin: Show Audit Log', 'Which organization?');
      await ui.pickQuickPickRow('Acme Robotics');
      await ui.quickInputClosed();

      const tab = ui.page.getByRole('tab', { name: /Devin audit log \(100 days, create_service_user\)/ });
      await tab.waitFor({ timeout: STEP_TIMEOUT_MS });
      const reads = requestsSince(since, 'GET', /audit-logs$/);
      assert.equal(reads.length, 1, 'one page holds every matching event');
      const read = reads[0]!;
      assert.equal(read.path, `/v3/enterprise/organizations/${SANDBOX_ORG_IDS.acme}/audit-logs`);
      assert.equal(read.query.action, 'create_service_user');
      assert.equal(Number(read.query.time_before) - Number(read.query.time_after), 100 * DAY_S);

      // What the document holds, copied from the editor as a person would.
      await ui.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
      await ui.page.keyboard.press('Control+A');
      await ui.page.keyboard.press('Control+C');
      const text = await ui.readClipboard();
      const rows = text
        .split('\n')
        .filter((line) => line.startsWith('| ') && !line.startsWith('| ---'))
        .slice(1) // the header
        .map((line) => line.split(' | ').map((cellText) => cellText.replace(/^\| |\s*\|$/g, '')));
      assert.ok(rows.length > 0, text);
      for (const row of rows) {
        assert.equal(row[1], 'create_service_user', row.join(' | '));
        assert.equal(row[3], SANDBOX_ORG_IDS.acme, row.join(' | '));
      }
      assert.ok(
        rows.some((row) => row[4]?.includes(`"name":"${SERVICE_USER_NAME}"`)),
        'the service user created above is listed',
      );
      // Every matching event, and the filters mattered: the same action elsewhere is left out.
      const admin = apiClient(sandbox!.baseUrl, sandbox!.tokens.enterpriseAdmin);
      const window = `time_after=${String(read.query.time_after)}&time_before=${String(read.query.time_before)}&first=200`;
      const matching = await admin.get<{ items: unknown[] }>(
        `/v3/enterprise/organizations/${SANDBOX_ORG_IDS.acme}/audit-logs?action=create_service_user&${window}`,
      );
      const everywhere = await admin.get<{ items: unknown[] }>(
        `/v3/enterprise/audit-logs?action=create_service_user&${window}`,
      );
      assert.equal(rows.length, matching.json.items.length);
      assert.match(text, new RegExp(`^${rows.length} events? from `, 'm'));
      assert.ok(everywhere.json.items.length > rows.length, 'other organizations have events of this action too');
    },
  );

  it(
    "a member's New Organization explains the missing permission and who can grant it, before asking anything",
    { timeout: 180_000 },
    async () => {
      await signIn(sandbox!.tokens.member);
      // The input box closes before the token is checked and stored; until then the admin's token is in use.
      await ui.waitForNotification('Signed in to Devin as Mia Member');
      const since = sandbox!.requests.length;
      await ui.runCommand('Devin: New Organization');
      // Checked before the notification center is opened through the palette, which would hide an input box.
      assert.ok(await ui.quickInputStaysClosed(), 'no input box was opened');
      const notification = await ui.waitForNotification('cannot create or manage organizations');
      const message = await notification.innerText();
      assert.match(message, /lacks the ManageOrganizations permission/);
      assert.match(message, /Ask an enterprise administrator/);
      assert.deepEqual(
        requestsSince(since, 'POST', /./).map((request) => request.path),
        [],
      );
    },
  );
});
