import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createSession, type CreateSessionOutcome } from '../../src/actions/createSession';
import { deliverMessage, keptAsDraft, messageChannel, type DeliverOutcome } from '../../src/actions/deliverMessage';
import { errorMessage } from '../../src/actions/errorText';
import { addKnowledgeNote } from '../../src/actions/knowledge';
import { createOrganization } from '../../src/actions/organizations';
import { createServiceUser } from '../../src/actions/serviceUsers';
import type { RetryOutcome } from '../../src/actions/uncertainSend';
import type { Draft } from '../../src/core/drafts';
import { knownSecrets } from '../../src/core/redaction';
import type { SessionRef } from '../../src/core/models';
import {
  EXPECTED_FAILURES,
  MATRIX_FAULTS,
  type CellResult,
  expectedFailure,
  unpermittedRequests,
  type MatrixFault,
} from '../faultMatrix/faults';
import { textProblems } from '../faultMatrix/textChecks';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, startSandbox, type Inventory, type Sandbox } from '../sandbox/server';
import { FakeClock, fakeUi, sandboxClient, type FakeUi } from './actionsFixture';

/**
 * The fault matrix in plain Node: the create and deliver actions, and the organization, service-user and
 * Knowledge-note creates, under every fault of MATRIX_FAULTS, against the
 * sandbox over loopback, with a fake Ui and a fake clock (the client's back-off and Retry-After waits move the
 * clock instead of sleeping). Each cell checks what the VS Code matrix checks for these two flows: the text shown
 * has no stack, no `[object Object]` and no token; typed text that did not surely arrive is kept as a draft; no
 * second object; only the requests the retry policy allows; the fault was met; and Retry of the kept text
 * creates nothing twice (after a lost answer it must find what the first attempt made). The last three keep
 * nothing stored: what was typed travels with their notification's Retry, so that Retry argument is what they
 * keep. Results go to
 * test-results/fault-matrix-node.json in the same cell shape as fault-matrix.json.
 */

const GLOBEX = SANDBOX_ORG_IDS.globex;
const TOKEN = SANDBOX_TOKENS.enterpriseAdmin;
/**
 * The faulted request's own timeout in the timeout columns: real, because undici times out on its real socket,
 * and short so the cell stays quick; long enough on loopback for the request to have been written. The test
 * never waits a fixed time itself: it awaits the action.
 */
const SHORT_TIMEOUT_MS = 250;
const LOST_ANSWER_KINDS = new Set(['dropAfterHandler', 'timeoutAfterHandler']);
const resultsDir = process.env.DEVIN_TEST_RESULTS_DIR ?? path.resolve(__dirname, '..', '..', '..', 'test-results');

/** What one action run came to, in the terms the checks need. */
interface ActionRun {
  readonly kind: string;
  /** The texts the user is shown for this outcome (the commands put "what failed: " before an error's). */
  readonly shown: string[];
  /** For flows whose Retry carries what was typed: what that Retry is given, when the outcome offers one. */
  readonly retryWith?: { readonly uncertainSince?: number };
}

/** What a Retry continues: a stored draft's id, or only the time of an attempt that may have arrived. */
interface Kept {
  readonly draftId?: string;
  readonly uncertainSince?: number;
}

interface MatrixRow {
  readonly id: string;
  readonly pathIncludes: () => string;
  /** Runs the action with `text`; `retry` continues what was kept, as the notification's Retry does. */
  readonly run: (ui: FakeUi, text: string, timeoutMs: number, retry?: Kept) => Promise<ActionRun>;
  /** What is kept for a Retry of `text` after `run`: the stored draft, or the Retry's argument. */
  readonly kept: (ui: FakeUi, text: string, run: ActionRun) => Kept | undefined;
  readonly created: (before: Inventory, after: Inventory) => number;
}

const clock = new FakeClock();
let sandbox: Sandbox;
let followUp: SessionRef;
const results: CellResult[] = [];

function client(timeoutMs: number) {
  return sandboxClient(sandbox, { timeoutMs, clock });
}

/** A failure is shown as "what failed: " (worded by the command) and then this. */
function failedShown(outcome: CreateSessionOutcome | DeliverOutcome): string[] {
  return outcome.kind === 'failed' ? [errorMessage(outcome.error)] : [];
}

/** A row whose kept text is a stored draft that `has` the text. */
function keptDraft(has: (draft: Draft, text: string) => boolean): MatrixRow['kept'] {
  return (ui, text) => {
    const draft = ui.stored.find((candidate) => has(candidate, text));
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

const keptForRetry: MatrixRow['kept'] = (_ui, _text, run) => run.retryWith;

const rows: MatrixRow[] = [
  {
    id: 'create session',
    pathIncludes: () => `/organizations/${GLOBEX}/sessions`,
    run: async (ui, text, timeoutMs, retry) => {
      const outcome = await createSession(
        { client: client(timeoutMs), ui },
        { orgId: GLOBEX, name: 'Globex' },
        { prompt: text },
        retry ?? {},
      );
      const shown = failedShown(outcome);
      if (outcome.kind === 'createdButUnreadable' && outcome.lookupError !== undefined)
        shown.push(errorMessage(outcome.lookupError));
      return { kind: outcome.kind, shown };
    },
    kept: keptDraft((draft, text) => draft.kind === 'session' && draft.prompt === text),
    created: (before, after) => (after.sessionsByOrg[GLOBEX] ?? 0) - (before.sessionsByOrg[GLOBEX] ?? 0),
  },
  {
    id: 'follow-up',
    pathIncludes: () => `/sessions/${followUp.sessionId}/messages`,
    run: async (ui, text, timeoutMs, retry) => {
      const kept = keptAsDraft(ui, followUp, text, retry?.draftId ? { ...retry, draftId: retry.draftId } : undefined);
      const outcome = await deliverMessage(ui, messageChannel(client(timeoutMs)), followUp, text, kept);
      return { kind: outcome.kind, shown: failedShown(outcome) };
    },
    kept: keptDraft((draft, text) => draft.kind === 'message' && draft.message === text),
    created: (before, after) => after.userMessages - before.userMessages,
  },
  {
    id: 'create organization',
    pathIncludes: () => '/enterprise/organizations',
    run: async (ui, text, timeoutMs, retry) =>
      retryRun(await createOrganization({ client: client(timeoutMs), ui }, { name: text }, retry)),
    kept: keptForRetry,
    created: (before, after) => after.organizations - before.organizations,
  },
  {
    id: 'create service user',
    pathIncludes: () => `/organizations/${GLOBEX}/service-users`,
    run: async (ui, text, timeoutMs, retry) =>
      retryRun(
        await createServiceUser(
          { client: client(timeoutMs), ui },
          { orgId: GLOBEX, name: 'Globex' },
          { name: text, roleId: 'org_member', ttlSeconds: 90 * 86_400 },
          retry,
        ),
      ),
    kept: keptForRetry,
    created: (before, after) => after.principals - before.principals,
  },
  {
    id: 'add Knowledge',
    pathIncludes: () => `/organizations/${GLOBEX}/knowledge/notes`,
    run: async (ui, text, timeoutMs, retry) =>
      retryRun(
        await addKnowledgeNote(
          { client: client(timeoutMs), ui },
          { orgId: GLOBEX, name: 'Globex' },
          { name: text, trigger: 'When the fault matrix runs', body: `${text} body` },
          retry,
        ),
      ),
    kept: keptForRetry,
    created: (before, after) => after.notes - before.notes,
  },
];

const succeeded = (kind: string) => kind === 'created' || kind === 'found' || kind === 'createdButUnreadable';

async function runCell(row: MatrixRow, fault: MatrixFault, index: number): Promise<CellResult> {
  const started = Date.now();
  sandbox.reset();
  const ui = fakeUi(clock);
  const before = sandbox.inventory();
  sandbox.faults.inject({
    ...fault.fault,
    times: Infinity,
    match: { method: 'POST', pathIncludes: row.pathIncludes() },
  } as Parameters<Sandbox['faults']['inject']>[0]);
  const text = `Fault matrix ${row.id} / ${fault.id} #${index}`;
  const timeoutMs = fault.fault.kind === 'slow' || fault.fault.kind === 'timeoutAfterHandler' ? SHORT_TIMEOUT_MS : 5000;

  const failures: string[] = [];
  let run: ActionRun;
  try {
    run = await row.run(ui, text, timeoutMs);
  } catch (error) {
    // The actions return what happened; one that throws leaves the command nothing to show.
    run = { kind: 'threw', shown: [] };
    failures.push(`the action threw: ${error instanceof Error ? error.message : String(error)}`);
  }
  sandbox.faults.clear();
  const requests = [...sandbox.requests];
  const created = row.created(before, sandbox.inventory());
  const ok = succeeded(run.kind);
  const shown = [...new Set([...run.shown, ...ui.shown.flatMap((s) => [s.title, ...s.reports])])];

  for (const line of shown) failures.push(...textProblems(line, TOKEN).map((problem) => `shown: ${problem}`));
  const kept = row.kept(ui, text, run);
  const textKept = run.kind === 'failed' ? kept !== undefined : null;
  if (textKept === false) failures.push('the typed text was lost');
  if (created > 1) failures.push(`${created} objects created for one action`);
  if (!requests.some((request) => request.fault !== undefined))
    failures.push('the fault was never met: the action did not make the request under test');
  failures.push(...unpermittedRequests(requests, fault, () => false));
  if (run.kind === 'failed' && run.shown.every((line) => line.trim() === ''))
    failures.push('it failed without telling the user');
  if (run.kind === 'cancelled') failures.push('nobody cancelled, yet the outcome is cancelled');
  const lostAnswer = LOST_ANSWER_KINDS.has(fault.fault.kind);
  // Otherwise the Retry check below would pass without anything to find.
  if (lostAnswer && created !== 1) failures.push(`the lost answer's request made ${created} objects, not 1`);
  if (lostAnswer && kept && kept.uncertainSince === undefined)
    failures.push('the answer was lost, but what is kept does not say Devin may have it');

  // The user's Retry on the kept text, once the fault is gone: never a second object for the same intent.
  let createdAfterRetry: number | null = null;
  if (kept) {
    clock.advance(60_000);
    const retried = await row.run(ui, text, 5000, kept).catch((error: unknown) => {
      failures.push(`Retry threw: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    createdAfterRetry = row.created(before, sandbox.inventory());
    if (createdAfterRetry > 1) failures.push(`Retry of the kept text made ${createdAfterRetry} objects in all`);
    if (retried && !succeeded(retried.kind)) failures.push(`Retry did not get through: ${retried.kind}`);
    if (retried && lostAnswer && retried.kind !== 'found')
      failures.push(`Retry after a lost answer did not find what the first attempt made (${retried.kind})`);
    if (retried && succeeded(retried.kind) && row.kept(ui, text, retried) !== undefined)
      failures.push('what was kept outlived a Retry that got through');
  }

  return {
    command: row.id,
    fault: fault.id,
    ok,
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
}

before(async () => {
  // As the account does with every token it stores or sends (src/auth/account.ts): the encoded echoes of a known
  // token are redacted by value, not only by its shape.
  knownSecrets.add(TOKEN);
  sandbox = await startSandbox({ now: clock.now });
  // A seeded session: seeded ids survive the reset before every cell.
  const page = await client(5000).listSessions(GLOBEX, { first: 1 });
  const seeded = page.items[0];
  assert.ok(seeded, 'a seeded session to follow up on');
  followUp = { orgId: GLOBEX, sessionId: seeded.id, label: 'Follow-up target', status: seeded.status };
});

after(async () => {
  await sandbox.close();
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

let cellIndex = 0;
for (const row of rows) {
  describe(`fault matrix: ${row.id}`, () => {
    for (const fault of MATRIX_FAULTS) {
      test(fault.id, async () => {
        const cell = await runCell(row, fault, cellIndex++);
        results.push(cell);
        const expected = expectedFailure(row.id, fault.id);
        if (expected && cell.failures.length === 0 && !expected.racy)
          assert.fail(`passes now; remove its expected failure (${expected.waitsOn})`);
        if (!expected) assert.deepEqual(cell.failures, [], `${row.id} / ${fault.id}`);
      });
    }
  });
}
