import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { newAuditLogRead, readAuditLogBatch, type AuditLogRead } from '../../src/actions/auditLogRead';
import { broadcastPrompt } from '../../src/actions/broadcast';
import { readConversation } from '../../src/actions/conversation';
import { createSchedule } from '../../src/actions/createSchedule';
import { createSession, type CreateSessionOutcome } from '../../src/actions/createSession';
import { deliverMessage, keptAsDraft, messageChannel, type DeliverOutcome } from '../../src/actions/deliverMessage';
import { errorMessage } from '../../src/actions/errorText';
import { findSessionById } from '../../src/actions/findSessionById';
import { addKnowledgeNote } from '../../src/actions/knowledge';
import { listAllNotes, noteAccess, noteVersion, renameNote, saveNoteBody } from '../../src/actions/knowledgeFiles';
import { createOrganization } from '../../src/actions/organizations';
import { readSessionPage, sessionPageFailure } from '../../src/actions/sessionPageLoad';
import {
  archiveSession,
  replaceSessionTags,
  stopSession,
  type LifecycleOutcome,
} from '../../src/actions/sessionLifecycle';
import { createServiceUser } from '../../src/actions/serviceUsers';
import type { RetryOutcome } from '../../src/actions/uncertainSend';
import type { DevinClient } from '../../src/api/client';
import { fetchCycleBudget } from '../../src/api/cycleBudget';
import { getKnowledgeNote, deleteKnowledgeNote } from '../../src/api/knowledgeNotes';
import { deleteSchedule, setScheduleEnabled } from '../../src/api/schedules';
import { listAssignableRoles } from '../../src/api/serviceUsers';
import { ConsumptionLoader } from '../../src/core/consumptionLoader';
import { Conversation } from '../../src/core/conversation';
import type { Draft } from '../../src/core/drafts';
import { folderParts } from '../../src/core/knowledgeFolders';
import { collectPages } from '../../src/core/paging';
import type { KnowledgeNote, OrgRef, Session, SessionRef } from '../../src/core/models';
import { knownSecrets } from '../../src/core/redaction';
import { buildSelectionPrompt, type CodeSelection } from '../../src/core/selectionPrompt';
import { listFilterFor, type SessionListFilter } from '../../src/core/sessionFilter';
import { SessionPoller } from '../../src/store/sessionPoller';
import { SessionStore } from '../../src/store/sessionStore';
import {
  consumptionFetcher,
  describeConsumptionFailure,
  readBudgetView,
  type ConsumptionSource,
} from '../../src/webview/consumptionSource';
import { sessionPanelSourceFromStore, type SessionPanelSource } from '../../src/webview/sessionPanelSource';
import {
  EXPECTED_FAILURES,
  MATRIX_FAULTS,
  type CellResult,
  expectedFailure,
  unpermittedRequests,
  type MatrixFault,
} from '../faultMatrix/faults';
import { textProblems } from '../faultMatrix/textChecks';
import { FakeClock as TimerClock } from '../fakeClock';
import {
  SANDBOX_ORG_IDS,
  SANDBOX_SCHEDULE_IDS,
  SANDBOX_TOKENS,
  startSandbox,
  type Inventory,
  type RecordedRequest,
  type Sandbox,
} from '../sandbox/server';
import { FakeClock, fakeUi, sandboxClient, type FakeUi } from './actionsFixture';

/**
 * The fault matrix in plain Node: the commands of the manifest that talk to the API (the README names the reads
 * it does not reach yet), each as the flow its command runs (the actions in src/actions, the store, the panels'
 * vscode-free reads), under every fault of MATRIX_FAULTS, against the sandbox over loopback, with a fake Ui and a
 * fake clock (the client's back-off and Retry-After waits move the clock instead of sleeping). Each cell checks
 * what the VS Code matrix checks: the text shown has no stack, no `[object Object]` and no token; only the
 * requests the retry policy allows; the fault was met; a failure tells the user something; no action makes more
 * than one object. Creates also keep what was typed when they fail (a stored draft, or the argument their
 * notification's Retry is given), and Retry of what was kept creates nothing twice: after a lost answer it must
 * find what the first attempt made.
 * Writes that make nothing new (archive, stop, tags, a schedule turned off or deleted, a Knowledge note renamed,
 * saved or deleted) have nothing to keep. A row that drives a single client call instead of an action says why.
 *
 * The rows run in a few lanes at once, each with a sandbox and a clock of its own, so that the only real waits
 * (the 250 ms client timeout of the timeout columns, which run last) overlap. Results go to
 * test-results/fault-matrix-node.json in the same cell shape as fault-matrix.json.
 */

const ACME = SANDBOX_ORG_IDS.acme;
const GLOBEX = SANDBOX_ORG_IDS.globex;
const GLOBEX_REF: OrgRef = { orgId: GLOBEX, name: 'Globex' };
const TOKEN = SANDBOX_TOKENS.enterpriseAdmin;
/**
 * The faulted request's own timeout in the timeout columns: real, because undici times out on its real socket,
 * and short so the cell stays quick; long enough on loopback for the request to have been written. The test
 * never waits a fixed time itself: it awaits the action.
 */
const SHORT_TIMEOUT_MS = 250;
const CLIENT_TIMEOUT_MS = 5000;
const LOST_ANSWER_KINDS = new Set(['dropAfterHandler', 'timeoutAfterHandler']);
/** Rows run this many at a time, each in a lane of its own. */
const LANES = 4;
const resultsDir = process.env.DEVIN_TEST_RESULTS_DIR ?? path.resolve(__dirname, '..', '..', '..', 'test-results');

/** The code a "New Session from Selection" cell selected. */
const SELECTION: CodeSelection = {
  relativePath: 'src/orders.ts',
  startLine: 4,
  endLine: 6,
  languageId: 'typescript',
  code: 'export function total(orders: Order[]): number {\n  return orders.reduce((sum, o) => sum + o.amount, 0);\n}',
  git: { remoteUrl: 'https://example.com/acme/shop.git', branch: 'main', commit: '0123456789abcdef' },
};

/** The seeded objects the rows act on (seeded ids survive the reset before every cell). */
interface Seeded {
  /** A Globex session to follow up on, read and open. */
  readonly followUp: SessionRef;
  /** A running Globex session to archive, stop and retag. */
  readonly running: Session;
  /** A Globex Knowledge note to rename, edit and delete. */
  readonly note: KnowledgeNote;
}

/** A sandbox and a clock of its own: rows in different lanes run at once without seeing each other's requests. */
interface Lane {
  readonly sandbox: Sandbox;
  readonly clock: FakeClock;
  readonly seeded: Seeded;
  /**
   * Something may have been written since the sandbox was last reset. Reads change nothing a later read could
   * tell (a live session moves on by the clock whether it is read or not), nor does a write the fault answered
   * in place of the route, so only a write that reached the route costs the next cell a reset.
   */
  written: boolean;
}

/** What one cell works with; `prepare` fills in what the command had loaded before it ran. */
interface CellContext {
  readonly lane: Lane;
  readonly ui: FakeUi;
  readonly text: string;
  /** The client of the current step: the cell's timeout while the action runs, the usual one otherwise. */
  client(): DevinClient;
  store?: SessionStore;
  panelSource?: SessionPanelSource;
  auditLog?: AuditLogRead;
  ownOrgId?: string;
  organizations?: readonly OrgRef[];
  readonly disposables: { dispose(): unknown }[];
}

/** What one action run came to, in the terms the checks need. */
interface ActionRun {
  readonly kind: string;
  /** The texts the user is shown for this outcome (the commands put "what failed: " before an error's). */
  readonly shown: string[];
  /** For flows whose Retry carries what was typed: what that Retry is given, when the outcome offers one. */
  readonly retryWith?: { readonly uncertainSince?: number };
  /** For the prompt to every organization: what the report says of the faulted organization. */
  readonly reportRow?: { readonly reason?: string };
}

/** What a Retry continues: a stored draft's id, or only the time of an attempt that may have arrived. */
interface Kept {
  readonly draftId?: string;
  readonly uncertainSince?: number;
  /** Nothing to retry, because a retry cannot fix this failure; what the report says instead. */
  readonly explained?: string;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface MatrixRow {
  readonly id: string;
  /** Where the fault is aimed: the command's main request. */
  readonly method: Method;
  readonly pathIncludes: (seeded: Seeded) => string;
  /** What the command has loaded before it runs (a first page, a first batch); its requests are not counted. */
  readonly prepare?: (cx: CellContext) => Promise<void>;
  /** Runs the action with the cell's text; `retry` continues what was kept, as the notification's Retry does. */
  readonly run: (cx: CellContext, retry?: Kept) => Promise<ActionRun>;
  /** Creates only: what is kept for a Retry of the text after a failed `run` (undefined: it was lost). */
  readonly kept?: (cx: CellContext, run: ActionRun, fault: MatrixFault) => Kept | undefined;
  readonly created: (before: Inventory, after: Inventory) => number;
  /** Requests besides the faulted one and its retries that belong to the action (other targets). */
  readonly alsoAllowed?: (request: RecordedRequest) => boolean;
}

const results: CellResult[] = [];

/** A failure is shown as "what failed: " (worded by the command) and then this. */
function failedShown(outcome: CreateSessionOutcome | DeliverOutcome): string[] {
  return outcome.kind === 'failed' ? [errorMessage(outcome.error)] : [];
}

/** A row whose kept text is a stored draft that `has` the text. */
function keptDraft(has: (draft: Draft, text: string) => boolean): MatrixRow['kept'] {
  return (cx) => {
    const draft = cx.ui.stored.find((candidate) => has(candidate, cx.text));
    return draft ? { draftId: draft.id, uncertainSince: draft.uncertainSince } : undefined;
  };
}

/** What a flow whose Retry carries the typed text shows, and what its Retry is given after a failure. */
function retryRun(outcome: RetryOutcome<unknown, unknown>): ActionRun {
  if (outcome.kind === 'failed')
    return {
      kind: outcome.kind,
      shown: [errorMessage(outcome.error)],
      retryWith: { uncertainSince: outcome.uncertainSince },
    };
  if (outcome.kind === 'createdButUnreadable') return { kind: outcome.kind, shown: [errorMessage(outcome.error)] };
  return { kind: outcome.kind, shown: [] };
}

const keptForRetry: MatrixRow['kept'] = (_cx, run) => run.retryWith;

/** A read or a write the command shows as `errorMessage` after its own "Could not …: " when it throws. */
async function attempt(action: () => Promise<unknown>): Promise<ActionRun> {
  try {
    await action();
    return { kind: 'done', shown: [] };
  } catch (error) {
    return { kind: 'failed', shown: [errorMessage(error)] };
  }
}

/** The lifecycle commands show a vanished session in words of their own, after the same prefix. */
function lifecycleRun(outcome: LifecycleOutcome): ActionRun {
  return outcome.kind === 'done'
    ? { kind: 'done', shown: [] }
    : { kind: 'failed', shown: [errorMessage(outcome.error)] };
}

function sessionsOf(orgId: string) {
  return (before: Inventory, after: Inventory) =>
    (after.sessionsByOrg[orgId] ?? 0) - (before.sessionsByOrg[orgId] ?? 0);
}
const sessions = (before: Inventory, after: Inventory) => after.sessions - before.sessions;
const notes = (before: Inventory, after: Inventory) => after.notes - before.notes;
const schedules = (before: Inventory, after: Inventory) => after.schedules - before.schedules;

/** The session store as the extension builds it, over the cell's client. */
function storeOf(cx: CellContext): SessionStore {
  const store = new SessionStore(
    {
      isSignedIn: async () => true,
      getIdentity: () => cx.client().getSelf(),
      getClient: () => cx.client(),
      configuredOrgId: () => undefined,
      pageSize: () => 50,
    },
    cx.lane.clock.now,
  );
  cx.disposables.push(store);
  return store;
}

function prepared<T>(value: T | undefined, what: string): T {
  assert.ok(value !== undefined, `${what} was not prepared`);
  return value;
}

async function loadedOrganizations(cx: CellContext): Promise<void> {
  cx.store = storeOf(cx);
  const organizations = await cx.store.loadOrganizations();
  cx.organizations = organizations.map((organization) => ({ orgId: organization.id, name: organization.name }));
}

/** The view as a filter finds it: organizations listed, Acme's first page loaded. */
async function expandedAcme(cx: CellContext): Promise<void> {
  await loadedOrganizations(cx);
  await prepared(cx.store, 'the store').loadFirstPage(ACME);
}

/** Acme's first page read again under `filter`; the organization's row shows the page's error. */
async function filteredPage(cx: CellContext, filter: SessionListFilter): Promise<ActionRun> {
  const store = prepared(cx.store, 'the store');
  store.setListFilter(filter);
  await store.loadFirstPage(ACME);
  const error = store.sessionsOf(ACME)?.error;
  return error === undefined ? { kind: 'done', shown: [] } : { kind: 'failed', shown: [error] };
}

/** The failures a retry cannot fix: the request itself was refused (the token's role, the request, the target). */
const REFUSALS = new Set([
  '403',
  '404',
  '422 legacy',
  '422 problem+json',
  'token echoed',
  'token echoed, URL-encoded',
  'token echoed, base64',
]);

const rows: MatrixRow[] = [
  {
    // The token check of Sign In (src/auth/account.ts): one identity read with the candidate token, whose failure
    // the command shows as `errorMessage` (a rejected token in words of its own).
    id: 'sign in',
    method: 'GET',
    pathIncludes: () => '/self',
    run: (cx) => attempt(() => cx.client().getSelf()),
    created: (before, after) => after.principals - before.principals,
  },
  {
    // The organizations as Refresh loads them into the view; the view shows the store's message on failure.
    id: 'tree load',
    method: 'GET',
    pathIncludes: () => '/enterprise/organizations',
    run: async (cx) => {
      const store = storeOf(cx);
      await store.ensureOrganizations();
      return store.viewState === 'ready'
        ? { kind: 'done', shown: [] }
        : { kind: 'failed', shown: [store.viewStateMessage ?? ''] };
    },
    created: (before, after) => after.organizations - before.organizations,
  },
  {
    // Load More is one store call, whose failure the command shows as `errorMessage`.
    id: 'load more',
    method: 'GET',
    pathIncludes: () => 'after=',
    prepare: async (cx) => {
      await loadedOrganizations(cx);
      const store = prepared(cx.store, 'the store');
      await store.loadFirstPage(ACME);
      assert.ok(store.sessionsOf(ACME)?.nextCursor, 'the first page offers Load more');
    },
    run: (cx) => attempt(() => prepared(cx.store, 'the store').loadMore(ACME)),
    created: sessions,
  },
  {
    // Filter Sessions… sets the store's list filter, which reads the expanded organizations' first pages again;
    // a page that fails shows its message in the organization's row. Show Archived Sessions and Clear Session
    // Filter set other parameters of the same reload.
    id: 'filter sessions',
    method: 'GET',
    pathIncludes: () => `/organizations/${ACME}/sessions`,
    prepare: expandedAcme,
    run: (cx) => filteredPage(cx, listFilterFor({ tags: ['fault-matrix'] }, undefined, false)),
    created: sessions,
  },
  {
    // Show Runs on a schedule's row: the same reload, with only the sessions the schedule started.
    id: 'show schedule runs',
    method: 'GET',
    pathIncludes: () => 'schedule_id=',
    prepare: expandedAcme,
    run: (cx) =>
      filteredPage(
        cx,
        listFilterFor(
          { schedule: { orgId: ACME, id: SANDBOX_SCHEDULE_IDS.nightly, name: 'Nightly' } },
          undefined,
          false,
        ),
      ),
    created: sessions,
  },
  {
    id: 'create session',
    method: 'POST',
    pathIncludes: () => `/organizations/${GLOBEX}/sessions`,
    run: async (cx, retry) => {
      const outcome = await createSession({ client: cx.client(), ui: cx.ui }, GLOBEX_REF, { prompt: cx.text }, retry);
      const shown = failedShown(outcome);
      if (outcome.kind === 'createdButUnreadable' && outcome.lookupError !== undefined)
        shown.push(errorMessage(outcome.lookupError));
      return { kind: outcome.kind, shown };
    },
    kept: keptDraft((draft, text) => draft.kind === 'session' && draft.prompt === text),
    created: sessionsOf(GLOBEX),
  },
  {
    id: 'create from selection',
    method: 'POST',
    pathIncludes: () => `/organizations/${GLOBEX}/sessions`,
    run: async (cx, retry) => {
      const prompt = buildSelectionPrompt(cx.text, SELECTION);
      const outcome = await createSession({ client: cx.client(), ui: cx.ui }, GLOBEX_REF, { prompt }, retry);
      return { kind: outcome.kind, shown: failedShown(outcome) };
    },
    kept: keptDraft(
      (draft, text) => draft.kind === 'session' && draft.prompt === buildSelectionPrompt(text, SELECTION),
    ),
    created: sessionsOf(GLOBEX),
  },
  {
    id: 'follow-up',
    method: 'POST',
    pathIncludes: (seeded) => `/sessions/${seeded.followUp.sessionId}/messages`,
    run: async (cx, retry) => {
      const target = cx.lane.seeded.followUp;
      const kept = keptAsDraft(
        cx.ui,
        target,
        cx.text,
        retry?.draftId ? { ...retry, draftId: retry.draftId } : undefined,
      );
      const outcome = await deliverMessage(cx.ui, messageChannel(cx.client()), target, cx.text, kept);
      return { kind: outcome.kind, shown: failedShown(outcome) };
    },
    kept: keptDraft((draft, text) => draft.kind === 'message' && draft.message === text),
    created: (before, after) => after.userMessages - before.userMessages,
  },
  {
    id: 'conversation',
    method: 'GET',
    pathIncludes: (seeded) => `/sessions/${seeded.followUp.sessionId}/messages`,
    run: (cx) => attempt(() => readConversation({ client: cx.client(), ui: cx.ui }, cx.lane.seeded.followUp)),
    created: (before, after) => after.userMessages - before.userMessages,
  },
  {
    // What the consumption panel's Retry reads: the chart's series and, beside it, the billing-cycle bar. The
    // session table reads sessions, which this fault does not touch.
    id: 'consumption',
    method: 'GET',
    pathIncludes: () => '/consumption/',
    prepare: loadedOrganizations,
    run: async (cx) => {
      const organizations = prepared(cx.store, 'the store').knownOrganizations();
      const source: ConsumptionSource = {
        getClient: () => cx.client(),
        getScope: async () => ({ kind: 'enterprise', organizations }),
        getCycleBudget: (signal) => fetchCycleBudget(cx.client(), signal),
      };
      const loader = new ConsumptionLoader(consumptionFetcher(source), cx.lane.clock.now);
      const [chartFailure, budget] = await Promise.all([
        loader
          .load({ kind: 'preset', days: 30 }, () => undefined)
          .then(
            () => undefined,
            (error: unknown) => describeConsumptionFailure(error),
          ),
        readBudgetView(source, Math.floor(cx.lane.clock.now() / 1000)),
      ]);
      const shown = [...(chartFailure !== undefined ? [chartFailure] : []), ...(budget ? [budget.text] : [])];
      return { kind: chartFailure === undefined ? 'done' : 'failed', shown };
    },
    created: sessions,
  },
  {
    id: 'create organization',
    method: 'POST',
    pathIncludes: () => '/enterprise/organizations',
    run: async (cx, retry) =>
      retryRun(await createOrganization({ client: cx.client(), ui: cx.ui }, { name: cx.text }, retry)),
    kept: keptForRetry,
    created: (before, after) => after.organizations - before.organizations,
  },
  {
    id: 'create service user',
    method: 'POST',
    pathIncludes: () => `/organizations/${GLOBEX}/service-users`,
    run: async (cx, retry) =>
      retryRun(
        await createServiceUser(
          { client: cx.client(), ui: cx.ui },
          GLOBEX_REF,
          { name: cx.text, roleId: 'org_member', ttlSeconds: 90 * 86_400 },
          retry,
        ),
      ),
    kept: keptForRetry,
    created: (before, after) => after.principals - before.principals,
  },
  {
    id: 'add Knowledge',
    method: 'POST',
    pathIncludes: () => `/organizations/${GLOBEX}/knowledge/notes`,
    run: async (cx, retry) =>
      retryRun(
        await addKnowledgeNote(
          { client: cx.client(), ui: cx.ui },
          GLOBEX_REF,
          { name: cx.text, trigger: 'When the fault matrix runs', body: `${cx.text} body` },
          retry,
        ),
      ),
    kept: keptForRetry,
    created: notes,
  },
  {
    // The picker's search is one client call, whose failure the command shows as `errorMessage`.
    id: 'browse Knowledge',
    method: 'GET',
    pathIncludes: () => `/organizations/${GLOBEX}/knowledge/notes`,
    run: (cx) => attempt(() => cx.client().listKnowledgeNotes(GLOBEX, { first: 100 })),
    created: notes,
  },
  {
    id: 'audit log',
    method: 'GET',
    pathIncludes: () => '/enterprise/audit-logs',
    // The command knows whose events to read from the identity the account already holds.
    prepare: async (cx) => void (cx.ownOrgId = (await cx.client().getSelf()).orgId),
    run: (cx) =>
      attempt(() =>
        readAuditLogBatch(
          { client: cx.client(), ui: cx.ui },
          newAuditLogRead(30, { orgId: cx.ownOrgId }, cx.lane.clock.now()),
        ),
      ),
    created: sessions,
  },
  {
    id: 'load more audit log',
    method: 'GET',
    pathIncludes: () => '/enterprise/audit-logs',
    prepare: async (cx) => {
      cx.auditLog = newAuditLogRead(100, {}, cx.lane.clock.now(), 50);
      await readAuditLogBatch({ client: cx.client(), ui: cx.ui }, cx.auditLog);
      assert.ok(cx.auditLog.cursor, 'the first batch offers Load More');
    },
    run: (cx) =>
      attempt(() => readAuditLogBatch({ client: cx.client(), ui: cx.ui }, prepared(cx.auditLog, 'the audit log'))),
    created: sessions,
  },
  {
    id: 'send to every organization',
    method: 'POST',
    pathIncludes: () => `/organizations/${GLOBEX}/sessions`,
    prepare: loadedOrganizations,
    run: async (cx, retry) => {
      // Retry Unsent sends the organization's kept draft again, as any kept prompt.
      if (retry) {
        const outcome = await createSession({ client: cx.client(), ui: cx.ui }, GLOBEX_REF, { prompt: cx.text }, retry);
        return { kind: outcome.kind, shown: failedShown(outcome) };
      }
      const result = await broadcastPrompt(
        { client: cx.client(), ui: cx.ui, store: prepared(cx.store, 'the store') },
        prepared(cx.organizations, 'the organizations'),
        cx.text,
      );
      const globex = result.rows.find((row) => row.organizationId === GLOBEX);
      assert.ok(globex, 'the report has a row for Globex');
      return {
        kind: globex.result === 'created' ? 'created' : 'failed',
        // The report opens with each organization's reason.
        shown: result.rows.flatMap((row) => (row.reason !== undefined ? [row.reason] : [])),
        reportRow: { reason: globex.reason },
      };
    },
    kept: (cx, run, fault) => {
      const draft = cx.ui.stored.find(
        (candidate) => candidate.kind === 'session' && candidate.orgId === GLOBEX && candidate.prompt === cx.text,
      );
      if (draft) return { draftId: draft.id, uncertainSince: draft.uncertainSince };
      // A refusal is not kept: a retry would be refused again. The report says why instead.
      const reason = run.reportRow?.reason?.trim();
      return REFUSALS.has(fault.id) && reason ? { explained: reason } : undefined;
    },
    // Never two sessions in one organization; otherwise Globex's, the one under test.
    created: (before, after) => {
      const most = Math.max(0, ...Object.keys(after.sessionsByOrg).map((orgId) => sessionsOf(orgId)(before, after)));
      return most > 1 ? most : sessionsOf(GLOBEX)(before, after);
    },
    alsoAllowed: (request) => request.method === 'POST' && !request.path.includes(GLOBEX),
  },
  {
    // What the session panel reads first: the session, its conversation and its organization's name.
    id: 'open session',
    method: 'GET',
    pathIncludes: (seeded) => `/sessions/${seeded.followUp.sessionId}/messages`,
    prepare: async (cx) => {
      await loadedOrganizations(cx);
      const store = prepared(cx.store, 'the store');
      const client = () => cx.client();
      // The poller's own ticks never come: its clock does not move.
      const poller = new SessionPoller(store, client, new TimerClock(cx.lane.clock.now()));
      cx.disposables.push(poller);
      cx.panelSource = sessionPanelSourceFromStore(
        { getClient: client },
        store,
        { setSurfaceVisible: () => ({ dispose: () => undefined }) },
        poller,
      );
    },
    run: async (cx) => {
      const source = prepared(cx.panelSource, 'the panel source');
      const { orgId, sessionId } = cx.lane.seeded.followUp;
      const conversation = new Conversation((after, signal) => source.listMessages(orgId, sessionId, after, signal));
      try {
        await readSessionPage(source, conversation, { orgId, sessionId });
        return { kind: 'done', shown: [] };
      } catch (error) {
        return { kind: 'failed', shown: [sessionPageFailure(error)] };
      }
    },
    created: (before, after) => after.userMessages - before.userMessages,
  },
  {
    id: 'archive session',
    method: 'POST',
    pathIncludes: (seeded) => `/sessions/${seeded.running.id}/archive`,
    run: async (cx) => lifecycleRun(await archiveSession({ client: cx.client(), ui: cx.ui }, runningRef(cx))),
    created: sessions,
  },
  {
    id: 'stop session',
    method: 'DELETE',
    pathIncludes: (seeded) => `/sessions/${seeded.running.id}`,
    run: async (cx) =>
      lifecycleRun(await stopSession({ client: cx.client(), ui: cx.ui }, runningRef(cx), { archive: false })),
    created: sessions,
  },
  {
    id: 'edit tags',
    method: 'PUT',
    pathIncludes: (seeded) => `/sessions/${seeded.running.id}/tags`,
    run: async (cx) => {
      const outcome = await replaceSessionTags(
        { client: cx.client(), ui: cx.ui },
        runningRef(cx),
        ['fault-matrix', ...cx.lane.seeded.running.tags],
        cx.lane.seeded.running,
      );
      return outcome.kind === 'tooMany' ? { kind: 'failed', shown: [outcome.message] } : lifecycleRun(outcome);
    },
    created: sessions,
  },
  {
    // From a schedule's row the command acts on the schedule as drawn: one client call, shown as `errorMessage`.
    id: 'toggle schedule',
    method: 'PATCH',
    pathIncludes: () => `/schedules/${SANDBOX_SCHEDULE_IDS.triage}`,
    run: (cx) => attempt(() => setScheduleEnabled(cx.client(), GLOBEX, SANDBOX_SCHEDULE_IDS.triage, false)),
    created: schedules,
  },
  {
    // As for toggling: one client call after the confirmation, shown as `errorMessage`.
    id: 'delete schedule',
    method: 'DELETE',
    pathIncludes: () => `/schedules/${SANDBOX_SCHEDULE_IDS.triage}`,
    run: (cx) => attempt(() => deleteSchedule(cx.client(), GLOBEX, SANDBOX_SCHEDULE_IDS.triage)),
    created: schedules,
  },
  {
    id: 'create schedule',
    method: 'POST',
    pathIncludes: () => `/organizations/${GLOBEX}/schedules`,
    run: async (cx, retry) =>
      retryRun(
        await createSchedule(
          { client: cx.client(), ui: cx.ui },
          GLOBEX_REF,
          {
            name: cx.text,
            prompt: `${cx.text}: triage the flaky tests`,
            timing: { kind: 'recurring', cron: '0 6 * * 1-5' },
          },
          retry,
        ),
      ),
    kept: keptForRetry,
    created: schedules,
  },
  {
    // The rename the note's file system makes (a `PUT` with the new name); the command shows its failure.
    id: 'rename Knowledge',
    method: 'PUT',
    pathIncludes: (seeded) => `/knowledge/notes/${seeded.note.id}`,
    run: async (cx) => {
      try {
        const outcome = await renameNote(noteAccess(cx.client()), GLOBEX, noteAddress(cx), `${cx.text} renamed`, {
          overwrite: false,
        });
        // Anything but renamed is a failure the command words itself; none can happen here (only the PUT is
        // faulted), so it counts as failing without a word.
        return { kind: outcome.kind === 'renamed' ? 'done' : 'failed', shown: [] };
      } catch (error) {
        return { kind: 'failed', shown: [errorMessage(error)] };
      }
    },
    created: notes,
  },
  {
    // Saving a note's file: Devin's copy is read, compared with the one the editor opened, and replaced.
    id: 'edit Knowledge',
    method: 'PUT',
    pathIncludes: (seeded) => `/knowledge/notes/${seeded.note.id}`,
    run: async (cx) => {
      try {
        const outcome = await saveNoteBody(noteAccess(cx.client()), GLOBEX, noteAddress(cx), `${cx.text} body`, {
          overwrite: true,
          base: noteVersion(cx.lane.seeded.note),
          overwriteChosen: () => false,
        });
        return { kind: outcome.kind === 'saved' ? 'done' : 'failed', shown: [] };
      } catch (error) {
        return { kind: 'failed', shown: [errorMessage(error)] };
      }
    },
    created: notes,
  },
  {
    // The note's id is in its file's address, so deleting it is one client call; the command shows its failure.
    id: 'delete Knowledge',
    method: 'DELETE',
    pathIncludes: (seeded) => `/knowledge/notes/${seeded.note.id}`,
    run: (cx) => attempt(() => deleteKnowledgeNote(cx.client(), GLOBEX, cx.lane.seeded.note.id)),
    created: notes,
  },
  {
    // The account's identity read, one client call; the command shows its failure as `errorMessage`.
    id: 'show identity',
    method: 'GET',
    pathIncludes: () => '/self',
    run: (cx) => attempt(() => cx.client().getSelf()),
    created: (before, after) => after.principals - before.principals,
  },
  {
    id: 'open session by id',
    method: 'GET',
    pathIncludes: (seeded) => `/enterprise/sessions/${seeded.followUp.sessionId}`,
    prepare: loadedOrganizations,
    run: async (cx) => {
      try {
        const found = await findSessionById(
          {
            client: cx.client(),
            ui: cx.ui,
            loadOrganizations: async () => prepared(cx.organizations, 'the organizations'),
          },
          { sessionId: cx.lane.seeded.followUp.sessionId },
        );
        // The session exists: not finding it is a failure the command words itself, and should not happen.
        return { kind: found ? 'done' : 'failed', shown: [] };
      } catch (error) {
        return { kind: 'failed', shown: [errorMessage(error)] };
      }
    },
    created: sessions,
  },
  {
    // Create with Options…' playbook step: one paged read, whose failure the step shows as `errorMessage`.
    id: 'create options: playbooks',
    method: 'GET',
    pathIncludes: () => `/organizations/${GLOBEX}/playbooks`,
    run: (cx) => attempt(() => collectPages((after) => cx.client().listPlaybooks(GLOBEX, { first: 200, after }), 1000)),
    created: sessions,
  },
  {
    // Create with Options…' create-as step: one paged read; when it fails the step asks for a user id instead.
    id: 'create options: members',
    method: 'GET',
    pathIncludes: () => `/organizations/${GLOBEX}/members`,
    run: (cx) => attempt(() => collectPages((after) => cx.client().listMembers(GLOBEX, { first: 200, after }), 2000)),
    created: sessions,
  },
  {
    // New Service User's role step: the enterprise list, else the organization's, else the built-in roles.
    id: 'service user roles',
    method: 'GET',
    pathIncludes: () => '/enterprise/roles',
    run: (cx) => attempt(() => listAssignableRoles(cx.client(), GLOBEX)),
    created: (before, after) => after.principals - before.principals,
    alsoAllowed: (request) => request.method === 'GET' && request.path.endsWith(`/organizations/${GLOBEX}/roles`),
  },
  {
    // Edit Knowledge…'s note list: every note of the organization, page by page.
    id: 'edit Knowledge list',
    method: 'GET',
    pathIncludes: () => `/organizations/${GLOBEX}/knowledge/notes`,
    run: (cx) => attempt(() => listAllNotes(cx.client(), GLOBEX)),
    created: notes,
  },
  {
    // Check Out Pull Request Branch reads the session when the view has not: one client call, before any git step.
    id: 'check out: session read',
    method: 'GET',
    pathIncludes: (seeded) => `/organizations/${GLOBEX}/sessions/${seeded.followUp.sessionId}`,
    run: (cx) => attempt(() => cx.client().getSession(GLOBEX, cx.lane.seeded.followUp.sessionId)),
    created: sessions,
  },
  {
    // Listing a session's attachments is one client call, whose failure the command shows as `errorMessage`.
    id: 'show attachments',
    method: 'GET',
    pathIncludes: (seeded) => `/sessions/${seeded.followUp.sessionId}/attachments`,
    run: (cx) => attempt(() => cx.client().listSessionAttachments(GLOBEX, cx.lane.seeded.followUp.sessionId)),
    created: sessions,
  },
];

function runningRef(cx: CellContext): SessionRef {
  const { running } = cx.lane.seeded;
  return { orgId: GLOBEX, sessionId: running.id, label: running.title ?? running.id, status: running.status };
}

function noteAddress(cx: CellContext) {
  const { note } = cx.lane.seeded;
  return { orgId: GLOBEX, folder: folderParts(note.folderPath), name: note.name, noteId: note.id };
}

const succeeded = (kind: string) =>
  kind === 'created' || kind === 'found' || kind === 'createdButUnreadable' || kind === 'done';

async function runCell(lane: Lane, row: MatrixRow, fault: MatrixFault, index: number): Promise<CellResult> {
  const started = Date.now();
  const { sandbox, clock } = lane;
  if (lane.written) sandbox.reset();
  lane.written = false;
  sandbox.faults.clear();
  sandbox.requests.length = 0;
  const clients = new Map<number, DevinClient>();
  let timeoutMs = CLIENT_TIMEOUT_MS;
  const cx: CellContext = {
    lane,
    ui: fakeUi(clock),
    text: `Fault matrix ${row.id} / ${fault.id} #${index}`,
    client: () => {
      let client = clients.get(timeoutMs);
      if (!client) clients.set(timeoutMs, (client = sandboxClient(sandbox, { timeoutMs, clock })));
      return client;
    },
    disposables: [],
  };
  const failures: string[] = [];
  try {
    await row.prepare?.(cx);
    noteWrites(lane);
    sandbox.requests.length = 0;
    const before = sandbox.inventory();
    sandbox.faults.inject({
      ...fault.fault,
      times: Infinity,
      match: { method: row.method, pathIncludes: row.pathIncludes(lane.seeded) },
    } as Parameters<Sandbox['faults']['inject']>[0]);
    if (waitsForTimeout(fault)) timeoutMs = SHORT_TIMEOUT_MS;

    let run: ActionRun;
    try {
      run = await row.run(cx);
    } catch (error) {
      // The actions return what happened; one that throws leaves the command nothing to show.
      run = { kind: 'threw', shown: [] };
      failures.push(`the action threw: ${error instanceof Error ? error.message : String(error)}`);
    }
    timeoutMs = CLIENT_TIMEOUT_MS;
    sandbox.faults.clear();
    const requests = [...sandbox.requests];
    const created = row.created(before, sandbox.inventory());
    const shown = [...new Set([...run.shown, ...cx.ui.shown.flatMap((s) => [s.title, ...s.reports])])];

    for (const line of shown) failures.push(...textProblems(line, TOKEN).map((problem) => `shown: ${problem}`));
    const kept = run.kind === 'failed' ? row.kept?.(cx, run, fault) : undefined;
    const textKept = row.kept && run.kind === 'failed' ? kept !== undefined : null;
    if (textKept === false) failures.push('the typed text was lost');
    if (created > 1) failures.push(`${created} objects created for one action`);
    if (!requests.some((request) => request.fault !== undefined))
      failures.push('the fault was never met: the action did not make the request under test');
    failures.push(...unpermittedRequests(requests, fault, row.alsoAllowed ?? (() => false)));
    if (run.kind === 'failed' && run.shown.every((line) => line.trim() === ''))
      failures.push('it failed without telling the user');
    if (run.kind === 'cancelled') failures.push('nobody cancelled, yet the outcome is cancelled');
    const lostAnswer = LOST_ANSWER_KINDS.has(fault.fault.kind);
    // Otherwise the Retry check below would pass without anything to find.
    if (row.kept && lostAnswer && created !== 1)
      failures.push(`the lost answer's request made ${created} objects, not 1`);
    if (lostAnswer && kept && kept.uncertainSince === undefined)
      failures.push('the answer was lost, but what is kept does not say Devin may have it');

    // The user's Retry on the kept text, once the fault is gone: never a second object for the same intent.
    let createdAfterRetry: number | null = null;
    if (kept && kept.explained === undefined) {
      clock.advance(60_000);
      const retried = await row.run(cx, kept).catch((error: unknown) => {
        failures.push(`Retry threw: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      });
      createdAfterRetry = row.created(before, sandbox.inventory());
      if (createdAfterRetry > 1) failures.push(`Retry of the kept text made ${createdAfterRetry} objects in all`);
      if (retried && !succeeded(retried.kind)) failures.push(`Retry did not get through: ${retried.kind}`);
      if (retried && lostAnswer && retried.kind !== 'found')
        failures.push(`Retry after a lost answer did not find what the first attempt made (${retried.kind})`);
      if (retried && succeeded(retried.kind) && row.kept?.(cx, retried, fault) !== undefined)
        failures.push('what was kept outlived a Retry that got through');
    }

    return {
      command: row.id,
      fault: fault.id,
      ok: succeeded(run.kind),
      shown,
      textKept,
      requests: requests.map((request) => ({
        method: request.method,
        path: request.path,
        ...(request.fault ? { fault: request.fault } : {}),
      })),
      created,
      createdAfterRetry,
      failures,
      expectedFailure: expectedFailure(row.id, fault.id)?.waitsOn ?? null,
      durationMs: Date.now() - started,
    };
  } finally {
    sandbox.faults.clear();
    noteWrites(lane);
    for (const disposable of cx.disposables) disposable.dispose();
    await Promise.all([...clients.values()].map((client) => client.dispose()));
  }
}

/** Faults answered in place of the route: the request they meet changes nothing. */
const ANSWERED_INSTEAD = new Set(['status', 'malformed', 'drop', 'wrong-shape', 'echoToken']);

function noteWrites(lane: Lane): void {
  lane.written ||= lane.sandbox.requests.some(
    (request) => request.method !== 'GET' && !(request.fault && ANSWERED_INSTEAD.has(request.fault)),
  );
}

/** The lanes not in use; a row takes one for all its cells. */
const idleLanes: Lane[] = [];
const laneWaiters: ((lane: Lane) => void)[] = [];

function takeLane(): Promise<Lane> {
  const lane = idleLanes.pop();
  return lane ? Promise.resolve(lane) : new Promise((resolve) => laneWaiters.push(resolve));
}

function giveBack(lane: Lane): void {
  const waiter = laneWaiters.shift();
  if (waiter) waiter(lane);
  else idleLanes.push(lane);
}

async function openLane(): Promise<Lane> {
  const clock = new FakeClock();
  const sandbox = await startSandbox({ now: clock.now });
  const client = sandboxClient(sandbox, { clock });
  try {
    const page = await client.listSessions(GLOBEX, { first: 100 });
    const first = page.items[0];
    const running = page.items.find((session) => session.status === 'running' && !session.isArchived);
    const listed = await client.listKnowledgeNotes(GLOBEX, { first: 100 });
    const ownNote = listed.items[0];
    assert.ok(first, 'a seeded session to follow up on');
    assert.ok(running, 'a seeded running session');
    assert.ok(ownNote, 'a seeded Knowledge note');
    const seeded: Seeded = {
      followUp: { orgId: GLOBEX, sessionId: first.id, label: 'Follow-up target', status: first.status },
      running,
      // As the editor was given it: the version a save compares Devin's copy with.
      note: await getKnowledgeNote(client, GLOBEX, ownNote.id),
    };
    sandbox.reset();
    return { sandbox, clock, seeded, written: false };
  } finally {
    await client.dispose();
  }
}

before(async () => {
  // As the account does with every token it stores or sends (src/auth/account.ts): the encoded echoes of a known
  // token are redacted by value, not only by its shape.
  knownSecrets.add(TOKEN);
  idleLanes.push(...(await Promise.all(Array.from({ length: LANES }, openLane))));
});

after(async () => {
  await Promise.all(idleLanes.map((lane) => lane.sandbox.close()));
  const failed = results.filter((cell) => cell.failures.length > 0);
  const unexpected = failed.filter((cell) => !cell.expectedFailure);
  const summary = {
    cells: results.length,
    failures: failed.length,
    unexpectedFailures: unexpected.length,
    expectedFailures: failed.length - unexpected.length,
    duplicates: results.filter((cell) =>
      cell.failures.some((failure) => /objects created|objects in all/.test(failure)),
    ).length,
  };
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(
    path.join(resultsDir, 'fault-matrix-node.json'),
    JSON.stringify({ summary, expectedFailures: EXPECTED_FAILURES, cells: results }, null, 2),
  );
});

/** The columns whose faulted request waits out the client's real timeout (see SHORT_TIMEOUT_MS). */
function waitsForTimeout(fault: MatrixFault): boolean {
  return fault.fault.kind === 'slow' || fault.fault.kind === 'timeoutAfterHandler';
}

let cellIndex = 0;

/**
 * One row's cells of `faults` one after another, in a lane it takes for them; rows run `LANES` at a time. The
 * timeout columns run after all the others: there the request must reach the sandbox within the client's real
 * timeout, which other lanes' busy cells (a reset reseeds the whole sandbox) would otherwise eat into.
 */
function columns(title: string, faults: readonly MatrixFault[]): void {
  describe(title, { concurrency: LANES }, () => {
    for (const row of rows) {
      describe(`${title}: ${row.id}`, { concurrency: 1 }, () => {
        let lane: Lane | undefined;
        before(async () => {
          lane = await takeLane();
        });
        after(() => {
          if (lane) giveBack(lane);
        });
        for (const fault of faults) {
          test(fault.id, async () => {
            const cell = await runCell(prepared(lane, 'a lane'), row, fault, cellIndex++);
            results.push(cell);
            const expected = expectedFailure(row.id, fault.id);
            if (expected && cell.failures.length === 0 && !expected.racy)
              assert.fail(`passes now; remove its expected failure (${expected.waitsOn})`);
            if (!expected) assert.deepEqual(cell.failures, [], `${row.id} / ${fault.id}`);
          });
        }
      });
    }
  });
}

columns(
  'fault matrix',
  MATRIX_FAULTS.filter((fault) => !waitsForTimeout(fault)),
);
columns('fault matrix, timeout columns', MATRIX_FAULTS.filter(waitsForTimeout));
