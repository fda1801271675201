import * as l10n from '@vscode/l10n';
import type { DevinClient } from '../api/client';
import type { SessionMessage, SessionRef } from '../core/models';
import { collectPages } from '../core/paging';
import type { Ui } from './ui';

/**
 * Show Conversation's read: a session's messages, page by page, up to a limit past which the transcript says it
 * stops. A failure is thrown for the caller to show.
 */

/** More than anyone reads in one transcript; the document says when the conversation went on. */
export const CONVERSATION_LIMIT = 1000;

export function readConversation(
  deps: { readonly client: DevinClient; readonly ui: Pick<Ui, 'progress'> },
  session: Pick<SessionRef, 'orgId' | 'sessionId'>,
): Promise<{ readonly items: SessionMessage[]; readonly truncated: boolean }> {
  const { client, ui } = deps;
  return ui.progress({ title: l10n.t('Reading the conversation…'), quiet: true }, () =>
    collectPages(
      (after) => client.listMessages(session.orgId, session.sessionId, { first: 200, after }),
      CONVERSATION_LIMIT,
    ),
  );
}
