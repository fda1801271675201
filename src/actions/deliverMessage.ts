import * as l10n from '@vscode/l10n';
import type { DevinClient } from '../api/client';
import { findDeliveredMessage } from '../api/createdLookup';
import type { DevinApiError } from '../api/errors';
import type { MessageDraft } from '../core/drafts';
import type { Session, SessionMessage, SessionRef } from '../core/models';
import { sendOnce, uncertainDraft, type FailedWithDraft, type KeptText } from './uncertainSend';
import type { Ui } from './ui';

/**
 * Delivering a follow-up message to a session: when an earlier attempt's answer was lost, the conversation is
 * checked first so it never arrives twice. Where the text waits meanwhile is the caller's: a stored draft for
 * the commands (`keptAsDraft`), the reply box for the session panel.
 */

/** How a message reaches the session; the session panel's source goes through the store, commands the client. */
export interface MessageChannel {
  /** Resolves with the updated session when the API returned one (older shapes answer without it). */
  sendMessage(orgId: string, sessionId: string, text: string): Promise<Session | undefined>;
  /** The user's message with this text in the session, sent at or after `since` (ms since the epoch), if any. */
  findDelivered(orgId: string, sessionId: string, text: string, since: number): Promise<SessionMessage | undefined>;
}

export type DeliverOutcome =
  | { readonly kind: 'created'; readonly updated: Session | undefined }
  /** An earlier attempt whose answer was lost had delivered it; nothing was sent again. */
  | { readonly kind: 'found'; readonly message: SessionMessage }
  /** A 2xx: Devin has the message; only its description of the session was unreadable. */
  | { readonly kind: 'createdButUnreadable'; readonly error: DevinApiError }
  | { readonly kind: 'cancelled' }
  | FailedWithDraft;

export function messageChannel(client: DevinClient): MessageChannel {
  return {
    sendMessage: (orgId, sessionId, text) => client.sendMessage(orgId, sessionId, text),
    findDelivered: (orgId, sessionId, message, since) =>
      findDeliveredMessage(client, { orgId, sessionId, message, since }),
  };
}

/** Only `progress` and `now`: a panel that shows the send in its own reply box has no drafts and no notifications. */
export async function deliverMessage(
  ui: Pick<Ui, 'progress' | 'now'>,
  channel: MessageChannel,
  session: SessionRef,
  text: string,
  kept: KeptText,
): Promise<DeliverOutcome> {
  const outcome = await sendOnce(
    () => ui.now(),
    kept,
    (since) =>
      ui.progress({ title: l10n.t('Checking whether Devin already has your message…'), quiet: true }, () =>
        channel.findDelivered(session.orgId, session.sessionId, text, since),
      ),
    () =>
      ui.progress({ title: l10n.t('Sending message to Devin…'), quiet: true }, () =>
        channel.sendMessage(session.orgId, session.sessionId, text),
      ),
  );
  switch (outcome.kind) {
    case 'created':
      return { kind: 'created', updated: outcome.value };
    case 'found':
      return { kind: 'found', message: outcome.value };
    case 'createdButUnreadable':
      return { kind: 'createdButUnreadable', error: outcome.error };
    default:
      return outcome;
  }
}

/** The message kept as a stored draft on failure; without a `retry`, an uncertain draft of the same text is continued. */
export function keptAsDraft(
  ui: Ui,
  session: SessionRef,
  text: string,
  retry: { readonly draftId: string; readonly uncertainSince?: number } | undefined,
): KeptText {
  const continued =
    retry ??
    uncertainDraft(
      ui.drafts,
      (draft) => draft.kind === 'message' && draft.sessionId === session.sessionId && draft.message === text,
    );
  return {
    uncertainSince: continued?.uncertainSince,
    keep: async ({ uncertainSince, lastError }) =>
      (
        await ui.drafts.save<MessageDraft>({
          kind: 'message',
          id: continued?.draftId,
          orgId: session.orgId,
          sessionId: session.sessionId,
          sessionLabel: session.label ?? session.sessionId,
          message: text,
          lastError,
          uncertainSince,
        })
      ).id,
    forget: async () => {
      if (continued) await ui.drafts.remove(continued.draftId);
    },
  };
}
