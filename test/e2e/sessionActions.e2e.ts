// A session row's context menu in a real workbench offers the session actions (archive, stop, tags,
// links, attachments, checkout where there is a pull request), captured as test-results/session-actions.png.
// Run: node --test out/test/e2e/sessionActions.e2e.js
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resultsDir, type Host } from '../host/host';
import type { Sandbox } from '../sandbox/server';
import { STEP_TIMEOUT_MS, selectors, type Workbench } from './ui';
import { openWorkbenchOnSandbox } from './workbenchOnSandbox';

let sandbox: Sandbox | undefined;
let host: Host | undefined;
let ui: Workbench;

describe('Session actions in the workbench', { concurrency: 1 }, () => {
  before(
    async () => {
      ({ sandbox, host, ui } = await openWorkbenchOnSandbox('e2e-session-actions'));
    },
    { timeout: 25 * 60_000 },
  );

  after(async () => {
    await host?.close();
    await sandbox?.close();
  });

  it(
    "a running session's context menu offers archive, stop, tags, links and attachments",
    { timeout: 180_000 },
    async () => {
      await ui.activityBarEntry().waitFor({ timeout: 60_000 });
      await ui.openDevin();
      await ui.runCommand('Devin: Sign In');
      await ui.typeIntoInputBox(sandbox!.tokens.enterpriseAdmin, { password: true });
      await ui.quickInputClosed();
      const acme = ui.topLevelRow('Acme Robotics');
      await acme.waitFor({ timeout: STEP_TIMEOUT_MS });
      await ui.expand(acme);
      const working = ui.childRows().filter({ hasText: 'Working' }).first();
      await working.waitFor({ timeout: STEP_TIMEOUT_MS });
      await working.click({ button: 'right' });
      const menu = ui.page.locator('.context-view .monaco-menu');
      await menu.waitFor({ timeout: STEP_TIMEOUT_MS });
      for (const name of ['Archive Session', 'Stop Session', 'Edit Tags…', 'Copy Session Link…', 'Show Attachments…'])
        await menu.getByRole('menuitem', { name }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      await ui.page.screenshot({ path: path.join(resultsDir, 'session-actions.png') });
      const items = await menu.getByRole('menuitem').allInnerTexts();
      assert.ok(!items.some((text) => text.includes('Check Out Pull Request')), 'no checkout without a pull request');
      await ui.page.keyboard.press('Escape');
    },
  );

  it(
    'the prompt box\'s "Create with Options…" button offers the organization\'s playbooks and members and sends the choices',
    { timeout: 180_000 },
    async () => {
      const pick = async (label: string) => {
        const option = ui.page.locator(selectors.quickInputOption).filter({ hasText: label }).first();
        await option.waitFor({ timeout: STEP_TIMEOUT_MS });
        await option.click();
        await option.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS }).catch(() => undefined);
      };
      await ui.runCommand('Devin: New Session…');
      // Enter would create at once with the defaults; the input box's button leads to the options.
      const box = ui.page.locator(selectors.quickInputBox);
      await box.waitFor({ timeout: STEP_TIMEOUT_MS });
      await box.fill('Upgrade lodash in the API (e2e options)');
      await ui.page
        .locator(selectors.quickInput)
        .getByRole('button', { name: /^Create with Options/ })
        .click();
      await pick('Acme Robotics');
      await ui.typeIntoInputBox('Lodash upgrade');
      await ui.typeIntoInputBox('e2e, deps');
      await pick('Upgrade a dependency');
      // Knowledge: choose none (Devin then uses all of it) and accept.
      const stepTitle = (n: number) =>
        ui.page.locator('.quick-input-widget .quick-input-title', { hasText: `(${n}/7)` });
      await stepTitle(4).waitFor({ timeout: STEP_TIMEOUT_MS });
      await ui.page.locator(selectors.quickInputBox).press('Enter');
      await stepTitle(5).waitFor({ timeout: STEP_TIMEOUT_MS });
      await ui.typeIntoInputBox('acme/api');
      // Each step reuses the same input box: type only once the next step is showing.
      await stepTitle(6).waitFor({ timeout: STEP_TIMEOUT_MS });
      await ui.typeIntoInputBox('7');
      await stepTitle(7).waitFor({ timeout: STEP_TIMEOUT_MS });
      await pick('Mia Member');
      await ui.quickInputClosed();
      await ui.page.screenshot({ path: path.join(resultsDir, 'session-actions-create-options.png') });
      const requests = (await (await fetch(`${sandbox!.baseUrl}/_sandbox/requests`)).json()) as {
        method: string;
        path: string;
        body?: Record<string, unknown>;
      }[];
      const create = requests
        .filter((request) => request.method === 'POST' && request.path.endsWith('/sessions'))
        .at(-1);
      assert.ok(create, 'the session was created');
      assert.equal(create.body?.title, 'Lodash upgrade');
      assert.deepEqual(create.body?.tags, ['e2e', 'deps']);
      assert.match(String(create.body?.playbook_id), /^playbook-/);
      assert.deepEqual(create.body?.repos, ['acme/api']);
      assert.equal(create.body?.max_acu_limit, 7);
      assert.equal(create.body?.create_as_user_id, 'user-sandbox-mia');
      assert.equal(create.body?.knowledge_ids, undefined, 'no Knowledge chosen leaves it to Devin');
    },
  );
});
