import type { Session } from '../core/models';
import { statusLook } from '../core/sessionPresentation';
import type { SessionsChange } from './sessionStore';

/**
 * Which changes are worth interrupting the user for. Only what a poll found changed counts: what was
 * already true when the extension started or the user signed in arrives as a `load` and is not news.
 */

export type NotificationLevel = 'off' | 'waiting' | 'all';

export type NewsKind = 'waiting' | 'finished' | 'failed' | 'pullRequest';

export interface SessionNews {
  readonly kind: NewsKind;
  readonly session: Session;
}

export function newsIn(change: SessionsChange, level: NotificationLevel): SessionNews[] {
  if (level === 'off' || change.cause !== 'poll') return [];
  const news: SessionNews[] = [];
  const consider = (session: Session, previous: Session | undefined) => {
    const kind = newsKind(session, previous);
    if (kind && (level === 'all' || kind === 'waiting')) news.push({ kind, session });
  };
  for (const session of change.added) consider(session, undefined);
  for (const { session, previous } of change.updated) consider(session, previous);
  return news;
}

function newsKind(session: Session, previous: Session | undefined): NewsKind | undefined {
  const now = statusLook(session.status, session.statusDetail);
  const before = previous ? statusLook(previous.status, previous.statusDetail) : undefined;
  if (now.needsUser && !before?.needsUser) return 'waiting';
  // A session first seen already finished was not watched by anyone here; only transitions are news.
  if (!previous) return undefined;
  const ended = (tone: string | undefined) => tone === 'done' || tone === 'idle';
  if (ended(now.tone) && !ended(before?.tone)) return 'finished';
  if (now.tone === 'failed' && before?.tone !== 'failed') return 'failed';
  if (session.pullRequests.length > previous.pullRequests.length) return 'pullRequest';
  return undefined;
}

/** One line for several pieces of news that arrived together. */
export function summarizeNews(news: readonly SessionNews[]): string {
  const waiting = news.filter((item) => item.kind === 'waiting').length;
  if (waiting === news.length) return `${waiting} Devin sessions need you`;
  const parts = [
    waiting ? `${waiting} waiting for you` : undefined,
    count(news, 'finished', 'finished'),
    count(news, 'failed', 'failed'),
    count(news, 'pullRequest', 'opened a pull request'),
  ].filter(Boolean);
  return `${news.length} Devin sessions changed: ${parts.join(', ')}`;
}

function count(news: readonly SessionNews[], kind: NewsKind, text: string): string | undefined {
  const n = news.filter((item) => item.kind === kind).length;
  return n ? `${n} ${text}` : undefined;
}
