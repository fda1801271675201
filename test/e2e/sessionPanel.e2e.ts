// The session panel as a person sees it: the offline VS Code server in headless Chromium, signed in to the
// sandbox, a session opened by clicking its row. Devin's Markdown (a code block, a list, a link, and a
// script tag that must stay text) renders inside the real webview and its CSP; a message added server-side
// appears while the panel is open; a typed draft survives a reload of the whole window, which brings the
// panel back through its serializer. Leaves test-results/session-panel.png.
// Run: node esbuild.js && npx tsc -p test/tsconfig.json && node --test out/test/e2e/sessionPanel.e2e.js
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { resultsDir, type Host } from '../host/host';
import type { Sandbox } from '../sandbox/server';
import { SANDBOX_ORG_IDS } from '../sandbox/server';
import { apiClient } from '../sandbox/client';
import { STEP_TIMEOUT_MS, type Workbench } from './ui';
import { openWorkbenchOnSandbox } from './workbenchOnSandbox';

const ORG = SANDBOX_ORG_IDS.acme;
const DEVIN_ANSWER = [
  '## What I found',
  '',
  'The health check returns **200** before the database is ready. I changed `healthHandler` so it waits for',
  'the pool, and added a test:',
  '',
  '```ts',
  'export async function healthHandler(req: Request): Promise<Response> {',
  '  const ready = await pool.ping({ timeoutMs: 500 });',
  "  return ready ? json({ status: 'ok' }) : json({ status: 'starting' }, 503);",
  '}',
  '```',
  '',
  '- [x] Handler waits for the pool',
  '- [x] Test for the 503 while starting',
  '- [ ] Docs: <script>alert("not run")</script> still to update',
  '',
  'Pull request: https://github.com/acme/api/pull/1042',
  '',
  'Should I also update the API docs?',
].join('\n');

let sandbox: Sandbox | undefined;
let host: Host | undefined;
let ui: Workbench;
let title = '';
const dialogs: string[] = [];

/** VS Code puts each webview in an iframe whose document hosts the page in a second iframe. */
function panelFrame(): FrameLocator {
  return ui.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

describe('session panel in VS Code', { concurrency: 1 }, () => {
  before(
    async () => {
      ({ sandbox, host, ui } = await openWorkbenchOnSandbox('e2e-session-panel'));
      ui.page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      // A session waiting for the user, its conversation ending in Devin's Markdown answer.
      const http = apiClient(sandbox.baseUrl, sandbox.tokens.enterpriseAdmin);
      const sessions = (await http.get(`/v3/organizations/${ORG}/sessions?first=50`)).json.items as {
        session_id: string;
        title: string | null;
        status: string;
        status_detail: string | null;
        is_archived: boolean;
      }[];
      const session = sessions.find(
        (candidate) =>
          candidate.status === 'running' &&
          candidate.status_detail === 'working' &&
          !candidate.is_archived &&
          candidate.title,
      );
      assert.ok(session, 'the sandbox seeds a working session on the first page');
      title = session.title ?? '';
      const control = apiClient(sandbox.baseUrl, undefined);
      const added = await control.post(`/_sandbox/sessions/${session.session_id}/messages`, {
        message: DEVIN_ANSWER,
        status: 'running',
        status_detail: 'waiting_for_user',
      });
      assert.equal(added.status, 200, added.text);
    },
    { timeout: 25 * 60_000 }, // includes a first-time host install
  );

  after(async () => {
    await host?.close();
    await sandbox?.close();
  });

  it('opens from a session row and renders the conversation with Markdown and code', { timeout: 180_000 }, async () => {
    await ui.activityBarEntry().waitFor({ timeout: 60_000 });
    await ui.runCommand('Devin: Sign In');
    await ui.typeIntoInputBox(sandbox!.tokens.enterpriseAdmin, { password: true });
    await ui.quickInputClosed();
    await ui.openDevin();
    const organization = ui.topLevelRow('Acme Robotics');
    await organization.waitFor({ timeout: STEP_TIMEOUT_MS });
    await ui.expand(organization);
    const row = ui.childRows().filter({ hasText: title }).first();
    await row.waitFor({ timeout: STEP_TIMEOUT_MS });
    await row.click();

    const frame = panelFrame();
    const code = frame.locator('.message pre code').last();
    await code.waitFor({ timeout: 60_000 });
    assert.match(await code.innerText(), /export async function healthHandler/);
    assert.equal(await frame.locator('#title').innerText(), title);
    assert.match(await frame.locator('#status-label').innerText(), /Waiting for you/);
    assert.match(await frame.locator('#activity').innerText(), /Devin is waiting for you/);
    const last = frame.locator('.message').last();
    assert.equal(await last.locator('h2').innerText(), 'What I found');
    assert.equal(await last.locator('strong').first().innerText(), '200');
    assert.equal(await last.locator('[data-href="https://github.com/acme/api/pull/1042"]').count(), 1);
    assert.match(await last.innerText(), /<script>alert\("not run"\)<\/script>/, 'the script tag shows as text');
    assert.equal(await frame.locator('.message script, .message img').count(), 0);
    assert.equal(await frame.locator('#reply-text').isEnabled(), true);
    await ui.page.waitForTimeout(300);
    await ui.page.screenshot({ path: path.join(resultsDir, 'session-panel.png') });
    assert.deepEqual(dialogs, []);
  });

  it('shows a message added server-side while the user is typing', { timeout: 90_000 }, async () => {
    const frame = panelFrame();
    const box = frame.locator('#reply-text');
    await box.click();
    await box.pressSequentially('Yes, please update');
    await box.press('Enter');
    await box.pressSequentially('the docs as well.');
    const http = apiClient(sandbox!.baseUrl, sandbox!.tokens.enterpriseAdmin);
    const sessions = (await http.get(`/v3/organizations/${ORG}/sessions?first=50`)).json.items as {
      session_id: string;
      title: string | null;
    }[];
    const session = sessions.find((candidate) => candidate.title === title);
    assert.ok(session);
    await apiClient(sandbox!.baseUrl, undefined).post(`/_sandbox/sessions/${session.session_id}/messages`, {
      message: 'One more detail: the staging URL is https://staging.acme.dev/health.',
      status: 'running',
      status_detail: 'waiting_for_user',
    });
    // The panel polls every 15 s while visible.
    await frame.locator('.message', { hasText: 'the staging URL is' }).waitFor({ timeout: 45_000 });
    assert.equal(
      await box.inputValue(),
      'Yes, please update\nthe docs as well.',
      'Enter made a new line, nothing sent',
    );
  });

  it('comes back after a window reload with the typed draft', { timeout: 240_000 }, async () => {
    await ui.page.reload();
    await ui.activityBarEntry().waitFor({ timeout: 90_000 });
    const frame = panelFrame();
    const box = frame.locator('#reply-text');
    await box.waitFor({ timeout: 90_000 });
    assert.equal(await box.inputValue(), 'Yes, please update\nthe docs as well.', 'the draft is restored');
    // The web host keeps secrets in memory only, so the reload signed the window out: the panel says so
    // and offers Retry, and the draft stays through signing in again.
    const loadError = frame.locator('#load-error');
    await loadError.or(frame.locator('.message pre code').last()).first().waitFor({ timeout: 60_000 });
    if (await loadError.isVisible()) {
      assert.match(await loadError.innerText(), /not signed in to Devin/);
      await ui.runCommand('Devin: Sign In');
      await ui.typeIntoInputBox(sandbox!.tokens.enterpriseAdmin, { password: true });
      await ui.quickInputClosed();
      await frame.getByRole('button', { name: 'Retry' }).click();
    }
    await frame.locator('.message pre code').last().waitFor({ timeout: 60_000 });
    assert.equal(await frame.locator('#title').innerText(), title);
    assert.equal(await box.inputValue(), 'Yes, please update\nthe docs as well.');
    assert.equal(await frame.locator('.facts').getByText('Acme Robotics').count(), 1, 'the organization by name');
    await ui.page.screenshot({ path: path.join(resultsDir, 'e2e-session-panel-reloaded.png') });

    // Ctrl+Enter sends: the message shows in the chat and the box empties.
    await box.press('Control+Enter');
    await frame
      .locator('.message.from-user', { hasText: 'the docs as well.' })
      .first()
      .waitFor({ timeout: STEP_TIMEOUT_MS });
    assert.equal(await box.inputValue(), '');
    await frame.locator('.message.from-user[data-id]', { hasText: 'the docs as well.' }).waitFor({ timeout: 30_000 });
  });
});
