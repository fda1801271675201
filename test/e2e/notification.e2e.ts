// A notification for a session that waits for the user, as a person sees it: the offline VS Code server in
// headless Chromium, signed in to the sandbox, a session started from the palette, then turned to "waiting
// for you" on the server. The poller has to notice it on its own at the settings' shortest cadences.
// Leaves test-results/notification-waiting.png.
// Run: node esbuild.js && npx tsc -p test/tsconfig.json && node --test out/test/e2e/notification.e2e.js
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resultsDir, type Host } from '../host/host';
import { apiClient } from '../sandbox/client';
import { SANDBOX_ORG_IDS, type RecordedRequest, type Sandbox } from '../sandbox/server';
import type { Workbench } from './ui';
import { openWorkbenchOnSandbox } from './workbenchOnSandbox';

const INSTRUCTION = 'Migrate the billing cron job to the new queue';

let sandbox: Sandbox | undefined;
let host: Host | undefined;
let ui: Workbench;

/** Waits until the extension has polled for changes after `since` (an index into the recorded requests). */
async function pollAfter(since: number, timeoutMs: number): Promise<RecordedRequest> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const poll = sandbox!.requests
      .slice(since)
      .find((request) => request.method === 'GET' && request.path === '/v3/enterprise/sessions');
    if (poll) return poll;
    if (Date.now() > deadline) throw new Error(`no poll for changes within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('session notifications in VS Code', { concurrency: 1 }, () => {
  before(
    async () => {
      ({ sandbox, host, ui } = await openWorkbenchOnSandbox('e2e-notification', {
        'devin.autoRefreshSeconds': 15,
        'devin.backgroundRefreshSeconds': 60,
        'devin.notifications': 'waiting',
      }));
    },
    { timeout: 25 * 60_000 }, // includes a first-time host install
  );

  after(async () => {
    await host?.close();
    await sandbox?.close();
  });

  it('notifies when a session started here starts waiting for the user', { timeout: 360_000 }, async () => {
    await ui.activityBarEntry().waitFor({ timeout: 60_000 });
    await ui.openDevin();
    await ui.runCommand('Devin: Sign In');
    await ui.typeIntoInputBox(sandbox!.tokens.enterpriseAdmin, { password: true });
    await ui.quickInputClosed();
    await ui.runCommand('Devin: New Session…');
    await ui.answerQuickInputs(['Acme Robotics'], INSTRUCTION);
    await ui.waitForNotification('Devin session created');
    const admin = apiClient(sandbox!.baseUrl, sandbox!.tokens.enterpriseAdmin);
    const created = (await admin.get(`/v3/organizations/${SANDBOX_ORG_IDS.acme}/sessions?first=1`)).json.items[0];
    assert.match(created.title ?? '', /^Migrate the billing cron job/);
    const control = apiClient(sandbox!.baseUrl, undefined);
    // Keep it working until the poller has its baseline: what was true then is not news.
    await control.post(`/_sandbox/sessions/${created.session_id}/status`, {
      status: 'running',
      status_detail: 'working',
    });
    await pollAfter(0, 150_000);
    await control.post(`/_sandbox/sessions/${created.session_id}/status`, {
      status: 'running',
      status_detail: 'waiting_for_user',
      message: 'Should the old queue keep running until the migration is verified?',
    });
    await pollAfter(sandbox!.requests.length, 150_000);
    const notification = await ui.waitForNotification('Devin is waiting for you');
    assert.match(await notification.innerText(), new RegExp(`${INSTRUCTION}.*Acme Robotics`, 's'));
    await ui.page.screenshot({ path: path.join(resultsDir, 'notification-waiting.png') });
  });
});
