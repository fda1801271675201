import * as l10n from '@vscode/l10n';
import type { Conversation } from '../core/conversation';
import type { Session, SessionRef } from '../core/models';
import { errorMessage } from './errorText';

/**
 * What the session panel reads when it opens (and again after a failed load): the session, its whole
 * conversation and its organization's name, together. A failure is thrown; `sessionPageFailure` words it.
 */

export interface SessionPageReads {
  getSession(orgId: string, sessionId: string, signal?: AbortSignal): Promise<Session>;
  /** The organization's name, or its id when the token cannot list organizations. */
  organizationName(orgId: string): Promise<string>;
}

export async function readSessionPage(
  reads: SessionPageReads,
  conversation: Pick<Conversation, 'load'>,
  session: Pick<SessionRef, 'orgId' | 'sessionId'>,
  signal?: AbortSignal,
): Promise<{ readonly session: Session; readonly organizationName: string }> {
  const [read, , organizationName] = await Promise.all([
    reads.getSession(session.orgId, session.sessionId, signal),
    conversation.load(signal),
    reads.organizationName(session.orgId),
  ]);
  return { session: read, organizationName };
}

/** What the panel shows in place of the session when it could not be read. */
export function sessionPageFailure(error: unknown): string {
  return l10n.t('Could not load this session: {0}', errorMessage(error));
}
