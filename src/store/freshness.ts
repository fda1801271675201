import * as l10n from '@vscode/l10n';
import type { Freshness } from './sessionStore';

/**
 * The line the sessions view shows while the API cannot be reached and the rows are the last ones read:
 * "Updated 4 min ago — offline". Undefined while everything is current.
 */
export function describeFreshness(freshness: Freshness, now: number): string | undefined {
  const problem = freshness.problem;
  if (!problem) return undefined;
  const reason =
    problem.kind === 'offline'
      ? l10n.t('offline')
      : problem.kind === 'rateLimited'
        ? l10n.t('Devin is rate limiting requests')
        : problem.kind === 'tokenRejected'
          ? l10n.t('the token was rejected; sign in again')
          : l10n.t('checking for changes failed');
  const state =
    problem.retryAt !== undefined && problem.retryAt > now
      ? l10n.t('{0}; next try in {1}', reason, duration(problem.retryAt - now))
      : reason;
  if (freshness.updatedAt === undefined) return state;
  const age = now - freshness.updatedAt;
  return age < 60_000 ? l10n.t('Updated just now — {0}', state) : l10n.t('Updated {0} ago — {1}', duration(age), state);
}

function duration(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 60) return l10n.t('{0} s', seconds);
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return l10n.t('{0} min', minutes);
  return l10n.t('{0} h', Math.round(minutes / 60));
}

/** What the sessions view says when the organizations list stopped at its limit while the API had more. */
export function describeOrganizationLimit(shown: number, locale?: string): string {
  return l10n.t('Showing the first {0} organizations', shown.toLocaleString(locale));
}
