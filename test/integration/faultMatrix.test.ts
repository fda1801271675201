import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DevinExtensionApi } from '../../src/extension';
import type { ConsumptionDebugState } from '../../src/webview/consumptionPanel';
import type { SessionDebugRequest, SessionDebugState } from '../../src/webview/sessionPanel';
import type { RenderedSession } from '../../src/shared/sessionProtocol';
import type { DevinNode } from '../../src/views/nodes';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, type Inventory, type RecordedRequest, type Sandbox } from '../sandbox/server';
import {
  CLIENT_TIMEOUT_SECONDS,
  EXPECTED_FAILURES,
  MATRIX_FAULTS,
  type CellResult,
  expectedFailure,
  unpermittedRequests,
  type MatrixFault,
} from '../faultMatrix/faults';
import { textProblems } from '../faultMatrix/textChecks';
import { LogTail, findExtensionLog, shownLines } from './faultMatrix/observe';
import { FIXTURE_FILE, activateExtension, eventually, signIn, signOut, startSandboxForExtension } from './support';

/**
 * Every command under every fault, in the real VS Code against the sandbox. Each cell runs one user
 * action with the fault aimed at the action's main request and records what the user saw, whether the
 * typed text survived, the requests made and the objects created; the cell fails on a stack or
 * `[object Object]` shown, typed text lost, a duplicate, a request the retry policy does not allow, or
 * the token in anything shown or logged. Results go to test-results/fault-matrix.json.
 */

type Outcome = { ok: boolean; cancelled?: boolean; error?: string; draftId?: string; [key: string]: unknown };

interface CellRun {
  /** The message the command returned or the view shows, when it has one of its own. */
  readonly shown?: string;
  /** True or false when the command keeps typed text (as a draft); undefined when it has none to keep. */
  readonly textKept?: boolean;
  readonly ok: boolean;
}

interface MatrixCommand {
  readonly id: string;
  /** Where the fault is aimed: the command's main request. */
  readonly method: 'GET' | 'POST';
  readonly pathIncludes: () => string;
  /** Gets the command ready (tree loaded, session made) before the fault is set and counting starts. */
  readonly prepare?: () => Promise<void>;
  readonly run: (text: string) => Promise<CellRun>;
  /** The most objects of one kind one run may create. */
  readonly created: (before: Inventory, after: Inventory) => { readonly count: number; readonly limit: number };
  /** Requests besides the faulted one and its retries that belong to the action (other targets). */
  readonly alsoAllowed?: (request: RecordedRequest) => boolean;
  /** For commands that keep a draft: sends it again, as the user's Retry would, once the fault is gone. */
  readonly retryDraft?: (draftId: string) => Promise<Outcome>;
  /** For commands that keep what was typed in their error notification's Retry: that button is pressed. */
  readonly retryFromNotification?: boolean;
}

const ACME = SANDBOX_ORG_IDS.acme;
const GLOBEX = SANDBOX_ORG_IDS.globex;
const TOKEN = SANDBOX_TOKENS.enterpriseAdmin;
/** What the session panel polls at outside this suite (its default). */
const SESSION_POLL_MS = 15_000;
const resultsDir = process.env.DEVIN_TEST_RESULTS_DIR ?? path.resolve(__dirname, '..', '..', '..', 'test-results');

function exec<T = Outcome>(command: string, ...args: unknown[]): Promise<T> {
  return vscode.commands.executeCommand(command, ...args) as Promise<T>;
}

const diff = (before: Inventory, after: Inventory, key: Exclude<keyof Inventory, 'sessionsByOrg'>) => ({
  count: after[key] - before[key],
  limit: 1,
});

/**
 * Commands whose flow runs vscode-free (src/actions, the store, the panels' reads) under every fault in plain Node
 * (test/unit/faultMatrix.test.ts, with the same checks): every row of that matrix, by the same id. Here they keep
 * the cells that prove the wiring only VS Code has: a refusal, a transport fault and a lost answer (the
 * notification, the kept text, Retry from it), and the token echoed in a message. Only the reply in the session
 * panel, which is no command, still runs every fault here.
 */
const COVERED_IN_NODE = new Set([
  'sign in',
  'tree load',
  'load more',
  'filter sessions',
  'show schedule runs',
  'create session',
  'create from selection',
  'follow-up',
  'conversation',
  'consumption',
  'create organization',
  'create service user',
  'add Knowledge',
  'browse Knowledge',
  'audit log',
  'load more audit log',
  'send to every organization',
  'open session',
  'archive session',
  'stop session',
  'edit tags',
  'toggle schedule',
  'delete schedule',
  'create schedule',
  'rename Knowledge',
  'edit Knowledge',
  'delete Knowledge',
  'show identity',
  'open session by id',
  'show attachments',
]);
const WIRING_FAULTS = new Set(['403', '500', 'drop after write', 'token echoed, base64']);

function faultsInVsCode(commandId: string): readonly MatrixFault[] {
  return COVERED_IN_NODE.has(commandId) ? MATRIX_FAULTS.filter((fault) => WIRING_FAULTS.has(fault.id)) : MATRIX_FAULTS;
}

suite('Fault matrix', () => {
  let sandbox: Sandbox;
  let api: DevinExtensionApi;
  let log: LogTail;
  let followUpSessionId: string;
  const results: CellResult[] = [];

  const draftHas = (text: string) =>
    api
      .unsentDrafts()
      .some((draft) => (draft.kind === 'session' ? draft.prompt.includes(text) : draft.message.includes(text)));

  /** Outcome of a command that keeps what was typed as a draft when it fails. */
  const draftOutcome = (outcome: Outcome, text: string): CellRun => ({
    ok: outcome.ok,
    shown: outcome.error,
    textKept: outcome.ok || outcome.cancelled ? undefined : draftHas(text),
  });

  async function loadedAcme(): Promise<DevinNode> {
    await exec('devin.refresh');
    const roots = await api.sessionsTree.getChildren();
    const acme = roots.find((node) => node.kind === 'organization' && node.organization.id === ACME);
    assert.ok(
      acme,
      `the organizations did not load: ${api.sessionsTree.viewStateMessage ?? api.sessionsTree.viewState}`,
    );
    return acme;
  }

  let loadMoreRow: DevinNode | undefined;

  const commands: MatrixCommand[] = [
    {
      id: 'sign in',
      method: 'GET',
      pathIncludes: () => '/self',
      run: async () => {
        const outcome = await signIn(TOKEN);
        return { ok: outcome.ok, shown: outcome.error };
      },
      created: (before, after) => diff(before, after, 'principals'),
    },
    {
      id: 'tree load',
      method: 'GET',
      pathIncludes: () => '/enterprise/organizations',
      run: async () => {
        await exec('devin.refresh');
        const roots = await api.sessionsTree.getChildren();
        const message = api.sessionsTree.viewStateMessage;
        return {
          ok: roots.length > 0,
          shown: message ?? (roots.length === 0 ? `view state: ${api.sessionsTree.viewState}` : undefined),
        };
      },
      created: (before, after) => diff(before, after, 'organizations'),
    },
    {
      id: 'load more',
      method: 'GET',
      pathIncludes: () => 'after=',
      prepare: async () => {
        const rows = await api.sessionsTree.getChildren(await loadedAcme());
        loadMoreRow = rows.find((node) => node.kind === 'loadMore');
        assert.ok(loadMoreRow, 'the first page offers Load more');
      },
      run: async () => {
        const before = (await api.sessionsTree.getChildren(await organizationRow(ACME))).length;
        await exec('devin.loadMoreSessions', loadMoreRow);
        const after = (await api.sessionsTree.getChildren(await organizationRow(ACME))).length;
        return { ok: after > before };
      },
      created: (before, after) => diff(before, after, 'sessions'),
    },
    {
      id: 'create session',
      method: 'POST',
      pathIncludes: () => `/organizations/${GLOBEX}/sessions`,
      run: async (text) => draftOutcome(await exec('devin.createSession', { prompt: text, orgId: GLOBEX }), text),
      created: (before, after) => diff(before, after, 'sessions'),
      retryDraft: (draftId) => exec('devin.retrySessionDraft', draftId),
    },
    {
      id: 'create from selection',
      method: 'POST',
      pathIncludes: () => `/organizations/${GLOBEX}/sessions`,
      prepare: async () => {
        const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(FIXTURE_FILE));
        editor.selection = new vscode.Selection(3, 0, 6, 0);
      },
      run: async (text) =>
        draftOutcome(await exec('devin.createSessionFromSelection', { instruction: text, orgId: GLOBEX }), text),
      created: (before, after) => diff(before, after, 'sessions'),
      retryDraft: (draftId) => exec('devin.retrySessionDraft', draftId),
    },
    {
      id: 'follow-up',
      method: 'POST',
      pathIncludes: () => `/sessions/${followUpSessionId}/messages`,
      run: async (text) =>
        draftOutcome(
          await exec('devin.sendMessage', { orgId: GLOBEX, sessionId: followUpSessionId, message: text }),
          text,
        ),
      created: (before, after) => diff(before, after, 'userMessages'),
      retryDraft: (draftId) => exec('devin.retryMessageDraft', draftId),
    },
    {
      id: 'conversation',
      method: 'GET',
      pathIncludes: () => `/sessions/${followUpSessionId}/messages`,
      run: async () => {
        const outcome = await exec('devin.showConversation', { orgId: GLOBEX, sessionId: followUpSessionId });
        return { ok: outcome.ok, shown: outcome.error };
      },
      created: (before, after) => diff(before, after, 'userMessages'),
    },
    {
      id: 'consumption',
      method: 'GET',
      pathIncludes: () => '/consumption/',
      prepare: async () => {
        // The previous cell's Retry may still be reading (its retries wait out back-off and Retry-After):
        // let it finish, or its late requests would be counted as this cell's.
        await settle(2500);
        // Opened once: revealing it again would reload the page, whose own first load would then mix
        // with the run under test.
        if ((await consumption()).open) return;
        await exec('devin.showConsumption');
        await eventually(
          async () => ['data', 'error'].includes((await consumption()).lastPosted?.type ?? ''),
          'the consumption panel to load',
          30_000,
        );
        // The billing-cycle read runs beside the chart's; a cell that starts before it ends would count its
        // requests as the cell's own.
        await eventually(
          async () => (await consumption()).budgetShown !== undefined,
          'the consumption panel to show its billing cycle',
          30_000,
        );
      },
      run: async () => {
        // A retry posts "loading" before its first request, so a later "error" or "data" is this run's answer.
        await exec('devin.consumption.debugState', {
          simulate: { type: 'retry', range: { kind: 'preset', days: 30 } },
        });
        const state = await eventually(
          async () => {
            const now = await consumption();
            return now.lastPosted?.type === 'error' || now.lastPosted?.type === 'data' ? now : undefined;
          },
          'the consumption panel to show data or an error',
          30_000,
        );
        const posted = state.lastPosted;
        return posted?.type === 'error' ? { ok: false, shown: posted.message } : { ok: true };
      },
      created: (before, after) => diff(before, after, 'sessions'),
    },
    {
      id: 'create organization',
      method: 'POST',
      pathIncludes: () => '/enterprise/organizations',
      run: async (text) => {
        const outcome = await exec('devin.createOrganization', { name: text });
        return { ok: outcome.ok, shown: outcome.error };
      },
      created: (before, after) => diff(before, after, 'organizations'),
      retryFromNotification: true,
    },
    {
      id: 'create service user',
      method: 'POST',
      pathIncludes: () => `/organizations/${GLOBEX}/service-users`,
      run: async (text) => {
        const outcome = await exec('devin.createServiceUser', { orgId: GLOBEX, name: text, role: 'member' });
        return { ok: outcome.ok, shown: outcome.error };
      },
      created: (before, after) => diff(before, after, 'principals'),
      retryFromNotification: true,
    },
    {
      id: 'add Knowledge',
      method: 'POST',
      pathIncludes: () => `/organizations/${GLOBEX}/knowledge/notes`,
      run: async (text) => {
        const outcome = await exec('devin.addKnowledge', {
          orgId: GLOBEX,
          name: text,
          trigger: 'When the fault matrix runs',
          body: `${text} body`,
        });
        return { ok: outcome.ok, shown: outcome.error };
      },
      created: (before, after) => diff(before, after, 'notes'),
      retryFromNotification: true,
    },
    {
      id: 'browse Knowledge',
      method: 'GET',
      pathIncludes: () => `/organizations/${GLOBEX}/knowledge/notes`,
      run: async () => {
        const running = exec('devin.browseKnowledge', { orgId: GLOBEX });
        // The picker stays open on success; it closes by itself when the search fails.
        // Longer than three timed-out attempts and their back-off, so a retried search is not cut short.
        const settled = await Promise.race([
          running.then(() => true),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 6_000)),
        ]);
        if (!settled) await exec('workbench.action.closeQuickOpen');
        await running;
        return { ok: !settled };
      },
      created: (before, after) => diff(before, after, 'notes'),
    },
    {
      id: 'audit log',
      method: 'GET',
      pathIncludes: () => '/enterprise/audit-logs',
      run: async () => {
        const outcome = await exec('devin.showAuditLog', { days: 30 });
        return { ok: outcome.ok, shown: outcome.error };
      },
      created: (before, after) => diff(before, after, 'sessions'),
    },
    {
      id: 'send to every organization',
      method: 'POST',
      pathIncludes: () => `/organizations/${GLOBEX}/sessions`,
      prepare: async () => {
        await loadedAcme();
      },
      run: async (text) => {
        const outcome = await exec('devin.sendPromptToAllOrganizations', { prompt: text, confirmed: true });
        const failed = Number(outcome.failed ?? 0);
        return {
          ok: outcome.ok && failed === 0,
          shown: outcome.error,
          // Kept as a draft for Retry, or it reached other organizations (whose sessions hold it) while the
          // failure is one a retry cannot fix and the per-organization report says why.
          textKept: outcome.ok && failed === 0 ? undefined : draftHas(text) || Number(outcome.created ?? 0) > 0,
        };
      },
      // One session per organization, and never two in one.
      created: (before, after) => {
        const counts = Object.keys(after.sessionsByOrg).map(
          (orgId) => (after.sessionsByOrg[orgId] ?? 0) - (before.sessionsByOrg[orgId] ?? 0),
        );
        return { count: Math.max(0, ...counts), limit: 1 };
      },
      alsoAllowed: (request) => request.method === 'POST' && !request.path.includes(GLOBEX),
    },
    {
      id: 'open session',
      method: 'GET',
      pathIncludes: () => `/sessions/${followUpSessionId}/messages`,
      prepare: async () => {
        await exec('workbench.action.closeAllEditors');
      },
      run: async () => {
        const opened = await exec<boolean>('devin.openSession', { orgId: GLOBEX, sessionId: followUpSessionId });
        if (!opened) return { ok: false, shown: 'the session did not open' };
        const report = await sessionRendered(
          0,
          (rendered) => rendered.loadError !== '' || rendered.messageIds.length > 0,
        );
        return { ok: report.loadError === '', shown: report.loadError || undefined };
      },
      created: (before, after) => diff(before, after, 'userMessages'),
    },
    {
      id: 'reply in session panel',
      method: 'POST',
      pathIncludes: () => `/sessions/${followUpSessionId}/messages`,
      prepare: async () => {
        await exec('workbench.action.closeAllEditors');
        await exec('devin.openSession', { orgId: GLOBEX, sessionId: followUpSessionId });
        await sessionRendered(0, (rendered) => rendered.messageIds.length > 0 && rendered.replyEnabled);
      },
      run: async (text) => {
        const before = (await sessionPanel()).renderCount;
        await sessionPanel({ input: { text, submit: true } });
        // Settled on an error, or once the message is confirmed. A 200 the server did not act on leaves it
        // pending; after a while that counts as accepted, which is what the client was told.
        const report = await sessionRendered(
          before,
          (rendered) => rendered.sendError !== '' || (rendered.draft === '' && rendered.pendingTexts.length === 0),
          6_000,
        ).catch(async () => (await sessionPanel()).lastRendered as RenderedSession);
        const failed = report.sendError !== '';
        return {
          ok: !failed,
          shown: report.sendError || undefined,
          textKept: failed
            ? report.draft.includes(text) || report.pendingTexts.some((pending) => pending.includes(text))
            : undefined,
        };
      },
      created: (before, after) => diff(before, after, 'userMessages'),
    },
  ];

  function sessionPanel(request: SessionDebugRequest = {}): Promise<SessionDebugState> {
    return exec<SessionDebugState>('devin.session.debugState', { sessionId: followUpSessionId, ...request });
  }

  /** The next page report of the session panel that passes `check`. */
  async function sessionRendered(
    after: number,
    check: (report: RenderedSession) => boolean,
    timeoutMs = 30_000,
  ): Promise<RenderedSession> {
    return eventually(
      async () => {
        const state = await sessionPanel();
        return state.renderCount > after && state.lastRendered && check(state.lastRendered)
          ? state.lastRendered
          : undefined;
      },
      'the session panel to render',
      timeoutMs,
    );
  }

  async function organizationRow(orgId: string): Promise<DevinNode> {
    const roots = await api.sessionsTree.getChildren();
    const row = roots.find((node) => node.kind === 'organization' && node.organization.id === orgId);
    assert.ok(row);
    return row;
  }

  function consumption(): Promise<ConsumptionDebugState> {
    return exec<ConsumptionDebugState>('devin.consumption.debugState');
  }

  /** Resolves once the sandbox has seen no request for a moment, so late retries land in their own cell. */
  async function settle(quietMs = 200): Promise<void> {
    let seen = sandbox.requests.length;
    let quietSince = Date.now();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (sandbox.requests.length !== seen) {
        seen = sandbox.requests.length;
        quietSince = Date.now();
      } else if (Date.now() - quietSince >= quietMs) return;
    }
  }

  async function runCell(command: MatrixCommand, fault: MatrixFault): Promise<CellResult> {
    const started = Date.now();
    sandbox.reset();
    await command.prepare?.();
    await settle(100);
    sandbox.requests.length = 0;
    log.skipToEnd();
    const before = sandbox.inventory();
    sandbox.faults.inject({
      ...fault.fault,
      times: Infinity,
      match: { method: command.method, pathIncludes: command.pathIncludes() },
    } as Parameters<Sandbox['faults']['inject']>[0]);
    const text = `Fault matrix ${command.id} / ${fault.id} ${Date.now().toString(36)}`;
    // A cell that cannot finish is a failure of its own, not something the user saw.
    let unfinished: string | undefined;
    const run = await command.run(text).catch((error: unknown): CellRun => {
      unfinished = error instanceof Error ? error.message : String(error);
      return { ok: false };
    });
    await settle();
    sandbox.faults.clear();
    const requests = [...sandbox.requests];
    const created = command.created(before, sandbox.inventory());
    const logged = log.read();
    const shown = [...new Set([...(run.shown ? [run.shown] : []), ...shownLines(logged)])];

    const failures: string[] = [];
    for (const text of shown) failures.push(...textProblems(text, TOKEN).map((problem) => `shown: ${problem}`));
    failures.push(
      ...textProblems(logged, TOKEN)
        .filter((problem) => problem.includes('token'))
        .map((problem) => `log: ${problem}`),
    );
    if (run.textKept === false) failures.push('the typed text was lost');
    if (created.count > created.limit) failures.push(`${created.count} objects created for one action`);
    if (!requests.some((request) => request.fault !== undefined))
      failures.push('the fault was never met: the command did not make the request under test');
    failures.push(...unpermittedRequests(requests, fault, command.alsoAllowed ?? (() => false)));
    if (unfinished) failures.push(`the cell did not finish: ${unfinished}`);
    else if (!run.ok && shown.length === 0) failures.push('it failed without telling the user');

    // The user's Retry on the kept text must not create a second object for the same intent.
    let createdAfterRetry: number | null = null;
    const draftId = api
      .unsentDrafts()
      .find((draft) => (draft.kind === 'session' ? draft.prompt.includes(text) : draft.message.includes(text)))?.id;
    let textKept = run.textKept;
    if (command.retryDraft && draftId) {
      await command.retryDraft(draftId);
      await settle(100);
      createdAfterRetry = command.created(before, sandbox.inventory()).count;
    } else if (command.retryFromNotification && !run.ok) {
      // The newest notification is this failure's; its first button is Retry, which sends what was typed.
      const sent = sandbox.requests.length;
      await exec('notification.acceptPrimaryAction');
      await settle(100);
      const resent = sandbox.requests.slice(sent).some((request) => JSON.stringify(request.body ?? '').includes(text));
      createdAfterRetry = command.created(before, sandbox.inventory()).count;
      // Kept means Retry sent it, or found what the lost answer had already made instead of sending it again.
      textKept = resent || createdAfterRetry === 1;
      if (!textKept) failures.push('the typed text was lost: Retry neither sent it nor found it made');
    }
    if (createdAfterRetry !== null && createdAfterRetry > 1)
      failures.push(`Retry of the kept text made ${createdAfterRetry} objects in all`);
    await exec('notifications.clearAll');
    const expected = expectedFailure(command.id, fault.id);
    return {
      command: command.id,
      fault: fault.id,
      ok: run.ok,
      shown,
      textKept: textKept ?? null,
      requests: requests.map((request) => ({
        method: request.method,
        path: request.path,
        ...(request.fault ? { fault: request.fault } : {}),
      })),
      created: created.count,
      createdAfterRetry,
      failures,
      expectedFailure: expected?.waitsOn ?? null,
      durationMs: Date.now() - started,
    };
  }

  suiteSetup(async () => {
    sandbox = await startSandboxForExtension({ apiVersion: 'v3' });
    await vscode.workspace
      .getConfiguration('devin')
      .update('requestTimeoutSeconds', CLIENT_TIMEOUT_SECONDS, vscode.ConfigurationTarget.Global);
    api = await activateExtension();
    const outcome = await signIn(TOKEN);
    assert.equal(outcome.ok, true, outcome.error);
    // A seeded session: seeded ids survive the reset before every cell.
    const page = await fetch(`${sandbox.baseUrl}/v3/organizations/${GLOBEX}/sessions?first=1`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    followUpSessionId = ((await page.json()) as { items: { session_id: string }[] }).items[0]?.session_id ?? '';
    assert.ok(followUpSessionId, 'a seeded session to follow up on');
    log = new LogTail(findExtensionLog());
    // The panel's own polling would repeat the faulted read inside a cell; the matrix tests one action.
    await sessionPanel({ pollIntervalMs: 600_000 });
  });

  suiteTeardown(async () => {
    const failed = results.filter((cell) => cell.failures.length > 0);
    const unexpected = failed.filter((cell) => !cell.expectedFailure);
    const duplicates = results.filter((cell) =>
      cell.failures.some((failure) => /objects created|objects in all/.test(failure)),
    );
    const summary = {
      cells: results.length,
      failures: failed.length,
      unexpectedFailures: unexpected.length,
      expectedFailures: failed.length - unexpected.length,
      duplicates: duplicates.length,
      logRead: log?.available ?? false,
    };
    fs.mkdirSync(resultsDir, { recursive: true });
    fs.writeFileSync(
      path.join(resultsDir, 'fault-matrix.json'),
      JSON.stringify({ summary, expectedFailures: EXPECTED_FAILURES, cells: results }, null, 2),
    );
    console.log(
      `fault matrix: ${summary.cells} cells, ${summary.failures} failures (${summary.expectedFailures} expected, ${summary.unexpectedFailures} unexpected), ${summary.duplicates} duplicates`,
    );
    await exec('workbench.action.closeAllEditors');
    await sessionPanel({ pollIntervalMs: SESSION_POLL_MS });
    await vscode.workspace
      .getConfiguration('devin')
      .update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    await signOut();
    await sandbox.close();
  });

  for (const command of commands) {
    test(`${command.id} under every fault`, async function () {
      this.timeout(180_000);
      const problems: string[] = [];
      for (const fault of faultsInVsCode(command.id)) {
        const cell = await runCell(command, fault);
        results.push(cell);
        const failed = cell.failures.length > 0;
        if (failed && !cell.expectedFailure) problems.push(`${fault.id}: ${cell.failures.join('; ')}`);
        if (!failed && cell.expectedFailure && !expectedFailure(command.id, fault.id)?.racy)
          problems.push(`${fault.id}: passes now; remove its expected failure (${cell.expectedFailure})`);
      }
      await exec('workbench.action.closeAllEditors');
      assert.deepEqual(problems, [], `${command.id}:\n${problems.join('\n')}`);
    });
  }

  test('the log file the checks read was found', () => {
    assert.ok(log.available, 'the extension log could not be found, so shown messages were not all checked');
  });
});
