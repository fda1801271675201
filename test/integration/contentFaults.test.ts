import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DevinTestingApi } from '../../src/extension';
import { isInside } from '../../src/core/safePathSegment';
import type { RenderedSession } from '../../src/shared/sessionProtocol';
import type { DevinNode } from '../../src/views/nodes';
import type { SessionDebugRequest, SessionDebugState } from '../../src/webview/sessionPanel';
import { apiClient } from '../sandbox/client';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS } from '../sandbox/server';
import {
  HOSTILE_ATTACHMENT_NAMES,
  expandedTree,
  filesHolding,
  repeatedIds,
  rowTexts,
  tokenPieces,
  type ContentCell,
} from './faultMatrix/content';
import { textProblems } from '../faultMatrix/textChecks';
import { LogTail, findExtensionLog } from './faultMatrix/observe';
import { eventually, onlyRequestTo, requestsTo, signedInSuite } from './support';

/**
 * The fault matrix's other half: answers that are well-formed but hostile or odd (names that climb out of a
 * folder, notes that share a name, clocks far off, a session that changes organization, rows given twice, a
 * conversation of ten thousand messages, markup and keys in titles). Each cell drives the extension's own
 * commands, tree and session panel against the sandbox and checks what the user would see; any token or stack
 * in the log fails a cell too. Results go to test-results/fault-matrix-content.json.
 */

type Outcome = { ok: boolean; cancelled?: boolean; error?: string; opened?: string; uri?: string };

const ACME = SANDBOX_ORG_IDS.acme;
const GLOBEX = SANDBOX_ORG_IDS.globex;
const TOKEN = SANDBOX_TOKENS.enterpriseAdmin;
/** A key this window never held: only its shape can give it away. */
const OTHER_KEY = SANDBOX_TOKENS.member;
/** What the session panel polls at outside this suite (its default). */
const SESSION_POLL_MS = 15_000;
const PANEL_WAIT_MS = 60_000;
const resultsDir = process.env.DEVIN_TEST_RESULTS_DIR ?? path.resolve(__dirname, '..', '..', '..', 'test-results');

function exec<T = Outcome>(command: string, ...args: unknown[]): Promise<T> {
  return vscode.commands.executeCommand(command, ...args) as Promise<T>;
}

function debug(request?: SessionDebugRequest): Thenable<SessionDebugState> {
  return vscode.commands.executeCommand<SessionDebugState>('devin.session.debugState', request);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

suite('Fault matrix: server content', () => {
  const signedIn = signedInSuite({ apiVersion: 'v3', freshEachTest: true });
  const cells: ContentCell[] = [];
  let log: LogTail;
  let testing: DevinTestingApi;

  const control = () => apiClient(signedIn.sandbox.baseUrl, undefined);
  const admin = () => apiClient(signedIn.sandbox.baseUrl, TOKEN);

  suiteSetup(async () => {
    assert.ok(signedIn.api.testing, 'the test hooks exist in ExtensionMode.Test');
    testing = signedIn.api.testing;
    log = new LogTail(findExtensionLog());
    // Only the ticks a cell runs itself: a background tick would make the requests a cell names ambiguous.
    await vscode.workspace.getConfiguration('devin').update('notifications', 'off', vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    const failures = cells.filter((cell) => !cell.ok).length;
    fs.mkdirSync(resultsDir, { recursive: true });
    fs.writeFileSync(
      path.join(resultsDir, 'fault-matrix-content.json'),
      JSON.stringify({ summary: { cells: cells.length, failures }, cells }, null, 2),
    );
    console.log(`fault matrix, server content: ${cells.length} cells, ${failures} failures`);
    await vscode.workspace
      .getConfiguration('devin')
      .update('notifications', undefined, vscode.ConfigurationTarget.Global);
  });

  teardown(async () => {
    signedIn.sandbox.faults.clear();
    await debug({ pollIntervalMs: SESSION_POLL_MS });
    await exec('workbench.action.closeAllEditors');
    await exec('notifications.clearAll');
  });

  /**
   * One cell: `run` records what the user would see wrong in `failures` (or throws, which is one failure); the
   * extension's log written meanwhile must hold no token and no stack.
   */
  function cell(fault: string, surface: string, run: (failures: string[]) => Promise<void>, timeoutMs = 60_000): void {
    test(fault, async function () {
      this.timeout(timeoutMs + 10_000);
      const started = Date.now();
      const failures: string[] = [];
      log.skipToEnd();
      try {
        await run(failures);
      } catch (error) {
        failures.push(errorText(error));
      }
      failures.push(...textProblems(log.read(), TOKEN).map((problem) => `log: ${problem}`));
      cells.push({ fault, surface, ok: failures.length === 0, failures, durationMs: Date.now() - started });
      assert.deepEqual(failures, [], `${fault}:\n${failures.join('\n')}`);
    });
  }

  async function organizationRow(orgId: string): Promise<DevinNode> {
    const row = (await signedIn.api.sessionsTree.getChildren()).find(
      (node) => node.kind === 'organization' && node.organization.id === orgId,
    );
    assert.ok(row, `the tree lists ${orgId}`);
    return row;
  }

  /** The session rows the tree shows under an organization (its first page, and whatever polling added). */
  async function sessionRows(orgId: string): Promise<Extract<DevinNode, { kind: 'session' }>[]> {
    const rows = await signedIn.api.sessionsTree.getChildren(await organizationRow(orgId));
    return rows.filter((node): node is Extract<DevinNode, { kind: 'session' }> => node.kind === 'session');
  }

  async function sessionRow(orgId: string, sessionId: string) {
    return (await sessionRows(orgId)).find((node) => node.session.id === sessionId);
  }

  /** A session made by the sandbox as it stands after a conversation; newest of its organization. */
  async function madeSession(
    orgId: string,
    fields: { message_count?: number; messages?: string[]; title?: string; tags?: string[] },
  ): Promise<{ id: string; lastEventId: string }> {
    const made = await control().post(`/_sandbox/organizations/${orgId}/sessions`, fields);
    assert.equal(made.status, 200, made.text);
    return { id: made.json.session_id as string, lastEventId: made.json.last_event_id as string };
  }

  async function setFields(sessionId: string, fields: Record<string, unknown>): Promise<void> {
    const answer = await control().post(`/_sandbox/sessions/${sessionId}/fields`, fields);
    assert.equal(answer.status, 200, answer.text);
  }

  /** Moves a session to "waiting for you", as Devin would on its own time. */
  async function steerToWaiting(sessionId: string): Promise<void> {
    const answer = await control().post(`/_sandbox/sessions/${sessionId}/status`, {
      status: 'running',
      status_detail: 'waiting_for_user',
      message: 'Which database should I use?',
    });
    assert.equal(answer.status, 200, answer.text);
  }

  async function rendered(
    sessionId: string,
    check: (report: RenderedSession) => boolean,
    what: string,
  ): Promise<{ report: RenderedSession; state: SessionDebugState }> {
    let last: SessionDebugState | undefined;
    return eventually(
      async () => {
        const state = await debug({ sessionId });
        last = state;
        return state.lastRendered && check(state.lastRendered) ? { report: state.lastRendered, state } : undefined;
      },
      what,
      PANEL_WAIT_MS,
    ).catch((error: unknown) => {
      const seen = last?.lastRendered;
      throw new Error(
        `${errorText(error)}; the panel ${last?.open ? 'is open' : 'is not open'}, rendered ${last?.renderCount ?? 0} times` +
          (seen
            ? `, last with ${seen.messageIds.length} messages ending ${seen.messageIds.at(-1)}, title of ${seen.title.length} characters, load error ${JSON.stringify(seen.loadError)}`
            : ''),
      );
    });
  }

  cell('hostile attachment id and name', 'Show Attachments → Open', async (failures) => {
    const sandbox = signedIn.sandbox;
    const session = (await sessionRows(ACME))[0]?.session;
    assert.ok(session, 'a seeded session in Acme');
    const root = path.join(os.tmpdir(), 'devin-attachments');
    const marker = `content-fault-${Date.now().toString(36)}`;
    const since = Date.now() - 1000;
    for (const { value, segment, why } of HOSTILE_ATTACHMENT_NAMES) {
      const where = `${JSON.stringify(value)} (${why})`;
      const content = `${why} ${marker}`;
      const added = await control().post(`/_sandbox/sessions/${session.id}/attachments`, {
        attachment_id: value,
        name: value,
        content,
      });
      assert.equal(added.status, 200, added.text);
      const mark = sandbox.requests.length;
      const outcome = await exec('devin.showAttachments', {
        orgId: ACME,
        sessionId: session.id,
        name: value,
        action: 'open',
      });
      const downloads = requestsTo(sandbox, 'GET', /\/attachments\/[^/]+\/[^/]+$/, mark);
      if (downloads.length !== 1) failures.push(`${where}: ${downloads.length} downloads, not one`);
      if (!outcome.ok || !outcome.opened) {
        failures.push(`${where}: not opened: ${outcome.error ?? 'no file'}`);
        continue;
      }
      const expected = path.join(root, session.id, segment, segment);
      if (!isInside(root, outcome.opened)) failures.push(`${where}: written to ${outcome.opened}, outside ${root}`);
      else if (outcome.opened !== expected) failures.push(`${where}: written to ${outcome.opened}, not ${expected}`);
      if (fs.readFileSync(outcome.opened, 'utf8') !== content) failures.push(`${where}: the file holds something else`);
      const opened = outcome.opened;
      await eventually(
        () => vscode.window.activeTextEditor?.document.uri.fsPath === opened,
        `${where} to open in an editor`,
      ).catch((error: unknown) => failures.push(errorText(error)));
    }
    const outside = filesHolding(os.tmpdir(), marker, since).filter((file) => !isInside(root, file));
    if (outside.length > 0) failures.push(`written outside ${root}: ${outside.join(', ')}`);
    if (fs.existsSync('/etc/passwd') && fs.readFileSync('/etc/passwd', 'utf8').includes(marker))
      failures.push('written to /etc/passwd');
  });

  cell('two Knowledge notes with one name in different folders', 'Knowledge as files', async (failures) => {
    const sandbox = signedIn.sandbox;
    const notes = (await admin().get(`/v3/organizations/${ACME}/knowledge/notes?first=200`)).json.items as {
      note_id: string;
      name: string;
      body: string;
      folder_id: string | null;
      folder_path: string;
    }[];
    const first = notes.find((note) => note.folder_path === 'Engineering/Testing');
    const elsewhere = notes.find((note) => note.folder_path === 'Operations');
    assert.ok(first && elsewhere?.folder_id, 'seeded notes in two folders');
    const created = await admin().post(`/v3/organizations/${ACME}/knowledge/notes`, {
      name: first.name,
      body: 'The second, in Operations.',
      trigger: 'When meant',
      folder_id: elsewhere.folder_id,
    });
    assert.equal(created.status, 200, created.text);
    const second = created.json as { note_id: string };

    // An editor restored from before addresses carried ids names the note by its name alone.
    const nameOnly = vscode.Uri.from({ scheme: 'devin-knowledge', path: `/${ACME}/${first.name}.md` });
    const refusal = await Promise.resolve(vscode.workspace.openTextDocument(nameOnly)).then(
      () => undefined,
      (error: unknown) => errorText(error),
    );
    if (refusal === undefined) failures.push('a name-only address opened one of the two notes');
    else if (!/Engineering\/Testing/.test(refusal) || !/Operations/.test(refusal))
      failures.push(`the refusal does not name both folders: ${refusal}`);

    const mark = sandbox.requests.length;
    const opened = await exec('devin.editKnowledge', { orgId: ACME, noteId: second.note_id });
    assert.equal(opened.ok, true, opened.error);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && editor.document.uri.toString() === opened.uri, 'the note opened in the editor');
    if (editor.document.getText() !== 'The second, in Operations.')
      failures.push(`Edit opened another text: ${editor.document.getText().slice(0, 80)}`);
    await editor.edit((edit) =>
      edit.replace(new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(1e6)), 'Edited.'),
    );
    if (!(await editor.document.save())) failures.push('the save was refused');
    await exec('workbench.action.closeActiveEditor');
    const deleted = await exec('devin.deleteKnowledge', { orgId: ACME, noteId: second.note_id, confirmed: true });
    if (!deleted.ok) failures.push(`Delete failed: ${deleted.error}`);

    const notePath = (id: string) => `/v3/organizations/${ACME}/knowledge/notes/${id}`;
    const reads = requestsTo(sandbox, 'GET', notePath(second.note_id), mark);
    if (reads.length === 0) failures.push('Edit never read the second note');
    onlyRequestTo(sandbox, 'PUT', notePath(second.note_id), mark);
    onlyRequestTo(sandbox, 'DELETE', notePath(second.note_id), mark);
    const toFirst = sandbox.requests.slice(mark).filter((request) => request.path.includes(first.note_id));
    if (toFirst.length > 0)
      failures.push(`reached the first note: ${toFirst.map((r) => `${r.method} ${r.path}`).join(', ')}`);
    const kept = await admin().get(notePath(first.note_id));
    if (kept.status !== 200 || kept.json.body !== first.body) failures.push('the first note changed');
    if ((await admin().get(notePath(second.note_id))).status !== 404) failures.push('the second note is still there');
  });

  /**
   * A session stamped by a broken clock, then a later real change of another: the next tick shows the change in
   * its tree row, in one request that asks for changes from about now.
   */
  async function clockCell(failures: string[], stamp: (sessionId: string) => Promise<void>): Promise<void> {
    const sandbox = signedIn.sandbox;
    const started = Math.floor(Date.now() / 1000);
    const odd = await madeSession(GLOBEX, { messages: ['Stamped by a broken clock'] });
    await stamp(odd.id);
    const other = (await sessionRows(ACME)).find(
      (node) => node.session.statusDetail !== 'waiting_for_user' && !node.session.isArchived,
    )?.session;
    assert.ok(other, 'a session in Acme that is not waiting');
    // The baseline of this sign-in's picture (the tree was refreshed): what is true now is not news.
    await testing.pollNow();
    await steerToWaiting(other.id);
    const mark = sandbox.requests.length;
    const report = (await testing.pollNow()) as { ok: boolean };
    if (!report.ok) failures.push('the tick failed');
    const poll = onlyRequestTo(sandbox, 'GET', '/v3/enterprise/sessions', mark);
    const after = Number(poll.query.updated_after);
    const now = Math.ceil(Date.now() / 1000);
    if (!(after >= started - 120 && after <= now))
      failures.push(`the tick asked for changes after ${new Date(after * 1000).toISOString()}, not from about now`);
    const row = await sessionRow(ACME, other.id);
    const icon = (row && (signedIn.api.sessionsTree.getTreeItem(row) as vscode.TreeItem).iconPath) as
      vscode.ThemeIcon | undefined;
    if (row?.session.statusDetail !== 'waiting_for_user' || icon?.id !== 'comment-discussion')
      failures.push(`the later change is not in its row: ${row?.session.statusDetail}, icon ${icon?.id}`);
  }

  cell('a session updated far in the future', 'live polling → tree row', (failures) =>
    clockCell(failures, (sessionId) =>
      setFields(sessionId, { updated_at: Math.floor(Date.now() / 1000) + 10 * 365 * 86_400 }),
    ),
  );

  cell('a session updated in 1970, in an answer dated 1990', 'live polling → tree row', (failures) =>
    clockCell(failures, async (sessionId) => {
      await setFields(sessionId, { updated_at: 0 });
      // The next answer is the tick's baseline: a proxy's stale copy, dated by its own clock.
      signedIn.sandbox.faults.inject({
        kind: 'dateHeader',
        dateMs: Date.UTC(1990, 0, 1),
        match: { method: 'GET', pathIncludes: '/enterprise/sessions?' },
      });
    }),
  );

  cell('a session moves to another organization', 'live polling and Refresh → tree', async (failures) => {
    const sandbox = signedIn.sandbox;
    const moving = await madeSession(ACME, { messages: ['Moves to Globex'], title: 'Moves to Globex' });
    assert.ok(await sessionRow(ACME, moving.id), 'listed under Acme first');
    assert.ok(!(await sessionRow(GLOBEX, moving.id)), 'and not under Globex');
    await testing.pollNow();
    await setFields(moving.id, { org_id: GLOBEX });
    const mark = sandbox.requests.length;
    await testing.pollNow();
    onlyRequestTo(sandbox, 'GET', '/v3/enterprise/sessions', mark);
    const listed = async (when: string) => {
      if (await sessionRow(ACME, moving.id)) failures.push(`${when}: still listed under Acme`);
      const moved = await sessionRow(GLOBEX, moving.id);
      if (!moved) failures.push(`${when}: not listed under Globex`);
      else if (moved.session.orgId !== GLOBEX) failures.push(`${when}: listed under Globex as ${moved.session.orgId}`);
    };
    await listed('after the next tick');
    await exec('devin.refresh');
    await listed('after Refresh');
  });

  cell(
    'a pull request in both fields, organizations repeated across pages',
    'tree: every row expanded',
    async (failures) => {
      const sandbox = signedIn.sandbox;
      const url = 'https://github.com/acme/api/pull/4242';
      const withPr = await madeSession(ACME, { messages: ['Opened a pull request'], title: 'Two fields, one PR' });
      await setFields(withPr.id, {
        pull_requests: [{ pr_url: url, pr_state: 'open' }],
        pull_request: { pr_url: url, pr_state: 'open' },
      });
      sandbox.faults.inject({
        kind: 'overlappingPages',
        times: Infinity,
        match: { method: 'GET', pathIncludes: '/enterprise/organizations?' },
      });
      const mark = sandbox.requests.length;
      await exec('devin.refresh');
      const rows = await expandedTree(signedIn.api.sessionsTree);
      const pages = requestsTo(sandbox, 'GET', '/v3/enterprise/organizations', mark);
      if (pages.length < 2 || !pages.every((request) => request.fault === 'overlappingPages'))
        failures.push(`the organizations were read in ${pages.length} page(s), not in overlapping pages`);
      const repeated = repeatedIds(rows);
      if (repeated.length > 0) failures.push(`rows share an id: ${repeated.join(', ')}`);
      const organizations = rows.filter(({ node }) => node.kind === 'organization');
      if (organizations.length !== 4) failures.push(`${organizations.length} organization rows for 4 organizations`);
      const pullRequests = rows.filter(({ node }) => node.kind === 'pullRequest' && node.session.id === withPr.id);
      if (pullRequests.length !== 1) failures.push(`${pullRequests.length} pull request rows for one pull request`);
    },
  );

  cell(
    'a conversation of 10,000 messages',
    'session panel',
    async (failures) => {
      const sandbox = signedIn.sandbox;
      const long = await madeSession(ACME, { message_count: 10_000 });
      assert.equal(await exec<boolean>('devin.openSession', { orgId: ACME, sessionId: long.id }), true);
      const first = await rendered(
        long.id,
        (report) => report.messageIds.length > 0 || report.loadError !== '',
        'the conversation',
      );
      if (first.report.loadError) failures.push(`the panel failed: ${first.report.loadError}`);
      if (first.report.messageIds.at(-1) !== long.lastEventId)
        failures.push(`the newest message shown is ${first.report.messageIds.at(-1)}, not the 10,000th`);
      if (!first.report.hasOlder) failures.push('the panel does not offer the older messages');

      // The panel's checks come quickly now, so "its next check" is a matter of a second.
      await debug({ pollIntervalMs: 300 });
      const mark = sandbox.requests.length;
      const added = await control().post(`/_sandbox/sessions/${long.id}/messages`, {
        message: 'The 10,001st message',
      });
      assert.equal(added.status, 200, added.text);
      await rendered(long.id, (report) => report.messageIds.at(-1) === added.json.event_id, 'the new message');
      const reads = requestsTo(sandbox, 'GET', `/v3/organizations/${ACME}/sessions/${long.id}/messages`, mark);
      if (reads.length === 0) failures.push('the check read no messages');
      const fromStart = reads.filter((request) => request.query.after === undefined);
      if (fromStart.length > 0) failures.push(`${fromStart.length} checks read the conversation from its start`);
    },
    120_000,
  );

  /** What the tree row and the session panel show of a session with hostile text, as problems. */
  async function hostileSession(
    session: { shownTitle: string; shownTags: string[]; shownMessages: string[] },
    made: { id: string; lastEventId: string },
  ): Promise<string[]> {
    const problems: string[] = [];
    const row = await sessionRow(ACME, made.id);
    assert.ok(row, 'the session has a row');
    const item = signedIn.api.sessionsTree.getTreeItem(row) as vscode.TreeItem;
    const pieces = tokenPieces(rowTexts(item).join('\n'), [TOKEN, OTHER_KEY]);
    if (pieces.length > 0) problems.push(`the tree row shows a key (${pieces.join(', ')})`);
    const tooltip = item.tooltip as vscode.MarkdownString | undefined;
    if (tooltip?.isTrusted !== false || tooltip.supportHtml === true)
      problems.push("the row's tooltip may run links or HTML");
    if (/(^|[^\\])</.test(tooltip?.value ?? '')) problems.push("the row's tooltip holds unescaped markup");

    // Opened from its row, as a person would.
    assert.ok(item.command);
    await exec(item.command.command, ...(item.command.arguments ?? []));
    const { report, state } = await rendered(
      made.id,
      (shown) => (shown.messageIds.at(-1) === made.lastEventId && shown.title !== '') || shown.loadError !== '',
      'the session in the panel',
    );
    if (report.loadError) problems.push(`the panel failed: ${report.loadError}`);
    // The page's header is the title as text: markup in it would have become an element and left the text.
    if (report.title !== session.shownTitle)
      problems.push(`the panel's header reads ${JSON.stringify(report.title.slice(0, 80))}`);
    if (tokenPieces(state.title, [TOKEN, OTHER_KEY]).length > 0) problems.push('the tab title shows a key');
    if (tokenPieces(JSON.stringify([report, state.posted]), [TOKEN, OTHER_KEY]).length > 0)
      problems.push('the page was given or shows a key');
    const header = state.posted.find((message) => message.type === 'session');
    const tags = header?.type === 'session' ? header.session.tags : undefined;
    if (JSON.stringify(tags) !== JSON.stringify(session.shownTags))
      problems.push(`the page was given the tags ${JSON.stringify(tags)}`);
    const shown = state.posted.find((message) => message.type === 'messages');
    const texts =
      shown?.type === 'messages' ? shown.messages.slice(-session.shownMessages.length).map((m) => m.text) : [];
    if (JSON.stringify(texts) !== JSON.stringify(session.shownMessages))
      problems.push(`the page was given the messages ${JSON.stringify(texts)}`);
    return problems;
  }

  cell(
    'markup, keys, an RTL override and 10,000 characters in a title',
    'tree row and session panel',
    async (failures) => {
      const markup = '<img src=x onerror="alert(1)">';
      const rtl = 'Invoice \u202Efdp.exe';
      const hostile = [
        {
          title: `${markup} Rotate ${TOKEN}`,
          shownTitle: `${markup} Rotate …`,
          tags: [`key-${TOKEN}`, OTHER_KEY, '<b>bold</b>'],
          shownTags: ['key-…', 'cog_…', '<b>bold</b>'],
          messages: [`${markup} I found ${OTHER_KEY} in .env`, `Deploy with ${TOKEN} please`],
          shownMessages: [`${markup} I found cog_… in .env`, 'Deploy with … please'],
        },
        {
          title: `${rtl} ${'x'.repeat(10_000 - rtl.length - 1)}`,
          shownTitle: `${rtl} ${'x'.repeat(10_000 - rtl.length - 1)}`,
          tags: [rtl],
          shownTags: [rtl],
          messages: [`${rtl} is attached`],
          shownMessages: [`${rtl} is attached`],
        },
      ];
      const made: { id: string; lastEventId: string }[] = [];
      for (const session of hostile)
        made.push(await madeSession(ACME, { messages: session.messages, title: session.title, tags: session.tags }));
      for (const [index, session] of hostile.entries()) {
        const which = `session ${index + 1}`;
        try {
          const problems = await hostileSession(session, made[index] as { id: string; lastEventId: string });
          failures.push(...problems.map((problem) => `${which}: ${problem}`));
        } catch (error) {
          failures.push(`${which}: ${errorText(error)}`);
        }
        await exec('workbench.action.closeAllEditors');
      }
    },
  );
});
