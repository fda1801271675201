// The consumption panel as a person sees it: the offline VS Code server in headless Chromium, signed in
// to the sandbox, the panel opened from the palette. Proves the chart and table render inside the real
// webview (its CSP and iframes included) and that the sandbox's organization named with HTML and
// script shows as text without running anything; the per-session table sorts by a header and opens a
// session from its link. Leaves test-results/consumption.png and consumption-session-table.png.
// Run: node esbuild.js && npx tsc -p test/tsconfig.json && node --test out/test/e2e/consumption.e2e.js
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { resultsDir, type Host } from '../host/host';
import type { Sandbox } from '../sandbox/server';
import { STEP_TIMEOUT_MS, type Workbench } from './ui';
import { openWorkbenchOnSandbox } from './workbenchOnSandbox';

const XSS_NAME = `<img src=x onerror="alert(1)"><script>alert('xss')</script> Labs`;

let sandbox: Sandbox | undefined;
let host: Host | undefined;
let ui: Workbench;
const dialogs: string[] = [];

/** VS Code puts each webview in an iframe whose document hosts the page in a second iframe. */
function panelFrame(): FrameLocator {
  return ui.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

describe('consumption panel in VS Code', { concurrency: 1 }, () => {
  before(
    async () => {
      ({ sandbox, host, ui } = await openWorkbenchOnSandbox('e2e-consumption'));
      // Dialogs from any frame, webview iframes included, surface on the page.
      ui.page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
    },
    { timeout: 25 * 60_000 }, // includes a first-time host install
  );

  after(async () => {
    await host?.close();
    await sandbox?.close();
  });

  it('opens from the palette and draws the chart and the table', { timeout: 180_000 }, async () => {
    await ui.activityBarEntry().waitFor({ timeout: 60_000 });
    await ui.runCommand('Devin: Sign In');
    await ui.typeIntoInputBox(sandbox!.tokens.enterpriseAdmin, { password: true });
    await ui.quickInputClosed();
    await ui.runCommand('Devin: Show Consumption');
    const frame = panelFrame();
    await frame.locator('#table-body tr').first().waitFor({ timeout: 60_000 });
    assert.equal(await frame.locator('#table-body tr').count(), 4);
    assert.match(await frame.locator('#total').innerText(), /^[\d,]+\.\d\d$/);
    assert.equal(await frame.locator('canvas#chart').isVisible(), true);
    await frame.locator('#sessions-body tr').first().waitFor({ timeout: STEP_TIMEOUT_MS });
    await ui.page.screenshot({ path: path.join(resultsDir, 'consumption.png') });
  });

  it('shows the organization named with markup as text and runs none of it', { timeout: 60_000 }, async () => {
    const frame = panelFrame();
    const row = frame.locator('#table-body th[scope="row"]', { hasText: 'Labs' });
    await row.waitFor({ timeout: STEP_TIMEOUT_MS });
    assert.equal(await row.innerText(), XSS_NAME);
    assert.equal(await row.isVisible(), true);
    assert.equal(
      await frame.locator('#table img, #table script, main img').count(),
      0,
      'no element was made from the name',
    );
    await ui.page.waitForTimeout(500); // an injected onerror handler would have fired by now
    assert.deepEqual(dialogs, []);
  });

  it('switches the range from the page buttons', { timeout: 60_000 }, async () => {
    const frame = panelFrame();
    await frame.getByRole('button', { name: '7 days' }).click();
    await frame.locator('#range-label').filter({ hasText: / to / }).waitFor({ timeout: STEP_TIMEOUT_MS });
    await ui.page.waitForFunction(() => true);
    assert.equal(await frame.getByRole('button', { name: '7 days' }).getAttribute('aria-pressed'), 'true');
    await frame.locator('main[aria-busy="false"]').waitFor({ timeout: STEP_TIMEOUT_MS });
    const [start, end] = (await frame.locator('#range-label').innerText()).split(' to ');
    assert.equal((Date.parse(end ?? '') - Date.parse(start ?? '')) / 86_400_000, 6);
  });

  // Last: the session it opens takes the panel's place in the editor.
  it('sorts by a header in the real DOM and opens a session from its link', { timeout: 120_000 }, async () => {
    const frame = panelFrame();
    // Back to 30 days, which has more sessions than a week.
    await frame.getByRole('button', { name: '30 days' }).click();
    await frame.locator('main[aria-busy="false"]').waitFor({ timeout: STEP_TIMEOUT_MS });
    await frame.locator('#sessions-table:not(.stale)').waitFor({ timeout: STEP_TIMEOUT_MS });
    const links = frame.locator('#sessions-body th[scope="row"] a');
    await links.first().waitFor({ timeout: STEP_TIMEOUT_MS });
    assert.equal(await frame.locator('#sessions-head th[aria-sort="descending"]').innerText(), 'ACUs ▼');
    const acus = async () =>
      (await frame.locator('#sessions-body td.number').allInnerTexts()).map((text) => Number(text.replace(/,/g, '')));
    const byAcus = await acus();
    assert.ok(byAcus.length > 1);
    assert.deepEqual(
      byAcus,
      [...byAcus].sort((a, b) => b - a),
      'largest first by default',
    );

    await frame.getByRole('button', { name: 'Session', exact: true }).click();
    assert.equal(await frame.locator('#sessions-head th[aria-sort="ascending"]').innerText(), 'Session ▲');
    const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
    const titles = await links.allInnerTexts();
    assert.deepEqual(titles, [...titles].sort(collator.compare), 'titles A–Z');
    await frame.locator('#sessions').scrollIntoViewIfNeeded();
    await ui.page.screenshot({ path: path.join(resultsDir, 'consumption-session-table.png') });

    const first = titles[0] ?? '';
    await links.first().click();
    // The session panel opens in a tab named after the session.
    await ui.page
      .locator('.tabs-container .tab', { hasText: first.slice(0, 30) })
      .first()
      .waitFor({ timeout: STEP_TIMEOUT_MS });
  });
});
