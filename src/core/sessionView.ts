import * as l10n from '@vscode/l10n';
import type { ChatMessageView, SessionHeaderView } from '../shared/sessionProtocol';
import type { Session, SessionMessage } from './models';
import { formatAcus, formatAge, sessionLabel, shortPullRequestName, statusLook, utcStamp } from './sessionPresentation';

/** The session panel's header, shaped from a session with the same status look as the tree. */
export function sessionHeaderView(session: Session, organizationName: string, nowSeconds: number): SessionHeaderView {
  const look = statusLook(session.status, session.statusDetail);
  return {
    id: session.id,
    orgId: session.orgId,
    organizationName,
    title: sessionLabel(session),
    status: {
      label: session.isArchived ? l10n.t('{0}, archived', look.label) : look.label,
      tone: look.tone,
      color: look.color,
    },
    working: look.tone === 'working' && !session.isArchived,
    waiting: look.needsUser && !session.isArchived,
    acus: session.acusConsumed !== undefined ? formatAcus(session.acusConsumed) : undefined,
    created: session.createdAt !== undefined ? timeText(session.createdAt, nowSeconds) : undefined,
    updated: session.updatedAt !== undefined ? timeText(session.updatedAt, nowSeconds) : undefined,
    tags: session.tags,
    pullRequests: session.pullRequests.map((pr) => ({
      url: pr.url,
      name: shortPullRequestName(pr.url),
      state: pr.state,
    })),
    url: session.url,
    replyDisabledReason: replyDisabledReason(session),
    replyHint:
      session.status === 'suspended'
        ? l10n.t('This session is suspended: sending a message resumes it.')
        : look.needsUser
          ? l10n.t('Devin is waiting for your reply.')
          : undefined,
  };
}

/**
 * Archived sessions stay readable but cannot be modified or resumed; `exit` and `error` are terminal
 * (API reference §2.1, §4.5). Every other status, suspended included, takes messages.
 */
export function replyDisabledReason(
  session: Pick<Session, 'status' | 'statusDetail' | 'isArchived'>,
): string | undefined {
  if (session.isArchived)
    return l10n.t(
      'This session is archived: it stays readable, but Devin cannot receive messages in it. Start a new session to continue.',
    );
  const look = statusLook(session.status, session.statusDetail);
  if (look.isTerminal)
    return l10n.t(
      'This session has ended ({0}): Devin cannot receive messages in it. Start a new session to continue.',
      look.label.toLowerCase(),
    );
  return undefined;
}

/**
 * Whether new messages can still appear without the user acting: not for archived or ended sessions, nor
 * while Devin is finished or suspended (a message from the panel wakes it up, and the panel looks again).
 */
export function sessionIsSettled(session: Pick<Session, 'status' | 'statusDetail' | 'isArchived'>): boolean {
  if (session.isArchived) return true;
  const look = statusLook(session.status, session.statusDetail);
  return look.isTerminal || look.tone === 'done' || look.tone === 'paused';
}

export function chatMessageView(message: SessionMessage): ChatMessageView {
  return { id: message.id, source: message.source, text: message.message, createdAt: message.createdAt };
}

function timeText(seconds: number, nowSeconds: number): string {
  return l10n.t('{0} ({1} UTC)', formatAge(seconds, nowSeconds), utcStamp(seconds));
}
