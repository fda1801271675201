import * as vscode from 'vscode';
import { findDeliveredMessage } from '../api/createdLookup';
import { isDevinApiError, isOutcomeUnknown, isUnreadableSuccess } from '../api/errors';
import type { MessageDraft } from '../core/drafts';
import type { Session } from '../core/models';
import type { CommandContext } from './commandContext';
import { reportError, type CommandOutcome } from './feedback';
import { Command } from '../commandIds';

/**
 * Delivering a follow-up message: kept as a draft on failure, and when its answer was lost, looked for in
 * the conversation before it is sent again.
 */

export type SentOutcome = CommandOutcome<{
  session: { id: string; status: string | undefined };
  /** An earlier attempt whose answer was lost had delivered it; nothing was sent again. */
  found?: boolean;
}>;

export async function deliverMessage(
  context: CommandContext,
  session: Pick<Session, 'id' | 'orgId' | 'status'> & { label: string },
  text: string,
  retry: { draftId: string; uncertainSince?: number } | undefined,
): Promise<SentOutcome> {
  const client = context.account.getClient();
  let attemptStarted: number | undefined;
  // The same text sent again (from the composer that stayed open, or typed anew) continues an uncertain draft.
  retry ??= uncertainMessageDraft(context, session.id, text);
  try {
    if (retry?.uncertainSince !== undefined) {
      const since = retry.uncertainSince;
      const delivered = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Window,
          title: vscode.l10n.t('Checking whether Devin already has your message…'),
        },
        () => findDeliveredMessage(client, { orgId: session.orgId, sessionId: session.id, message: text, since }),
      );
      if (delivered) {
        await context.drafts.remove(retry.draftId);
        void vscode.window.showInformationMessage(
          vscode.l10n.t('Your message had already reached "{0}"; it was not sent again.', session.label),
        );
        return { ok: true, found: true, session: { id: session.id, status: undefined } };
      }
    }
    attemptStarted = Date.now();
    const updated = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Sending message to Devin…') },
      () => client.sendMessage(session.orgId, session.id, text),
    );
    if (retry) await context.drafts.remove(retry.draftId);
    if (updated) context.store.addOrUpdateSession(updated);
    const resumed = session.status === 'suspended';
    void vscode.window.setStatusBarMessage(
      `$(check) ${resumed ? vscode.l10n.t('Message sent to Devin. The session is resuming.') : vscode.l10n.t('Message sent to Devin.')}`,
      5000,
    );
    if (resumed)
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Message sent to "{0}". The session is resuming.', session.label),
      );
    return { ok: true, session: { id: session.id, status: updated?.status } };
  } catch (error) {
    if (attemptStarted !== undefined && isUnreadableSuccess(error)) {
      // A 2xx: Devin has the message; only its description of the session was unreadable.
      if (retry) await context.drafts.remove(retry.draftId);
      context.log.warn(`Message to ${session.id} accepted, but the answer could not be read.`);
      context.store.refresh(session.orgId);
      void vscode.window.setStatusBarMessage(`$(check) ${vscode.l10n.t('Message sent to Devin.')}`, 5000);
      return { ok: true, session: { id: session.id, status: undefined } };
    }
    const unknown = isOutcomeUnknown(error);
    const uncertainSince = unknown
      ? Math.min(retry?.uncertainSince ?? Infinity, attemptStarted ?? Date.now())
      : retry?.uncertainSince;
    const draft = await context.drafts.save<MessageDraft>({
      kind: 'message',
      id: retry?.draftId,
      orgId: session.orgId,
      sessionId: session.id,
      sessionLabel: session.label,
      message: text,
      lastError: unknown ? 'outcomeUnknown' : isDevinApiError(error) ? error.kind : 'error',
      uncertainSince,
    });
    const prefix = unknown
      ? vscode.l10n.t(
          'Your message to "{0}" may have been delivered (it is kept; Retry checks before sending again)',
          session.label,
        )
      : attemptStarted === undefined && retry?.uncertainSince !== undefined
        ? vscode.l10n.t('Could not check whether "{0}" already has your message (it is kept)', session.label)
        : vscode.l10n.t('Could not send your message to "{0}" (it is kept)', session.label);
    const reported = reportError(context.log, prefix, error, [
      { title: vscode.l10n.t('Retry'), run: () => vscode.commands.executeCommand(Command.retryMessageDraft, draft.id) },
    ]);
    return { ok: false, error: reported, draftId: draft.id, outcomeUnknown: unknown };
  }
}

function uncertainMessageDraft(
  context: CommandContext,
  sessionId: string,
  text: string,
): { draftId: string; uncertainSince: number } | undefined {
  const draft = context.drafts
    .list()
    .find(
      (candidate): candidate is MessageDraft =>
        candidate.kind === 'message' &&
        candidate.uncertainSince !== undefined &&
        candidate.sessionId === sessionId &&
        candidate.message === text,
    );
  return draft?.uncertainSince !== undefined ? { draftId: draft.id, uncertainSince: draft.uncertainSince } : undefined;
}
