// A session row's context menu in a real workbench offers the session actions (archive, stop, tags,
// links, attachments, checkout where there is a pull request), captured as test-results/session-actions.png.
// Run: node --test out/test/e2e/sessionActions.e2e.js
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resultsDir, type Host } from '../host/host';
import type { Sandbox } from '../sandbox/server';
import { STEP_TIMEOUT_MS, type Workbench } from './ui';
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
});
