import * as vscode from 'vscode';
import { deliverMessage as deliver, keptAsDraft, messageChannel } from '../actions/deliverMessage';
import type { Session } from '../core/models';
import type { CommandContext } from '../ui/commandContext';
import { reportError, type CommandOutcome } from '../ui/feedback';
import { vscodeUi } from '../ui/vscodeUi';
import { Command } from '../commandIds';

/**
 * Delivering a follow-up message through the action, the text kept as a draft on failure; shows what came of it.
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
  const ui = vscodeUi(context.drafts);
  const ref = { orgId: session.orgId, sessionId: session.id, label: session.label, status: session.status };
  const outcome = await deliver(
    ui,
    messageChannel(context.account.getClient()),
    ref,
    text,
    keptAsDraft(ui, ref, text, retry),
  );
  switch (outcome.kind) {
    case 'found':
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Your message had already reached "{0}"; it was not sent again.', session.label),
      );
      return { ok: true, found: true, session: { id: session.id, status: undefined } };
    case 'created': {
      if (outcome.updated) context.store.addOrUpdateSession(outcome.updated);
      const resumed = session.status === 'suspended';
      void vscode.window.setStatusBarMessage(
        `$(check) ${resumed ? vscode.l10n.t('Message sent to Devin. The session is resuming.') : vscode.l10n.t('Message sent to Devin.')}`,
        5000,
      );
      if (resumed)
        void vscode.window.showInformationMessage(
          vscode.l10n.t('Message sent to "{0}". The session is resuming.', session.label),
        );
      return { ok: true, session: { id: session.id, status: outcome.updated?.status } };
    }
    case 'createdButUnreadable':
      context.log.warn(`Message to ${session.id} accepted, but the answer could not be read.`);
      context.store.refresh(session.orgId);
      void vscode.window.setStatusBarMessage(`$(check) ${vscode.l10n.t('Message sent to Devin.')}`, 5000);
      return { ok: true, session: { id: session.id, status: undefined } };
    case 'cancelled':
      return { ok: false, cancelled: true };
    case 'failed': {
      const prefix = outcome.outcomeUnknown
        ? vscode.l10n.t(
            'Your message to "{0}" may have been delivered (it is kept; Retry checks before sending again)',
            session.label,
          )
        : outcome.checkFailed
          ? vscode.l10n.t('Could not check whether "{0}" already has your message (it is kept)', session.label)
          : vscode.l10n.t('Could not send your message to "{0}" (it is kept)', session.label);
      const draftId = outcome.draftId;
      const reported = reportError(context.log, prefix, outcome.error, [
        {
          title: vscode.l10n.t('Retry'),
          run: () => vscode.commands.executeCommand(Command.retryMessageDraft, draftId),
        },
      ]);
      return { ok: false, error: reported, draftId, outcomeUnknown: outcome.outcomeUnknown };
    }
  }
}
