import * as l10n from '@vscode/l10n';
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
  const waiting = count(news, 'waiting');
  if (waiting === news.length)
    return waiting === 1 ? l10n.t('1 Devin session needs you') : l10n.t('{0} Devin sessions need you', waiting);
  const finished = count(news, 'finished');
  const failed = count(news, 'failed');
  const pullRequests = count(news, 'pullRequest');
  const parts = [
    waiting ? (waiting === 1 ? l10n.t('1 waiting for you') : l10n.t('{0} waiting for you', waiting)) : undefined,
    finished ? (finished === 1 ? l10n.t('1 finished') : l10n.t('{0} finished', finished)) : undefined,
    failed ? (failed === 1 ? l10n.t('1 failed') : l10n.t('{0} failed', failed)) : undefined,
    pullRequests
      ? pullRequests === 1
        ? l10n.t('1 opened a pull request')
        : l10n.t('{0} opened a pull request', pullRequests)
      : undefined,
  ].filter(Boolean);
  return news.length === 1
    ? l10n.t('1 Devin session changed: {0}', parts.join(', '))
    : l10n.t('{0} Devin sessions changed: {1}', news.length, parts.join(', '));
}

function count(news: readonly SessionNews[], kind: NewsKind): number {
  return news.filter((item) => item.kind === kind).length;
}
