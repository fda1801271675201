import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DevinExtensionApi } from '../../src/extension';
import type { RenderedSession } from '../../src/shared/sessionProtocol';
import type { SessionDebugRequest, SessionDebugState } from '../../src/webview/sessionPanel';
import { apiClient, type ApiClient } from '../sandbox/client';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, type Sandbox } from '../sandbox/server';
import { activateExtension, eventually, signIn, signOut, startSandboxForExtension } from './support';

/**
 * The session panel inside a real VS Code against the sandbox. The panel is observed through its test-only
 * debug command: the page reports what it rendered (message ids, the typed draft, the reply box, scroll),
 * and the command can type into the page as a person would. Expectations come from the sandbox over HTTP.
 */

const ORG = SANDBOX_ORG_IDS.acme;
const WAIT_MS = 15_000;
const POLL_MS = 250;

interface WireSession {
  session_id: string;
  status: string;
  status_detail: string | null;
  title: string | null;
  is_archived: boolean;
}

function debug(request?: SessionDebugRequest): Thenable<SessionDebugState> {
  return vscode.commands.executeCommand<SessionDebugState>('devin.session.debugState', request);
}

function devinId(id: string): string {
  return id.startsWith('devin-') ? id : `devin-${id}`;
}

/** Waits for a page report of the panel of `sessionId` that passes `check`. */
async function rendered(
  sessionId: string,
  check: (report: RenderedSession, state: SessionDebugState) => boolean,
  what: string,
): Promise<{ report: RenderedSession; state: SessionDebugState }> {
  return eventually(
    async () => {
      const state = await debug({ sessionId });
      return state.lastRendered && check(state.lastRendered, state) ? { report: state.lastRendered, state } : undefined;
    },
    what,
    WAIT_MS,
  );
}

function sessionTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('devin.session'));
}

suite('session panel', () => {
  let sandbox: Sandbox;
  let api: DevinExtensionApi;
  let http: ApiClient;
  let control: ApiClient;

  async function sessions(): Promise<WireSession[]> {
    return (await http.get(`/v3/organizations/${ORG}/sessions?first=200`)).json.items as WireSession[];
  }

  async function messageIds(sessionId: string): Promise<string[]> {
    const ids: string[] = [];
    let after = '';
    for (;;) {
      const page = (await http.get(`/v3/organizations/${ORG}/sessions/${sessionId}/messages?first=200${after}`)).json;
      ids.push(...(page.items as { event_id: string }[]).map((item) => item.event_id));
      if (!page.end_cursor) return ids;
      after = `&after=${encodeURIComponent(page.end_cursor as string)}`;
    }
  }

  async function pick(matches: (session: WireSession) => boolean): Promise<string> {
    const found = (await sessions()).find(matches);
    assert.ok(found, 'the sandbox seeds such a session');
    return devinId(found.session_id);
  }

  async function addMessage(sessionId: string, body: Record<string, unknown>): Promise<string> {
    const reply = await control.post(`/_sandbox/sessions/${sessionId}/messages`, body);
    assert.equal(reply.status, 200, reply.text);
    return reply.json.event_id as string;
  }

  async function open(sessionId: string): Promise<void> {
    assert.equal(await vscode.commands.executeCommand('devin.openSession', { orgId: ORG, sessionId }), true);
  }

  suiteSetup(async () => {
    sandbox = await startSandboxForExtension({ apiVersion: 'v3' });
    api = await activateExtension();
    const outcome = await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    assert.equal(outcome.ok, true, outcome.error);
    http = apiClient(sandbox.baseUrl, SANDBOX_TOKENS.enterpriseAdmin);
    control = apiClient(sandbox.baseUrl, undefined);
    await debug({ pollIntervalMs: POLL_MS });
  });

  setup(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    sandbox.reset();
  });

  suiteTeardown(async () => {
    await debug({ pollIntervalMs: 15_000 });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await signOut();
    await sandbox.close();
  });

  test('a session row opens the panel with its header and conversation; opening it again reveals the same one', async () => {
    const organization = (await api.sessionsTree.getChildren()).find(
      (node) => node.kind === 'organization' && node.organization.id === ORG,
    );
    assert.ok(organization);
    const row = (await api.sessionsTree.getChildren(organization)).find(
      (node) =>
        node.kind === 'session' &&
        node.session.status === 'running' &&
        node.session.statusDetail === 'working' &&
        !!node.session.title,
    );
    assert.ok(row?.kind === 'session', 'a working session is on the first page of the tree');
    const sessionId = row.session.id;
    const title = row.session.title ?? '';
    const item = await api.sessionsTree.getTreeItem(row);
    assert.equal(item.command?.command, 'devin.openSession', 'clicking the row opens the panel');
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));

    const expected = await messageIds(sessionId);
    const { report } = await rendered(sessionId, (r) => r.messageIds.length > 0, 'the conversation');
    assert.deepEqual(report.messageIds, expected.slice(-50));
    assert.equal(report.title, title);
    assert.equal(report.statusLabel, 'Working');
    assert.equal(report.activity, 'working');
    assert.equal(report.replyEnabled, true);
    assert.ok(
      report.links.some((link) => link.startsWith('https://app.devin.ai/sessions/')),
      'the header links to the web app',
    );

    await open(sessionId);
    await open(sessionId.replace(/^devin-/, ''));
    assert.equal(sessionTabs().length, 1, 'one panel per session');
    assert.equal(sessionTabs()[0]?.label, title.length > 40 ? `${title.slice(0, 39)}…` : title);
  });

  test('a message added server-side appears in the open panel without a reload, keeping the draft and the scroll position', async () => {
    const sessionId = await pick(
      (session) => session.status === 'running' && session.status_detail === 'working' && !session.is_archived,
    );
    // Long enough to scroll in any window size.
    const steps = Array.from({ length: 80 }, (_, index) => `${index + 1}. Step ${index + 1} of the plan`).join('\n');
    const plan = await addMessage(sessionId, { message: `Here is my plan:\n\n${steps}` });
    await open(sessionId);
    const first = await rendered(sessionId, (r) => r.messageIds.includes(plan), 'the conversation');
    const loads = first.state.pageLoads;
    await debug({ sessionId, input: { text: 'Half-written reply' } });
    await rendered(sessionId, (r) => r.draft === 'Half-written reply', 'the typed draft');

    const markdown = [
      'I found the cause. The **retry loop** never backs off:',
      '',
      '```ts',
      'for (;;) await fetch(url);',
      '```',
      '',
      'Details: https://github.com/acme/api/issues/7',
    ].join('\n');
    const eventId = await addMessage(sessionId, { message: markdown });
    const { report, state } = await rendered(
      sessionId,
      (r) => r.messageIds.includes(eventId),
      'the new message in the panel',
    );
    assert.equal(report.messageIds.at(-1), eventId, 'newest at the bottom');
    assert.equal(report.draft, 'Half-written reply', 'the typed text is untouched');
    assert.equal(state.pageLoads, loads, 'the page was not reloaded');
    assert.ok(report.codeBlocks >= 1, 'the fenced block is a code block');
    assert.ok(report.links.includes('https://github.com/acme/api/issues/7'), 'the bare URL became a link');
    assert.equal(report.atBottom, true, 'a reader at the bottom follows the conversation');

    // A reader who scrolled up stays where they were when the next message arrives.
    await debug({ sessionId, input: { scrollTop: 0 } });
    await rendered(sessionId, (r) => r.scrollTop === 0 && !r.atBottom, 'the scrolled-up reader');
    const next = await addMessage(sessionId, { message: 'One more thing.' });
    const after = await rendered(sessionId, (r) => r.messageIds.includes(next), 'the second message');
    assert.equal(after.report.scrollTop, 0, 'the scroll position is kept');
  });

  test('"Devin is waiting for you" when Devin asks; polling stops once Devin is finished', async () => {
    const sessionId = await pick(
      (session) => session.status === 'running' && session.status_detail === 'working' && !session.is_archived,
    );
    await open(sessionId);
    await rendered(sessionId, (r) => r.activity === 'working', 'the working state');
    const question = await addMessage(sessionId, {
      message: 'Should I also update the docs?',
      status: 'running',
      status_detail: 'waiting_for_user',
    });
    const { report } = await rendered(
      sessionId,
      (r) => r.messageIds.includes(question) && r.activity === 'waiting',
      'the waiting state',
    );
    assert.equal(report.statusLabel, 'Waiting for you');
    assert.match(report.replyNotice, /waiting for your reply/);

    await addMessage(sessionId, { message: 'All done.', status: 'running', status_detail: 'finished' });
    await rendered(sessionId, (r) => r.statusLabel === 'Finished' && r.activity === 'none', 'the finished state');
    await eventually(async () => !(await debug({ sessionId })).polling, 'polling to stop');
    sandbox.requests.length = 0;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 4));
    assert.deepEqual(
      sandbox.requests.map((request) => request.path),
      [],
      'nothing is requested for a finished session',
    );
  });

  test('a reply shows at once, is confirmed by the API; a failed send keeps the text with the error', async () => {
    const sessionId = await pick(
      (session) => session.status === 'running' && session.status_detail === 'waiting_for_user' && !session.is_archived,
    );
    await open(sessionId);
    await rendered(sessionId, (r) => r.replyEnabled && r.messageIds.length > 0, 'the reply box');
    const posts = () =>
      sandbox.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/messages'));

    sandbox.faults.inject({
      kind: 'status',
      status: 500,
      times: 1,
      match: { method: 'POST', pathIncludes: '/messages' },
    });
    await debug({ sessionId, input: { text: 'Yes, update the docs too.', submit: true } });
    const failed = await rendered(sessionId, (r) => r.sendError !== '', 'the send error');
    assert.match(failed.report.sendError, /Could not send your message \(it is kept in the reply box\)/);
    assert.match(failed.report.sendError, /HTTP 500/);
    assert.equal(failed.report.draft, 'Yes, update the docs too.', 'the text is back in the box');
    assert.deepEqual(failed.report.pendingTexts, []);
    assert.equal(posts().length, 1);

    // Slow enough to see the message pending; a second send meanwhile is not sent.
    sandbox.faults.inject({
      kind: 'slow',
      delayMs: 1500,
      times: 1,
      match: { method: 'POST', pathIncludes: '/messages' },
    });
    await debug({ sessionId, input: { submit: true } });
    const pending = await rendered(sessionId, (r) => r.pendingTexts.length === 1, 'the pending message');
    assert.deepEqual(pending.report.pendingTexts, ['Yes, update the docs too.']);
    assert.equal(pending.report.draft, '');
    assert.equal(pending.report.sendError, '');
    await debug({ sessionId, simulate: { type: 'send', sendId: 'second', text: 'A second message' } });
    await debug({ sessionId, input: { text: 'Typed while sending', submit: true } });

    const confirmed = await rendered(
      sessionId,
      (r) => r.pendingTexts.length === 0 && r.messageIds.length > pending.report.messageIds.length,
      'the confirmed message',
    );
    const sent = posts().slice(1);
    assert.deepEqual(
      sent.map((request) => request.body),
      [{ message: 'Yes, update the docs too.' }],
      'one send in flight at a time',
    );
    const wire = (await http.get(`/v3/organizations/${ORG}/sessions/${sessionId}/messages?first=200`)).json.items as {
      event_id: string;
      source: string;
      message: string;
    }[];
    const listed = wire.find((message) => message.source === 'user' && message.message === 'Yes, update the docs too.');
    assert.ok(listed && confirmed.report.messageIds.includes(listed.event_id), 'the API lists the sent message');
    assert.equal(confirmed.report.draft, 'Typed while sending', 'text typed meanwhile stays in the box');
  });

  test('a reply whose answer was lost may have been delivered; sending it again finds it and sends nothing', async () => {
    const sessionId = await pick(
      (session) => session.status === 'running' && session.status_detail === 'waiting_for_user' && !session.is_archived,
    );
    await open(sessionId);
    await rendered(sessionId, (r) => r.replyEnabled && r.messageIds.length > 0, 'the reply box');
    const text = 'Lost answer: please also add tests.';
    const posts = () =>
      sandbox.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/messages'));
    const delivered = async () =>
      (
        (await http.get(`/v3/organizations/${ORG}/sessions/${sessionId}/messages?first=200`)).json.items as {
          source: string;
          message: string;
        }[]
      ).filter((message) => message.source === 'user' && message.message === text).length;

    sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST', pathIncludes: '/messages' } });
    await debug({ sessionId, input: { text, submit: true } });
    const lost = await rendered(sessionId, (r) => r.sendError !== '', 'the uncertain send');
    assert.match(lost.report.sendError, /may have been delivered/);
    assert.equal(lost.report.draft, text, 'the text is kept');
    assert.equal(posts().length, 1, 'not repeated automatically');
    assert.equal(await delivered(), 1);

    await debug({ sessionId, input: { submit: true } });
    await rendered(sessionId, (r) => r.sendError === '' && r.draft === '' && r.pendingTexts.length === 0, 'confirmed');
    assert.equal(posts().length, 1, 'found in the conversation, not sent again');
    assert.equal(await delivered(), 1);

    const unreadable = 'Unreadable answer: ship it.';
    sandbox.faults.inject({ kind: 'malformedAfterHandler', match: { method: 'POST', pathIncludes: '/messages' } });
    await debug({ sessionId, input: { text: unreadable, submit: true } });
    await eventually(() => posts().length === 2, 'the second message to be sent');
    const wire = (await http.get(`/v3/organizations/${ORG}/sessions/${sessionId}/messages?first=200`)).json.items as {
      event_id: string;
      message: string;
    }[];
    const listed = wire.find((message) => message.message === unreadable);
    assert.ok(listed, 'the sandbox has it');
    const done = await rendered(
      sessionId,
      (r) => r.messageIds.includes(listed.event_id) && r.pendingTexts.length === 0,
      'a 2xx with an unreadable body taken as sent',
    );
    assert.equal(done.report.sendError, '', 'no error for a message that was sent');
    assert.equal(done.report.draft, '');
    assert.equal(posts().length, 2);
  });

  test('an archived session is readable but its reply box is disabled with the reason', async () => {
    const sessionId = await pick((session) => session.is_archived);
    await open(sessionId);
    const { report } = await rendered(sessionId, (r) => r.title !== 'Loading session…', 'the archived session');
    assert.equal(report.replyEnabled, false);
    assert.match(report.replyNotice, /archived: it stays readable, but Devin cannot receive messages/);
    sandbox.requests.length = 0;
    await debug({ sessionId, simulate: { type: 'send', sendId: 'blocked', text: 'Hello?' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(sandbox.requests.filter((request) => request.method === 'POST').length, 0);
  });

  test('older messages are paged in as the reader scrolls up, keeping what was on screen in place', async () => {
    const chatty = await eventually(async () => {
      for (const session of await sessions()) {
        const id = devinId(session.session_id);
        const total = (await http.get(`/v3/organizations/${ORG}/sessions/${id}/messages?first=1`)).json.total as number;
        if (total > 200) return id;
      }
      return undefined;
    }, 'the long conversation');
    const all = await messageIds(chatty);
    await open(chatty);
    const first = await rendered(chatty, (r) => r.messageIds.length > 0, 'the newest messages');
    assert.deepEqual(first.report.messageIds, all.slice(-50));
    assert.equal(first.report.hasOlder, true);
    assert.equal(first.report.atBottom, true, 'opens at the newest message');

    await debug({ sessionId: chatty, input: { scrollTop: 0 } });
    const paged = await rendered(chatty, (r) => r.messageIds.length === 100, 'the older messages');
    assert.deepEqual(paged.report.messageIds, all.slice(-100));
    assert.ok(paged.report.scrollTop > 0, 'the view stays on the message that was at the top');
  });

  test('neither the signed-in token nor any other key reaches the page or the tab, from the title, tags or messages', async () => {
    const signedIn = SANDBOX_TOKENS.enterpriseAdmin;
    // A key this window never held (the sandbox's other tokens may have been signed in by an earlier suite): only
    // its shape gives it away.
    const other = ['cog', 'never', 'held', '7f3a9c2e5b8d1f4a6c0e'].join('_');
    const made = await control.post(`/_sandbox/organizations/${ORG}/sessions`, {
      message_count: 3,
      messages: [`Deploy with ${signedIn} please`, `I also found ${other} in .env`],
      title: `Rotate ${signedIn}`,
      tags: [`key-${signedIn}`, other],
    });
    assert.equal(made.status, 200, made.text);
    const sessionId = made.json.session_id as string;
    const last = made.json.last_event_id as string;
    // Opened from its tree row, so the tab is named from the row before the session is read.
    const row = await eventually(async () => {
      await vscode.commands.executeCommand('devin.refresh');
      const organization = (await api.sessionsTree.getChildren()).find(
        (node) => node.kind === 'organization' && node.organization.id === ORG,
      );
      const rows = organization ? await api.sessionsTree.getChildren(organization) : [];
      return rows.find((node) => node.kind === 'session' && node.session.id === sessionId);
    }, 'the session in the tree');
    const item = await api.sessionsTree.getTreeItem(row);
    assert.ok(item.command);
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));

    const { report, state } = await rendered(
      sessionId,
      (r) => r.messageIds.at(-1) === last && r.title !== '',
      'the conversation and its header',
    );
    const leaks = (text: string): string[] =>
      [signedIn, other].flatMap((token) => {
        const secret = token.slice('cog_'.length);
        const found: string[] = [];
        for (let start = 0; start + 8 <= secret.length; start += 4)
          if (text.includes(secret.slice(start, start + 8))) found.push(secret.slice(start, start + 8));
        return found;
      });
    assert.equal(report.title, 'Rotate …', 'the page shows the title, without the token');
    assert.deepEqual(leaks(JSON.stringify(report)), [], 'what the page rendered');
    assert.deepEqual(leaks(state.title), [], `the panel title: ${state.title}`);
    const tab = sessionTabs().find((candidate) => candidate.label === state.title);
    assert.ok(tab, 'the tab shows the panel title');
    assert.deepEqual(leaks(tab.label), []);

    const posted = JSON.stringify(state.posted);
    assert.deepEqual(leaks(posted), [], 'what the host posted to the page');
    const header = state.posted.find((message) => message.type === 'session');
    assert.deepEqual(header?.type === 'session' ? header.session.tags : undefined, ['key-…', 'cog_…']);
    const shown = state.posted.find((message) => message.type === 'messages');
    assert.deepEqual(shown?.type === 'messages' ? shown.messages.slice(-2).map((message) => message.text) : undefined, [
      'Deploy with … please',
      'I also found cog_… in .env',
    ]);
  });

  test('hidden, the panel stops polling; shown again, the page comes back with its typed draft', async () => {
    const sessionId = await pick(
      (session) => session.status === 'running' && session.status_detail === 'working' && !session.is_archived,
    );
    await open(sessionId);
    const first = await rendered(sessionId, (r) => r.messageIds.length > 0, 'the conversation');
    await debug({ sessionId, input: { text: 'Draft that must survive\nacross two lines' } });
    await rendered(sessionId, (r) => r.draft.startsWith('Draft that must survive'), 'the draft');

    const document = await vscode.workspace.openTextDocument({ content: 'another editor' });
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Active, preview: false });
    await eventually(async () => !(await debug({ sessionId })).visible, 'the panel to be hidden');
    assert.equal((await debug({ sessionId })).polling, false);
    sandbox.requests.length = 0;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 4));
    assert.equal(sandbox.requests.length, 0, 'nothing is requested while the panel is hidden');

    await open(sessionId);
    const back = await rendered(
      sessionId,
      (r, state) => state.pageLoads > first.state.pageLoads && r.messageIds.length > 0,
      'the page to load again',
    );
    assert.equal(back.report.draft, 'Draft that must survive\nacross two lines');
    assert.equal(back.state.polling, true);
  });
});
