import type { Freshness } from './sessionStore';

/**
 * The line the sessions view shows while the API cannot be reached and the rows are the last ones read:
 * "Updated 4 min ago — offline". Undefined while everything is current.
 */
export function describeFreshness(freshness: Freshness, now: number): string | undefined {
  const problem = freshness.problem;
  if (!problem) return undefined;
  const age = freshness.updatedAt === undefined ? undefined : `Updated ${ago(now - freshness.updatedAt)}`;
  const retry =
    problem.retryAt !== undefined && problem.retryAt > now ? `; next try in ${duration(problem.retryAt - now)}` : '';
  const reason =
    problem.kind === 'offline'
      ? 'offline'
      : problem.kind === 'rateLimited'
        ? 'Devin is rate limiting requests'
        : problem.kind === 'tokenRejected'
          ? 'the token was rejected; sign in again'
          : 'checking for changes failed';
  return `${age ? `${age} — ` : ''}${reason}${retry}`;
}

function ago(ms: number): string {
  return ms < 60_000 ? 'just now' : `${duration(ms)} ago`;
}

function duration(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.round(minutes / 60)} h`;
}
