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
        { location: vscode.ProgressLocation.Window, title: 'Checking whether Devin already has your message…' },
        () => findDeliveredMessage(client, { orgId: session.orgId, sessionId: session.id, message: text, since }),
      );
      if (delivered) {
        await context.drafts.remove(retry.draftId);
        void vscode.window.showInformationMessage(
          `Your message had already reached "${session.label}"; it was not sent again.`,
        );
        return { ok: true, found: true, session: { id: session.id, status: undefined } };
      }
    }
    attemptStarted = Date.now();
    const updated = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Sending message to Devin…' },
      () => client.sendMessage(session.orgId, session.id, text),
    );
    if (retry) await context.drafts.remove(retry.draftId);
    if (updated) context.store.addOrUpdateSession(updated);
    const resumed = session.status === 'suspended' ? ' The session is resuming.' : '';
    void vscode.window.setStatusBarMessage(`$(check) Message sent to Devin.${resumed}`, 5000);
    if (resumed) void vscode.window.showInformationMessage(`Message sent to "${session.label}".${resumed}`);
    return { ok: true, session: { id: session.id, status: updated?.status } };
  } catch (error) {
    if (attemptStarted !== undefined && isUnreadableSuccess(error)) {
      // A 2xx: Devin has the message; only its description of the session was unreadable.
      if (retry) await context.drafts.remove(retry.draftId);
      context.log.warn(`Message to ${session.id} accepted, but the answer could not be read.`);
      context.store.refresh(session.orgId);
      void vscode.window.setStatusBarMessage('$(check) Message sent to Devin.', 5000);
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
      ? `Your message to "${session.label}" may have been delivered (it is kept; Retry checks before sending again)`
      : attemptStarted === undefined && retry?.uncertainSince !== undefined
        ? `Could not check whether "${session.label}" already has your message (it is kept)`
        : `Could not send your message to "${session.label}" (it is kept)`;
    const reported = reportError(context.log, prefix, error, [
      { title: 'Retry', run: () => vscode.commands.executeCommand(Command.retryMessageDraft, draft.id) },
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
