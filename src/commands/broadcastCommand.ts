import * as vscode from 'vscode';
import { isDevinApiError, isOutcomeUnknown, isUnreadableSuccess } from '../api/errors';
import type { SessionDraft } from '../core/drafts';
import type { Organization } from '../core/models';
import { broadcastReportMarkdown, type BroadcastRow } from '../core/reports';
import { firstLine } from '../core/selectionPrompt';
import { sendKey } from '../core/sendGuard';
import { sessionLabel } from '../core/sessionPresentation';
import type { ReadonlyDocuments } from '../views/readonlyDocuments';
import type { CommandContext } from './commandContext';
import { alreadySending, cancelled, errorMessage, reportError, type CommandOutcome } from './feedback';
import { Command } from '../commandIds';

/** `devin.sendPromptToAllOrganizations`: one prompt, one session per organization, and a report of each result. */

const BROADCAST_CONCURRENCY = 4;

type BroadcastOutcome = CommandOutcome<{
  created: number;
  failed: number;
  uncertain: number;
  /** The buttons offered with the summary, in order. */
  actions: string[];
}>;

/**
 * One prompt, one new session in each organization. Each organization's result (the session, or why not)
 * goes into a report document; failures a retry can fix are kept as drafts.
 */
export function sendPromptToAllOrganizations(
  context: CommandContext,
  documents: ReadonlyDocuments,
  args: { prompt?: string; confirmed?: boolean } = {},
): Promise<BroadcastOutcome> {
  return sendPromptToAllOrganizationsOnce(context, documents, args).catch((error: unknown) => ({
    ok: false as const,
    error: reportError(context.log, vscode.l10n.t('Could not send the prompt to every organization'), error),
  }));
}

async function sendPromptToAllOrganizationsOnce(
  context: CommandContext,
  documents: ReadonlyDocuments,
  args: { prompt?: string; confirmed?: boolean },
): Promise<BroadcastOutcome> {
  const organizations = await context.store.loadOrganizations();
  const prompt =
    args.prompt ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('Devin: Send a Prompt to Every Organization'),
      prompt: vscode.l10n.t('Starts one session in each of your {0} organizations.', organizations.length),
      ignoreFocusOut: true,
    }));
  if (!prompt?.trim()) return cancelled;
  if (!args.confirmed) {
    const go = vscode.l10n.t('Start {0} Sessions', organizations.length);
    if (
      (await vscode.window.showWarningMessage(
        vscode.l10n.t('Start {0} Devin sessions, one in each organization? Each one uses ACUs.', organizations.length),
        { modal: true },
        go,
      )) !== go
    )
      return cancelled;
  }
  return context.sendGuard.run(
    sendKey('broadcast', prompt),
    () => broadcast(context, documents, organizations, prompt),
    () =>
      alreadySending(
        vscode.l10n.t('Already sending this prompt to every organization to Devin. Wait for it to finish.'),
      ),
  );
}

async function broadcast(
  context: CommandContext,
  documents: ReadonlyDocuments,
  organizations: readonly Organization[],
  prompt: string,
): Promise<BroadcastOutcome> {
  const rows: BroadcastRow[] = [];
  let signInNeeded = false;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Starting Devin sessions…') },
    async (progress) => {
      const queue = [...organizations];
      const worker = async () => {
        for (let organization = queue.shift(); organization; organization = queue.shift()) {
          const row = await startOne(context, organization, prompt);
          rows.push(row.row);
          signInNeeded ||= row.signInNeeded;
          progress.report({
            message: vscode.l10n.t('{0} of {1}', rows.length, organizations.length),
            increment: 100 / organizations.length,
          });
        }
      };
      await Promise.all(Array.from({ length: Math.min(BROADCAST_CONCURRENCY, organizations.length) }, worker));
    },
  );
  // The report lists organizations in the order the user sees them, not the order the answers came in.
  const order = new Map(organizations.map((organization, index) => [organization.id, index]));
  rows.sort((a, b) => (order.get(a.organizationId) ?? 0) - (order.get(b.organizationId) ?? 0));
  const created = rows.filter((row) => row.result === 'created').length;
  const uncertain = rows.filter((row) => row.result === 'uncertain').length;
  const failed = rows.filter((row) => row.result === 'failed').length;
  for (const row of rows)
    if (row.result !== 'created') context.log.warn(`Prompt to ${row.organizationName}: ${row.reason ?? row.result}`);
  const report = broadcastReportMarkdown(prompt, rows, Date.now());
  const showReport = () => documents.show(`/${vscode.l10n.t('Prompt sent to every organization')}.md`, report);
  const actions: { title: string; run: () => unknown }[] = [];
  if (signInNeeded)
    actions.push({ title: vscode.l10n.t('Sign In'), run: () => vscode.commands.executeCommand(Command.signIn) });
  if (rows.some((row) => row.kept))
    actions.push({
      title: vscode.l10n.t('Retry Unsent'),
      run: () => vscode.commands.executeCommand(Command.retrySessionDraft),
    });
  if (created === rows.length) {
    actions.push({ title: vscode.l10n.t('Show Report'), run: showReport });
    void vscode.window
      .showInformationMessage(
        vscode.l10n.t('Started {0} Devin sessions, one per organization.', created),
        ...actions.map((a) => a.title),
      )
      .then((choice) => actions.find((action) => action.title === choice)?.run());
  } else {
    // Something needs the user's attention: the report opens at once, with each organization's reason.
    await showReport();
    const parts = [
      vscode.l10n.t('Started {0} of {1} sessions.', created, rows.length),
      uncertain ? vscode.l10n.t('{0} may have been created.', uncertain) : '',
      failed ? vscode.l10n.t('{0} failed.', failed) : '',
      signInNeeded ? vscode.l10n.t('Devin rejected the token: sign in again.') : '',
    ];
    void vscode.window
      .showWarningMessage(parts.filter(Boolean).join(' '), ...actions.map((a) => a.title))
      .then((choice) => actions.find((action) => action.title === choice)?.run());
  }
  return { ok: true, created, failed, uncertain, actions: actions.map((action) => action.title) };
}

/** Errors a later retry cannot fix: the token's role, the request itself, or the organization. */
const NOT_WORTH_RETRYING = new Set(['forbidden', 'validation', 'badRequest', 'notFound']);

async function startOne(
  context: CommandContext,
  organization: Organization,
  prompt: string,
): Promise<{ row: BroadcastRow; signInNeeded: boolean }> {
  const base = { organizationName: organization.name, organizationId: organization.id };
  const attemptStarted = Date.now();
  try {
    const session = await context.account.getClient().createSession(organization.id, { prompt });
    context.store.addOrUpdateSession(session);
    const label = sessionLabel(session, firstLine(prompt));
    return {
      row: { ...base, result: 'created', sessionUrl: session.url, sessionLabel: label, kept: false },
      signInNeeded: false,
    };
  } catch (error) {
    if (isUnreadableSuccess(error)) {
      context.store.refresh(organization.id);
      const reason = vscode.l10n.t("Created; Devin's answer could not be read, so refresh the view to see it.");
      return { row: { ...base, result: 'created', reason, kept: false }, signInNeeded: false };
    }
    const unknown = isOutcomeUnknown(error);
    const kind = isDevinApiError(error) ? error.kind : 'error';
    const kept = unknown || !NOT_WORTH_RETRYING.has(kind);
    if (kept)
      await context.drafts.save<SessionDraft>({
        kind: 'session',
        orgId: organization.id,
        prompt,
        lastError: unknown ? 'outcomeUnknown' : kind,
        uncertainSince: unknown ? attemptStarted : undefined,
      });
    return {
      row: { ...base, result: unknown ? 'uncertain' : 'failed', reason: errorMessage(error), kept },
      signInNeeded: kind === 'unauthorized' || kind === 'signedOut',
    };
  }
}
