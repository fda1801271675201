import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DevinExtensionApi } from '../../src/extension';
import type { DevinNode } from '../../src/views/nodes';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, type Sandbox } from '../sandbox/server';
import {
  FIXTURE_FILE,
  activateExtension,
  eventually,
  onlyRequestTo,
  requestsTo,
  signIn,
  signOut,
  startSandboxForExtension,
} from './support';

/**
 * The core extension inside a real VS Code against the sandbox: sign-in, the tree with paging,
 * sessions created from a selection, follow-ups, and each failure keeping the user's text.
 */

type Outcome = {
  ok: boolean;
  cancelled?: boolean;
  error?: string;
  draftId?: string;
  session?: { id: string; orgId: string; url?: string };
};

function label(api: DevinExtensionApi, node: DevinNode): string {
  const item = api.sessionsTree.getTreeItem(node) as vscode.TreeItem;
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

suite('Devin core extension', () => {
  let sandbox: Sandbox;
  let api: DevinExtensionApi;

  suiteSetup(async () => {
    sandbox = await startSandboxForExtension();
    api = await activateExtension();
    await signOut();
  });

  suiteTeardown(async () => {
    await signOut();
    await sandbox.close();
  });

  setup(() => sandbox.reset());

  test('signed out: the view is empty, its state says so, and nothing is sent to the API', async () => {
    const roots = await api.sessionsTree.getChildren();
    assert.deepEqual(roots, []);
    assert.equal(api.sessionsTree.viewState, 'signedOut');
    assert.equal(sandbox.requests.length, 0);
  });

  test('an invalid or expired token is explained and nothing is stored', async () => {
    const expired = await signIn(SANDBOX_TOKENS.expired);
    assert.equal(expired.ok, false);
    assert.match(expired.error ?? '', /did not accept this token.*Nothing was saved/);
    assert.equal(sandbox.requests[0]?.authorized, 'invalid');
    const legacy = await signIn('apk_user_0123456789');
    assert.equal(legacy.ok, false);
    assert.match(legacy.error ?? '', /legacy apk_ key/);
    assert.equal(sandbox.requests.length, 1, 'a legacy key is rejected before any request');
    assert.deepEqual(await api.sessionsTree.getChildren(), []);
    assert.equal(api.sessionsTree.viewState, 'signedOut');
  });

  test('a valid token is checked, stored in secret storage only, and used by later calls', async () => {
    const outcome = (await signIn(SANDBOX_TOKENS.enterpriseAdmin)) as Outcome & { identity?: { name: string } };
    assert.equal(outcome.ok, true);
    assert.ok(outcome.identity?.name);
    const settingsDump = JSON.stringify(vscode.workspace.getConfiguration('devin'));
    assert.ok(!settingsDump.includes('cog_'), 'no token in settings');
    const roots = await api.sessionsTree.getChildren();
    assert.ok(roots.length >= 3);
    assert.ok(sandbox.requests.every((request) => request.authorized === 'enterprise-admin'));
  });

  test('organizations and their sessions are listed newest first, with Load more', async () => {
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    await vscode.commands.executeCommand('devin.refresh');
    const roots = await api.sessionsTree.getChildren();
    const acme = roots.find((node) => node.kind === 'organization' && node.organization.id === SANDBOX_ORG_IDS.acme);
    assert.ok(acme, 'the large organization is listed');
    assert.ok(
      roots.some((node) => label(api, node).includes('<script>')),
      'an HTML-looking name is kept as plain text',
    );
    const firstPage = await api.sessionsTree.getChildren(acme);
    const sessions = firstPage.filter((node) => node.kind === 'session');
    assert.equal(sessions.length, 20, 'one page of devin.pageSize sessions');
    const more = firstPage.at(-1);
    assert.equal(more?.kind, 'loadMore');
    assert.equal(label(api, more), 'Load more…');
    await vscode.commands.executeCommand('devin.loadMoreSessions', more);
    const secondPage = (await api.sessionsTree.getChildren(acme)).filter((node) => node.kind === 'session');
    assert.equal(secondPage.length, 40);
    const ids = secondPage.map((node) => (node.kind === 'session' ? node.session.id : ''));
    assert.equal(new Set(ids).size, 40, 'no duplicates after paging');
    const sessionRequests = sandbox.requests.filter((request) =>
      request.path.endsWith(`/organizations/${SANDBOX_ORG_IDS.acme}/sessions`),
    );
    assert.ok(sessionRequests.at(-1)?.query.after, 'the second page used the cursor');
    const item = api.sessionsTree.getTreeItem(secondPage[0]) as vscode.TreeItem;
    assert.match(String(item.description), /ago/);
    assert.ok(item.id?.startsWith(`session:${SANDBOX_ORG_IDS.acme}:devin-`), 'stable ids');
  });

  test('sessions waiting for the user are counted for the status bar as they load', async () => {
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    await vscode.commands.executeCommand('devin.refresh');
    const roots = await api.sessionsTree.getChildren();
    assert.equal(api.waitingSessionCount(), 0, 'nothing loaded yet');
    const acme = roots.find((node) => node.kind === 'organization' && node.organization.id === SANDBOX_ORG_IDS.acme);
    assert.ok(acme);
    const rows = await api.sessionsTree.getChildren(acme);
    const expected = rows.filter(
      (node) =>
        node.kind === 'session' &&
        node.session.status === 'running' &&
        ['waiting_for_user', 'waiting_for_approval'].includes(node.session.statusDetail ?? ''),
    ).length;
    assert.ok(expected > 0, 'the first page has waiting sessions');
    assert.equal(api.waitingSessionCount(), expected);
  });

  test('a session created from a selection carries path, lines, language and code, and appears at once', async () => {
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    await vscode.commands.executeCommand('devin.refresh');
    const roots = await api.sessionsTree.getChildren();
    const acme = roots.find((node) => node.kind === 'organization' && node.organization.id === SANDBOX_ORG_IDS.acme);
    assert.ok(acme);
    await api.sessionsTree.getChildren(acme);
    const document = await vscode.workspace.openTextDocument(FIXTURE_FILE);
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(3, 0, 6, 0); // lines 4-6, ending at column 0 of line 7
    const outcome = (await vscode.commands.executeCommand('devin.createSessionFromSelection', {
      instruction: 'Fix the off-by-one in this loop',
      orgId: SANDBOX_ORG_IDS.acme,
    })) as Outcome;
    assert.equal(outcome.ok, true, outcome.error);
    const request = sandbox.requests.find(
      (candidate) => candidate.method === 'POST' && candidate.path.endsWith('/sessions'),
    );
    const prompt = (request?.body as { prompt: string }).prompt;
    assert.ok(prompt.startsWith('Fix the off-by-one in this loop\n'));
    assert.match(prompt, /- File: (.*\/)?src\/calc\.ts\n/);
    assert.match(prompt, /- Lines: 4-6\n/);
    assert.match(prompt, /- Language: typescript\n/);
    assert.ok(
      prompt.includes(
        '```typescript\n  for (let index = 0; index < limit - 1; index++) {\n    total += index;\n  }\n```',
      ),
    );
    const first = (await api.sessionsTree.getChildren(acme)).find((node) => node.kind === 'session');
    assert.equal(
      first?.kind === 'session' && first.session.id,
      outcome.session?.id,
      'the new session is first among the sessions in the tree',
    );
  });

  test('a follow-up message reaches the session', async () => {
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    const created = (await vscode.commands.executeCommand('devin.createSession', {
      prompt: 'Write a README',
      orgId: SANDBOX_ORG_IDS.globex,
    })) as Outcome;
    assert.equal(created.ok, true, created.error);
    const beforeSend = sandbox.requests.length;
    const sent = (await vscode.commands.executeCommand('devin.sendMessage', {
      orgId: SANDBOX_ORG_IDS.globex,
      sessionId: created.session?.id,
      message: 'Add a usage section\nwith examples',
    })) as Outcome;
    assert.equal(sent.ok, true, sent.error);
    const request = onlyRequestTo(
      sandbox,
      'POST',
      `/v3/organizations/${SANDBOX_ORG_IDS.globex}/sessions/${created.session?.id}/messages`,
      beforeSend,
    );
    assert.deepEqual(request.body, { message: 'Add a usage section\nwith examples' });
  });

  test("the conversation opens as a read-only transcript with the user's and Devin's messages", async () => {
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    const created = (await vscode.commands.executeCommand('devin.createSession', {
      prompt: 'Transcript target',
      orgId: SANDBOX_ORG_IDS.acme,
    })) as Outcome;
    await vscode.commands.executeCommand('devin.sendMessage', {
      orgId: SANDBOX_ORG_IDS.acme,
      sessionId: created.session?.id,
      message: 'Please also update the docs',
    });
    const beforeShow = sandbox.requests.length;
    const shown = (await vscode.commands.executeCommand('devin.showConversation', {
      orgId: SANDBOX_ORG_IDS.acme,
      sessionId: created.session?.id,
    })) as Outcome & { messages?: number };
    assert.equal(shown.ok, true, shown.error);
    const document = vscode.window.activeTextEditor?.document;
    assert.equal(document?.uri.scheme, 'devin-view');
    assert.ok(document?.getText().includes('### You'));
    assert.ok(document?.getText().includes('Please also update the docs'));
    assert.ok(requestsTo(sandbox, 'GET', `/sessions/${created.session?.id}/messages`, beforeShow).length > 0);
  });

  test('a multi-line message written in the composer editor is sent from it and the editor closes', async () => {
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    const created = (await vscode.commands.executeCommand('devin.createSession', {
      prompt: 'Composer target',
      orgId: SANDBOX_ORG_IDS.acme,
    })) as Outcome;
    await vscode.commands.executeCommand('devin.sendMessage', {
      orgId: SANDBOX_ORG_IDS.acme,
      sessionId: created.session?.id,
      compose: 'First line\n\nSecond paragraph',
    });
    const composer = await eventually(
      () =>
        vscode.window.activeTextEditor?.document.getText() === 'First line\n\nSecond paragraph' &&
        vscode.window.activeTextEditor.document,
      'the composer editor',
    );
    assert.equal(composer.isUntitled, true);
    const beforeSend = sandbox.requests.length;
    const sent = (await vscode.commands.executeCommand('devin.sendComposed')) as Outcome;
    assert.equal(sent.ok, true, sent.error);
    assert.deepEqual(onlyRequestTo(sandbox, 'POST', '/messages', beforeSend).body, {
      message: 'First line\n\nSecond paragraph',
    });
    const composerTabs = () =>
      vscode.window.tabGroups.all
        .flatMap((group) => group.tabs)
        .filter(
          (tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === composer.uri.toString(),
        );
    await eventually(() => composerTabs().length === 0, 'the composer editor to close after sending');
    const again = (await vscode.commands.executeCommand('devin.sendComposed')) as Outcome;
    assert.equal(again.ok, false, 'an ordinary editor is not a composer');
  });

  test('the whole prompt can be reviewed in the composer and sent from it as a new session', async () => {
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    const before = sandbox.requests.length;
    await vscode.commands.executeCommand('devin.createSession', {
      orgId: SANDBOX_ORG_IDS.globex,
      compose: 'Draft prompt',
    });
    assert.equal(sandbox.requests.length, before, 'nothing is sent while the prompt is being edited');
    // Editor focus reaches the extension host as an event; wait for it to settle on the composer.
    const editor = await eventually(
      () => vscode.window.activeTextEditor?.document.getText() === 'Draft prompt' && vscode.window.activeTextEditor,
      'the composer editor',
    ).catch((error: Error) => {
      const tabs = vscode.window.tabGroups.all.flatMap((group) =>
        group.tabs.map((tab) => `${tab.label}${tab.isActive ? '*' : ''}`),
      );
      throw new Error(
        `${error.message}; active: ${JSON.stringify(vscode.window.activeTextEditor?.document.getText().slice(0, 30))}; tabs: ${tabs.join(', ')}`,
      );
    });
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 12), ', edited\nwith a second line'));
    const beforeSend = sandbox.requests.length;
    const sent = (await vscode.commands.executeCommand('devin.sendComposed')) as Outcome;
    assert.equal(sent.ok, true, sent.error);
    const request = onlyRequestTo(sandbox, 'POST', `/v3/organizations/${SANDBOX_ORG_IDS.globex}/sessions`, beforeSend);
    assert.deepEqual(request.body, { prompt: 'Draft prompt, edited\nwith a second line' });
  });

  test('429: the rate-limit message is shown and the prompt is kept for Retry', async () => {
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    sandbox.faults.inject({ kind: 'status', status: 429, retryAfterSeconds: 600, match: { method: 'POST' } });
    const failed = (await vscode.commands.executeCommand('devin.createSession', {
      prompt: 'Kept through a rate limit',
      orgId: SANDBOX_ORG_IDS.acme,
    })) as Outcome;
    assert.equal(failed.ok, false);
    assert.match(failed.error ?? '', /rate limiting.*about 600 s/);
    assert.ok(
      api
        .unsentDrafts()
        .some(
          (draft) =>
            draft.id === failed.draftId && draft.kind === 'session' && draft.prompt === 'Kept through a rate limit',
        ),
    );
    const retried = (await vscode.commands.executeCommand('devin.retrySessionDraft', failed.draftId)) as Outcome;
    assert.equal(retried.ok, true, retried.error);
    assert.ok(!api.unsentDrafts().some((draft) => draft.id === failed.draftId), 'sent drafts are dropped');
  });

  test('a dropped connection: the message says so and the follow-up text survives for Retry', async () => {
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    const created = (await vscode.commands.executeCommand('devin.createSession', {
      prompt: 'Target',
      orgId: SANDBOX_ORG_IDS.acme,
    })) as Outcome;
    sandbox.faults.inject({ kind: 'drop', times: Infinity, match: { method: 'POST', pathIncludes: '/messages' } });
    const failed = (await vscode.commands.executeCommand('devin.sendMessage', {
      orgId: SANDBOX_ORG_IDS.acme,
      sessionId: created.session?.id,
      message: 'Please keep me',
    })) as Outcome;
    assert.equal(failed.ok, false);
    // The connection dropped after the message was written, so it may have arrived: said so, not "unreachable".
    assert.match(failed.error ?? '', /connection to the Devin API was lost.*may have/);
    assert.ok(api.unsentDrafts().some((draft) => draft.kind === 'message' && draft.message === 'Please keep me'));
    sandbox.faults.clear();
    const beforeRetry = sandbox.requests.length;
    const retried = (await vscode.commands.executeCommand('devin.retryMessageDraft', failed.draftId)) as Outcome;
    assert.equal(retried.ok, true, retried.error);
    assert.deepEqual(onlyRequestTo(sandbox, 'POST', '/messages', beforeRetry).body, { message: 'Please keep me' });
  });

  test('403: the missing permission is named and the prompt is kept', async () => {
    await signIn(SANDBOX_TOKENS.member);
    const failed = (await vscode.commands.executeCommand('devin.createSession', {
      prompt: 'Not allowed here',
      orgId: SANDBOX_ORG_IDS.xss,
    })) as Outcome;
    assert.equal(failed.ok, false);
    assert.match(failed.error ?? '', /refused the request: This needs the ManageOrgSessions/);
    assert.ok(api.unsentDrafts().some((draft) => draft.id === failed.draftId));
  });

  test('401 on a stored token that stopped working: sign in again, text kept', async () => {
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    sandbox.faults.inject({ kind: 'status', status: 401, times: Infinity, match: { method: 'POST' } });
    const failed = (await vscode.commands.executeCommand('devin.createSession', {
      prompt: 'Before my token expired',
      orgId: SANDBOX_ORG_IDS.acme,
    })) as Outcome;
    assert.equal(failed.ok, false);
    assert.match(failed.error ?? '', /invalid or has expired.*Sign In/);
    assert.ok(
      api.unsentDrafts().some((draft) => draft.kind === 'session' && draft.prompt === 'Before my token expired'),
    );
  });

  test('an organization-scoped token shows its one organization', async () => {
    await signIn(SANDBOX_TOKENS.orgServiceUser);
    const roots = await eventually(async () => {
      const nodes = await api.sessionsTree.getChildren();
      return nodes.length > 0 ? nodes : undefined;
    }, 'the organization row');
    assert.equal(roots.length, 1);
    assert.equal(roots[0].kind === 'organization' && roots[0].organization.id, SANDBOX_ORG_IDS.acme);
    assert.ok(
      !sandbox.requests.some((request) => request.path.endsWith('/enterprise/organizations')),
      'no enterprise listing for an organization token',
    );
  });

  test('the API unreachable: the view says so instead of showing rows', async () => {
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    sandbox.faults.inject({ kind: 'drop', times: Infinity, match: { method: 'GET', pathIncludes: '/organizations' } });
    await vscode.commands.executeCommand('devin.refresh');
    assert.deepEqual(await api.sessionsTree.getChildren(), []);
    assert.equal(api.sessionsTree.viewState, 'unreachable');
    sandbox.faults.clear();
    await vscode.commands.executeCommand('devin.refresh');
    assert.ok((await api.sessionsTree.getChildren()).length >= 3);
    assert.equal(api.sessionsTree.viewState, 'ready');
  });
});
