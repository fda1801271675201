import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DevinExtensionApi } from '../../src/extension';
import type { DevinNode } from '../../src/views/nodes';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, type Sandbox } from '../sandbox/server';
import { LogTail, findExtensionLog } from './faultMatrix/observe';
import { activateExtension, onlyRequestTo, signIn, signOut, startSandboxForExtension } from './support';

/**
 * What a misbehaving server cannot do to the extension: make it page forever, hide a whole list
 * behind one bad row, or make it hold a huge answer; and how far a huge selection can go.
 */

type Outcome = { ok: boolean; error?: string; session?: { id: string }; [key: string]: unknown };

const ACME = SANDBOX_ORG_IDS.acme;
const GLOBEX = SANDBOX_ORG_IDS.globex;

function exec<T = Outcome>(command: string, ...args: unknown[]): Promise<T> {
  return vscode.commands.executeCommand(command, ...args) as Promise<T>;
}

suite('Bounds and unreadable rows', () => {
  let sandbox: Sandbox;
  let api: DevinExtensionApi;
  let log: LogTail;

  async function acmeRows(): Promise<DevinNode[]> {
    await exec('devin.refresh');
    const roots = await api.sessionsTree.getChildren();
    const acme = roots.find((node) => node.kind === 'organization' && node.organization.id === ACME);
    assert.ok(acme, 'the organization is listed');
    // The organization's Schedules and Knowledge rows come first; these tests are about its sessions.
    return (await api.sessionsTree.getChildren(acme)).filter(
      (node) => node.kind !== 'schedules' && node.kind !== 'knowledge',
    );
  }

  function description(node: DevinNode | undefined): string {
    assert.ok(node);
    return String((api.sessionsTree.getTreeItem(node) as vscode.TreeItem).description ?? '');
  }

  suiteSetup(async () => {
    sandbox = await startSandboxForExtension();
    api = await activateExtension();
    const outcome = await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    assert.equal(outcome.ok, true, outcome.error);
    log = new LogTail(findExtensionLog());
  });

  suiteTeardown(async () => {
    await exec('workbench.action.closeAllEditors');
    await signOut();
    await sandbox.close();
  });

  setup(() => {
    sandbox.reset();
    log.skipToEnd();
  });

  test('a session with session_id null is skipped and logged; the rest of the organization shows', async () => {
    sandbox.faults.inject({ kind: 'nullRow', fields: ['session_id'], match: { pathIncludes: `/${ACME}/sessions` } });
    const rows = await acmeRows();
    assert.equal(rows.filter((node) => node.kind === 'session').length, 20);
    assert.equal(rows.at(-1)?.kind, 'loadMore');
    assert.ok(log.available, 'the extension log was found');
    assert.match(log.read(), /Skipped 1 of 21 rows from GET \/v3\/organizations\/.*\/sessions/);
  });

  test('a message with message null is skipped; the conversation shows the others', async () => {
    // A seeded session: a session made here would get the id (and so the document) of one made by a later suite.
    const page = await fetch(`${sandbox.baseUrl}/v3/organizations/${GLOBEX}/sessions?first=1`, {
      headers: { authorization: `Bearer ${SANDBOX_TOKENS.enterpriseAdmin}` },
    });
    const sessionId = ((await page.json()) as { items: { session_id: string }[] }).items[0]?.session_id;
    assert.ok(sessionId);
    const sent = await exec('devin.sendMessage', {
      orgId: GLOBEX,
      sessionId,
      message: 'A follow-up that must still show',
    });
    assert.equal(sent.ok, true, sent.error);
    sandbox.faults.inject({ kind: 'nullRow', match: { method: 'GET', pathIncludes: '/messages' } });
    const shown = await exec('devin.showConversation', { orgId: GLOBEX, sessionId });
    assert.equal(shown.ok, true, shown.error);
    assert.ok(Number(shown.messages) >= 2, `${String(shown.messages)} messages`);
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.ok(text.includes('A follow-up that must still show'));
    assert.ok(log.read().includes('Skipped 1 of'), 'the skipped row is logged');
  });

  test('a server that keeps claiming more pages: Load more goes away, conversation and audit log stop', async () => {
    const rows = await acmeRows();
    sandbox.faults.inject({
      kind: 'emptyPageClaimsMore',
      cursor: 'fresh',
      times: Infinity,
      match: { pathIncludes: 'after=' },
    });
    sandbox.requests.length = 0;
    await exec('devin.loadMoreSessions', rows.at(-1));
    const after = await api.sessionsTree.getChildren(
      (await api.sessionsTree.getChildren()).find(
        (node) => node.kind === 'organization' && node.organization.id === ACME,
      ),
    );
    assert.equal(after.filter((node) => node.kind === 'session').length, 20);
    assert.ok(!after.some((node) => node.kind === 'loadMore'), 'an empty page ends Load more');
    assert.equal(sandbox.requests.length, 1);

    sandbox.requests.length = 0;
    const audit = await exec('devin.showAuditLog', { days: 100 });
    assert.equal(audit.ok, true, audit.error);
    assert.ok(sandbox.requests.length <= 2, `${sandbox.requests.length} audit log requests`);

    sandbox.faults.clear();
    sandbox.faults.inject({
      kind: 'emptyPageClaimsMore',
      cursor: 'repeat',
      times: Infinity,
      match: { pathIncludes: '/messages' },
    });
    sandbox.requests.length = 0;
    const seeded = (await acmeRows()).find((node) => node.kind === 'session');
    assert.ok(seeded?.kind === 'session');
    sandbox.requests.length = 0;
    const conversation = await exec('devin.showConversation', { orgId: ACME, sessionId: seeded.session.id });
    assert.equal(conversation.ok, true, conversation.error);
    assert.equal(sandbox.requests.length, 1, 'an empty first page that claims more is not followed');
  });

  test('an answer over 8 MB is not read; the organization says so and offers a retry', async () => {
    sandbox.faults.inject({ kind: 'oversized', bytes: 12 * 1024 * 1024, match: { pathIncludes: `/${ACME}/sessions` } });
    const rows = await acmeRows();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.kind, 'error');
    assert.match(description(rows[0]), /sent more than 8 MB for one response/);
    assert.equal(sandbox.requests.filter((request) => request.path.endsWith(`/${ACME}/sessions`)).length, 1);
  });

  test('a page of 20,000 rows for a page size of 20 is refused with a message saying so', async () => {
    sandbox.faults.inject({
      kind: 'oversized',
      items: 20_000,
      bytes: 4 * 1024 * 1024,
      match: { pathIncludes: `/${ACME}/sessions` },
    });
    const rows = await acmeRows();
    assert.equal(rows[0]?.kind, 'error');
    assert.match(description(rows[0]), /sent 20000 rows in one page .* where 20 were asked for/);
  });

  test('Send All is refused for a selection too large to send; Truncate still works', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'typescript',
      content: Array.from(
        { length: 6000 },
        (_, index) => `export const value${index} = ${'1 + '.repeat(10)}${index};`,
      ).join('\n'),
    });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 0, document.lineCount, 0);
    assert.ok(document.getText().length > 200_000);
    sandbox.requests.length = 0;
    const whole = await exec('devin.createSessionFromSelection', {
      instruction: 'Refactor all of this',
      orgId: GLOBEX,
      truncate: false,
    });
    assert.equal(whole.ok, false);
    assert.match(whole.error ?? '', /at most 200k can be sent to Devin.*Truncate/);
    assert.equal(sandbox.requests.length, 0, 'nothing is sent');
    const truncated = await exec('devin.createSessionFromSelection', {
      instruction: 'Refactor the start of this',
      orgId: GLOBEX,
      truncate: true,
    });
    assert.equal(truncated.ok, true, truncated.error);
    const prompt = (onlyRequestTo(sandbox, 'POST', `/organizations/${GLOBEX}/sessions`).body as { prompt: string })
      .prompt;
    assert.ok(prompt.length < 20_000, `${prompt.length} characters sent`);
    assert.match(prompt, /more lines not included/);
    await exec('workbench.action.revertAndCloseActiveEditor');
  });
});
