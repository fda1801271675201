import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DevinExtensionApi, DevinTestingApi } from '../../src/extension';
import type { SessionDebugRequest, SessionDebugState } from '../../src/webview/sessionPanel';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, type Sandbox } from '../sandbox/server';
import { activateExtension, eventually, signIn, signOut, startSandboxForExtension } from './support';

/**
 * What the extension asks of an API that says to wait, and what it says about an enterprise too large to
 * list whole, inside a real VS Code against the sandbox.
 */

const ORG = SANDBOX_ORG_IDS.acme;
const PANEL_POLL_MS = 250;

function debug(request?: SessionDebugRequest): Thenable<SessionDebugState> {
  return vscode.commands.executeCommand<SessionDebugState>('devin.session.debugState', request);
}

suite('An open session panel under a rate limit', () => {
  let sandbox: Sandbox;
  let api: DevinExtensionApi;
  let testing: DevinTestingApi;

  suiteSetup(async () => {
    sandbox = await startSandboxForExtension();
    api = await activateExtension();
    assert.ok(api.testing, 'the test hooks exist in ExtensionMode.Test');
    testing = api.testing;
    const outcome = await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    assert.equal(outcome.ok, true, outcome.error);
    await debug({ pollIntervalMs: PANEL_POLL_MS });
  });

  suiteTeardown(async () => {
    sandbox.faults.clear();
    // A good tick ends the wait, so the suites after this one start with an API that answers.
    await testing.pollNow();
    await debug({ pollIntervalMs: 15_000 });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await signOut();
    await sandbox.close();
  });

  test('429 with Retry-After: 600 stops its checks instead of repeating them every interval', async () => {
    const organization = (await api.sessionsTree.getChildren()).find(
      (node) => node.kind === 'organization' && node.organization.id === ORG,
    );
    assert.ok(organization);
    const row = (await api.sessionsTree.getChildren(organization)).find(
      (node) => node.kind === 'session' && node.session.status === 'running' && node.session.statusDetail === 'working',
    );
    assert.ok(row?.kind === 'session', 'a working session on the first page');
    const sessionId = row.session.id;
    assert.equal(await vscode.commands.executeCommand('devin.openSession', { orgId: ORG, sessionId }), true);
    await eventually(
      async () => ((await debug({ sessionId })).lastRendered?.messageIds.length ?? 0) > 0,
      'the conversation',
      15_000,
    );
    await eventually(async () => (await debug({ sessionId })).polling, 'the panel to poll');

    const mark = sandbox.requests.length;
    sandbox.faults.inject({ kind: 'status', status: 429, retryAfterSeconds: 600, times: Infinity });
    await eventually(
      () => sandbox.requests.slice(mark).some((request) => request.fault === 'status'),
      'a check to meet the rate limit',
    );
    // Eight of the panel's intervals: without a wait shared with the poller, each would send two more reads.
    await new Promise((resolve) => setTimeout(resolve, PANEL_POLL_MS * 8));
    // From the check that met the limit on (one check reads the session and its messages together).
    const since = sandbox.requests.slice(mark);
    const sent = since.slice(since.findIndex((request) => request.fault === 'status'));
    assert.ok(
      sent.length <= 2,
      `${sent.length} requests: ${sent.map((request) => `${request.method} ${request.path}`).join(', ')}`,
    );
    assert.match(testing.viewMessage() ?? '', /rate limiting/, 'the view says why nothing is current');
  });
});

suite('An enterprise with more organizations than the list shows', () => {
  let sandbox: Sandbox;
  let api: DevinExtensionApi;
  let testing: DevinTestingApi;

  suiteSetup(async () => {
    sandbox = await startSandboxForExtension({ scale: { organizations: 5100, sessionsPerOrganization: 1 } });
    api = await activateExtension();
    assert.ok(api.testing, 'the test hooks exist in ExtensionMode.Test');
    testing = api.testing;
    const outcome = await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    assert.equal(outcome.ok, true, outcome.error);
  });

  suiteTeardown(async () => {
    await signOut();
    await sandbox.close();
  });

  test('the view says the list shows the first 5,000 organizations', async () => {
    const roots = await api.sessionsTree.getChildren();
    assert.equal(roots.length, 5000);
    assert.equal(new Set(roots.map((node) => (node.kind === 'organization' ? node.organization.id : ''))).size, 5000);
    await eventually(
      () => /Showing the first 5,000 organizations/.test(testing.viewMessage() ?? ''),
      'the message above the rows',
    );
  });
});
