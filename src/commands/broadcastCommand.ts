import * as vscode from 'vscode';
import { broadcastPrompt } from '../actions/broadcast';
import type { Organization } from '../core/models';
import { broadcastReportMarkdown } from '../core/reports';
import { sendKey } from '../core/sendGuard';
import type { ReadonlyDocuments } from '../views/readonlyDocuments';
import type { CommandContext } from '../ui/commandContext';
import { alreadySending, cancelled, reportError, type CommandOutcome } from '../ui/feedback';
import { vscodeUi } from '../ui/vscodeUi';
import { Command } from '../commandIds';

/** `devin.sendPromptToAllOrganizations`: one prompt, one session per organization, and a report of each result. */

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
  const { rows, created, uncertain, failed, signInNeeded } = await broadcastPrompt(
    { client: context.account.getClient(), ui: vscodeUi(context.drafts), store: context.store },
    organizations.map((organization) => ({ orgId: organization.id, name: organization.name })),
    prompt,
  );
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
