import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DevinExtensionApi, DevinTestingApi } from '../../src/extension';
import type { DevinNode } from '../../src/views/nodes';
import { apiClient } from '../sandbox/client';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, type Sandbox } from '../sandbox/server';
import { activateExtension, eventually, signIn, signOut, startSandboxForExtension } from './support';

/**
 * Live sessions in a real VS Code against the sandbox: the poller notices a session progress and the tree row,
 * the status bar and a notification follow within one tick; nothing is requested while nobody is looking;
 * offline keeps the rows. Cadences are lowered to about a second through the test-only hook.
 */

const TICK_SECONDS = 1;
/** One tick, plus the time a request and the redraw take on a busy machine. */
const WITHIN_ONE_TICK_MS = TICK_SECONDS * 1000 + 1500;

type Created = { ok: boolean; error?: string; session?: { id: string; orgId: string } };

suite('Live sessions', () => {
  let sandbox: Sandbox;
  let api: DevinExtensionApi;
  let testing: DevinTestingApi;
  const devin = () => vscode.workspace.getConfiguration('devin');

  suiteSetup(async () => {
    sandbox = await startSandboxForExtension();
    api = await activateExtension();
    assert.ok(api.testing, 'the test hooks exist in ExtensionMode.Test');
    testing = api.testing;
    // The sessions view stays hidden: the Explorer holds the side bar.
    await vscode.commands.executeCommand('workbench.view.explorer');
  });

  suiteTeardown(async () => {
    testing.setRefreshIntervals(undefined);
    await devin().update('notifications', undefined, vscode.ConfigurationTarget.Global);
    sandbox.faults.clear();
    await signOut();
    await sandbox.close();
  });

  setup(() => sandbox.reset());

  teardown(async () => {
    sandbox.faults.clear();
    testing.setRefreshIntervals(undefined);
  });

  async function steer(sessionId: string, statusDetail: string, message?: string): Promise<void> {
    const answer = await apiClient(sandbox.baseUrl, undefined).post(`/_sandbox/sessions/${sessionId}/status`, {
      status: 'running',
      status_detail: statusDetail,
      message,
    });
    assert.equal(answer.status, 200, answer.text);
  }

  async function row(sessionId: string): Promise<{ node: DevinNode; item: vscode.TreeItem } | undefined> {
    const roots = await api.sessionsTree.getChildren();
    const acme = roots.find((node) => node.kind === 'organization' && node.organization.id === SANDBOX_ORG_IDS.acme);
    if (!acme) return undefined;
    const node = (await api.sessionsTree.getChildren(acme)).find(
      (candidate) => candidate.kind === 'session' && candidate.session.id === sessionId,
    );
    return node && { node, item: api.sessionsTree.getTreeItem(node) as vscode.TreeItem };
  }

  const icon = (item: vscode.TreeItem | undefined) => (item?.iconPath as vscode.ThemeIcon | undefined)?.id;

  test('a session goes running → waiting → finished: row, status bar and notification follow within one tick', async () => {
    await devin().update('notifications', 'all', vscode.ConfigurationTarget.Global);
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    const created = (await vscode.commands.executeCommand('devin.createSession', {
      prompt: 'Watch me progress',
      orgId: SANDBOX_ORG_IDS.acme,
    })) as Created;
    assert.equal(created.ok, true, created.error);
    const sessionId = created.session?.id as string;
    await steer(sessionId, 'working');
    assert.ok(await row(sessionId), 'the new session has a row');
    // The baseline: what is true now is not news.
    await testing.pollNow();
    assert.equal(icon((await row(sessionId))?.item), 'sync~spin', 'the row shows it working');
    const redrawn: (DevinNode | undefined | null | void)[] = [];
    const redraws = api.sessionsTree.onDidChangeTreeData?.((node) => redrawn.push(node));
    const polled = sandbox.requests.length;
    await testing.pollNow();
    await testing.pollNow();
    assert.equal(sandbox.requests.length, polled + 2, 'two polls, one request each');
    assert.equal(redrawn.length, 0, 'nothing redraws when nothing changed');
    const before = testing.statusBar();
    const shownBefore = testing.notificationsShown().length;
    testing.setRefreshIntervals({ foreground: TICK_SECONDS, background: TICK_SECONDS });
    assert.equal(
      testing.currentRefreshSeconds(),
      TICK_SECONDS,
      'the view is hidden, but a session started here is watched and notifications are on',
    );

    await steer(sessionId, 'waiting_for_user', 'Which database should I use?');
    const changedAt = Date.now();
    await eventually(
      async () => icon((await row(sessionId))?.item) === 'comment-discussion',
      'the row to show Devin waiting',
      WITHIN_ONE_TICK_MS,
    );
    assert.ok(
      redrawn.some((node) => node?.kind === 'organization' && node.organization.id === SANDBOX_ORG_IDS.acme),
      'the organization of the changed session is redrawn',
    );
    assert.ok(!redrawn.includes(undefined), 'not the whole tree');
    redraws?.dispose();
    const waiting = await eventually(
      () =>
        testing
          .notificationsShown()
          .slice(shownBefore)
          .find((shown) => shown.sessionIds.includes(sessionId)),
      'a notification',
      WITHIN_ONE_TICK_MS - (Date.now() - changedAt),
    );
    assert.match(waiting.message, /Devin is waiting for you in "Watch me progress" \(Acme Robotics\)/);
    const whileWaiting = testing.statusBar();
    assert.equal(whileWaiting.waiting, before.waiting + 1, 'the status bar counts it as waiting');
    assert.equal(whileWaiting.running, before.running - 1, 'and no longer as running');
    assert.match(whileWaiting.text ?? '', new RegExp(`\\b${whileWaiting.waiting}\\b`));

    await steer(sessionId, 'finished', 'All done.');
    const shownWhileWaiting = testing.notificationsShown().length;
    await eventually(
      async () => icon((await row(sessionId))?.item) === 'pass',
      'the row to show it finished',
      WITHIN_ONE_TICK_MS,
    );
    const finished = await eventually(
      () =>
        testing
          .notificationsShown()
          .slice(shownWhileWaiting)
          .find((shown) => shown.sessionIds.includes(sessionId)),
      'the finished notification',
      WITHIN_ONE_TICK_MS,
    );
    assert.match(finished.message, /Devin finished "Watch me progress"/);
    assert.equal(testing.statusBar().waiting, before.waiting);

    // Muted from its row: the next change shows in the tree but notifies nobody.
    const muted = await row(sessionId);
    assert.ok(muted && muted.item.contextValue?.includes('unmuted'));
    await vscode.commands.executeCommand('devin.muteSession', muted.node);
    assert.match((await row(sessionId))?.item.contextValue ?? '', /\.muted/);
    const shownBeforeMute = testing.notificationsShown().length;
    await steer(sessionId, 'waiting_for_user', 'One more question');
    await eventually(
      async () => icon((await row(sessionId))?.item) === 'comment-discussion',
      'the muted row to update',
      WITHIN_ONE_TICK_MS,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(testing.notificationsShown().length, shownBeforeMute, 'no notification for a muted session');
    await vscode.commands.executeCommand('devin.unmuteSession', muted.node);
  });

  test('nothing is requested while the view is hidden and notifications are off', async () => {
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    const created = (await vscode.commands.executeCommand('devin.createSession', {
      prompt: 'Watched but quiet',
      orgId: SANDBOX_ORG_IDS.globex,
    })) as Created;
    assert.equal(created.ok, true, created.error);
    await devin().update('notifications', 'off', vscode.ConfigurationTarget.Global);
    testing.setRefreshIntervals({ foreground: 0.3, background: 0.3 });
    assert.equal(testing.currentRefreshSeconds(), 0);
    const mark = sandbox.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.deepEqual(
      sandbox.requests.slice(mark).map((request) => request.path),
      [],
      'no request in 2 s at a 0.3 s cadence',
    );
    // The same set-up with notifications on does poll, so the silence above is the setting's doing.
    await devin().update('notifications', 'waiting', vscode.ConfigurationTarget.Global);
    await eventually(
      () => sandbox.requests.slice(mark).some((request) => request.path.endsWith('/enterprise/sessions')),
      'a poll once notifications are on',
      2000,
    );
  });

  test('offline keeps the rows and says how old they are; rate limiting is said as such; recovery clears it', async () => {
    await devin().update('notifications', 'waiting', vscode.ConfigurationTarget.Global);
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    await vscode.commands.executeCommand('devin.createSession', { prompt: 'Keep me', orgId: SANDBOX_ORG_IDS.acme });
    const roots = await api.sessionsTree.getChildren();
    const acme = roots.find((node) => node.kind === 'organization' && node.organization.id === SANDBOX_ORG_IDS.acme);
    assert.ok(acme);
    const rows = await api.sessionsTree.getChildren(acme);
    assert.ok(rows.length > 10);
    await testing.pollNow();
    testing.setRefreshIntervals({ foreground: 0.5, background: 0.5 });

    sandbox.faults.inject({ kind: 'drop', times: Infinity });
    const offline = await eventually(() => testing.viewMessage()?.match(/offline/) && testing.viewMessage(), 'offline');
    assert.match(offline ?? '', /^Updated just now — offline/);
    assert.equal(api.sessionsTree.viewState, 'ready');
    assert.equal((await api.sessionsTree.getChildren()).length, roots.length, 'organizations kept');
    assert.equal((await api.sessionsTree.getChildren(acme)).length, rows.length, 'rows kept');

    sandbox.faults.clear();
    sandbox.faults.inject({ kind: 'status', status: 429, retryAfterSeconds: 1, times: Infinity });
    await eventually(() => /rate limiting/.test(testing.viewMessage() ?? ''), 'the rate limit shown as one', 8000);
    assert.equal((await api.sessionsTree.getChildren(acme)).length, rows.length);

    sandbox.faults.clear();
    await eventually(() => testing.viewMessage() === undefined, 'the message to clear after a good tick', 8000);
  });

  test('an organization list refused with 429 shows as rate limiting, not as unreachable', async () => {
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    sandbox.faults.inject({
      kind: 'status',
      status: 429,
      retryAfterSeconds: 600,
      times: Infinity,
      match: { method: 'GET', pathIncludes: '/enterprise/organizations' },
    });
    await vscode.commands.executeCommand('devin.refresh');
    assert.deepEqual(await api.sessionsTree.getChildren(), []);
    assert.equal(api.sessionsTree.viewState, 'rateLimited');
    assert.match(api.sessionsTree.viewStateMessage ?? '', /rate limiting.*about 600 s/);
    sandbox.faults.clear();
    await vscode.commands.executeCommand('devin.refresh');
    assert.ok((await api.sessionsTree.getChildren()).length >= 3);
    assert.equal(api.sessionsTree.viewState, 'ready');
  });
});
