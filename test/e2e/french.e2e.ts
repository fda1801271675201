// Devin in a VS Code that runs in French, as a person sees it: the offline VS Code server in headless Chromium
// with the display language set to French, against the sandbox. The extension's own text (welcome, command
// titles, messages) comes from its French translation files; the workbench's chrome stays English, since its
// language pack cannot be downloaded offline. Leaves test-results/fr.png: the Devin view with its
// organizations and sessions under the command palette filtered to Devin commands, and fr-consumption.png: the
// consumption panel, whose page translates its own words from the bundle the host gives it.
// Run: node esbuild.js && npx tsc -p test/tsconfig.json && node --test out/test/e2e/french.e2e.js
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { resultsDir, type Host } from '../host/host';
import type { Sandbox } from '../sandbox/server';
import { readTranslations } from '../translations';
import { STEP_TIMEOUT_MS, type Workbench } from './ui';
import { openWorkbenchOnSandbox } from './workbenchOnSandbox';

const ORGANIZATIONS = ['Acme Robotics', 'Globex Platform'];
const fr = readTranslations('fr');

/** How the palette labels a contributed command: "Category: Title", in the display language. */
function paletteLabel(command: string, text: (value: string) => string): string {
  const { title, category } = fr.command(command);
  return category ? `${text(category)}: ${text(title)}` : text(title);
}

let sandbox: Sandbox | undefined;
let host: Host | undefined;
let ui: Workbench;
let failedStep: string | undefined;

/** Steps build on each other: once one fails the rest are skipped. */
async function step(t: TestContext, body: () => Promise<void>): Promise<void> {
  if (failedStep) {
    t.skip(`skipped: "${failedStep}" failed`);
    return;
  }
  try {
    await body();
  } catch (error) {
    failedStep = t.name;
    await ui?.screenshot('fr-failed').catch(() => undefined);
    throw error;
  }
}

describe('Devin in VS Code in French', { concurrency: 1 }, () => {
  before(
    async () => {
      ({ sandbox, host, ui } = await openWorkbenchOnSandbox('e2e-fr', {}, { locale: 'fr' }));
    },
    { timeout: 25 * 60_000 }, // includes a first-time host install
  );

  after(async () => {
    await host?.close();
    await sandbox?.close();
  });

  it('shows the signed-out welcome in French', { timeout: 90_000 }, (t) =>
    step(t, async () => {
      await ui.activityBarEntry().waitFor({ timeout: 60_000 });
      await ui.openDevin();
      const welcome = fr.welcome('devin.sessions', 'signedOut');
      const [firstLine] = fr.manifestText(welcome).split('\n');
      assert.notEqual(firstLine, fr.englishManifestText(welcome).split('\n')[0], 'the welcome is translated');
      await ui.sessionsWelcome().filter({ hasText: firstLine! }).waitFor({ timeout: STEP_TIMEOUT_MS });
      const button = /\[([^\]]+)\]\(command:devin\.signIn\)/.exec(fr.manifestText(welcome))?.[1];
      assert.ok(button, 'the French welcome links to devin.signIn');
      await ui.signInButton(button).waitFor({ timeout: STEP_TIMEOUT_MS });
    }),
  );

  it('signs in from the palette by the French command title', { timeout: 90_000 }, (t) =>
    step(t, async () => {
      const signIn = paletteLabel('devin.signIn', fr.manifestText);
      assert.notEqual(signIn, paletteLabel('devin.signIn', fr.englishManifestText), 'the title is translated');
      await ui.runCommand(signIn);
      await ui.typeIntoInputBox(sandbox!.tokens.enterpriseAdmin, { password: true });
      await ui.quickInputClosed();
      const signedIn = fr.bundle['Signed in to Devin as {0}.'];
      assert.ok(signedIn, 'bundle.l10n.fr.json translates the signed-in message');
      await ui.waitForNotification(signedIn.slice(0, signedIn.indexOf('{0}')));
      await ui.runCommand('Notifications: Hide Notifications');
    }),
  );

  it('shows the organizations and their sessions', { timeout: 60_000 }, (t) =>
    step(t, async () => {
      for (const name of ORGANIZATIONS) await ui.topLevelRow(name).waitFor({ timeout: STEP_TIMEOUT_MS });
      await ui.expand(ui.topLevelRow(ORGANIZATIONS[0]!));
      await ui.childRows().first().waitFor({ timeout: STEP_TIMEOUT_MS });
    }),
  );

  it('lists the Devin commands in French in the palette', { timeout: 60_000 }, (t) =>
    step(t, async () => {
      // Sign Out is offered now that a token is stored; its row is found by its French label.
      const signOut = paletteLabel('devin.signOut', fr.manifestText);
      await ui.openPalette(signOut);
      await ui.paletteOption(signOut).waitFor({ timeout: STEP_TIMEOUT_MS });
      // All Devin commands, Sign In first since it was just used.
      const category = fr.manifestText(fr.command('devin.signIn').category ?? '');
      await ui.openPalette(`${category}: `);
      await ui.paletteOption(paletteLabel('devin.signIn', fr.manifestText)).waitFor({ timeout: STEP_TIMEOUT_MS });
      await ui.page.screenshot({ path: path.join(resultsDir, 'fr.png') });
      await ui.page.keyboard.press('Escape');
    }),
  );

  it('draws the consumption panel in French, the words the page builds included', { timeout: 120_000 }, (t) =>
    step(t, async () => {
      await ui.runCommand(paletteLabel('devin.showConsumption', fr.manifestText));
      // VS Code puts each webview in an iframe whose document hosts the page in a second iframe.
      const frame = ui.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      // Written by the host into the HTML shell.
      const heading = fr.bundle['ACU consumption'];
      assert.ok(heading && heading !== 'ACU consumption', 'bundle.l10n.fr.json translates the heading');
      await frame.locator('#heading', { hasText: heading }).waitFor({ timeout: 60_000 });
      // Written by the page's own script from the bundle the host put in its head.
      const tableHeading = fr.bundle['ACUs per session'];
      assert.ok(tableHeading && tableHeading !== 'ACUs per session', 'bundle.l10n.fr.json translates the table');
      await frame.locator('#sessions-body tr').first().waitFor({ timeout: STEP_TIMEOUT_MS });
      assert.equal(await frame.locator('#sessions-heading').innerText(), tableHeading);
      assert.equal(await frame.locator('html').getAttribute('lang'), 'fr');
      await ui.page.screenshot({ path: path.join(resultsDir, 'fr-consumption.png') });
    }),
  );
});
