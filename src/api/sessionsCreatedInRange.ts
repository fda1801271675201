import type { ResolvedRange } from '../core/consumptionSeries';
import { mapBounded, type LoadProgress } from '../core/consumptionLoader';
import type { Organization, Session } from '../core/models';
import { collectPages } from '../core/paging';
import type { ListedSessions } from '../core/sessionUsageRows';
import type { DevinClient, SessionListQuery } from './client';
import { CONSUMPTION_CONCURRENCY } from './consumptionEndpoints';
import { DevinApiError } from './errors';

/**
 * The sessions created in a consumption range, for the per-session table. The reference documents no
 * list of consumption by session (only one session's daily series at a time), so this reads the
 * sessions lists (§4.1, §3.5) with `created_after`/`created_before` on the chart's day boundaries.
 */

/** Sessions read per list at most: 50 pages of 200, the cap every cursor loop of the extension keeps. */
export const MAX_LISTED_SESSIONS = 10_000;
const PAGE_SIZE = 200;

export interface SessionUsageRequest {
  readonly range: ResolvedRange;
  readonly signal?: AbortSignal;
  /** `completed` counts the sessions read so far; the total is unknown until the last page. */
  readonly onProgress?: (progress: LoadProgress) => void;
  readonly concurrency?: number;
}

/**
 * An enterprise token reads one list across organizations when it may (ViewAccountSessions); otherwise
 * each organization's own list, skipping those it may not read. An organization-scoped token reads its
 * organization's list, and a refusal there is the answer.
 */
export async function listSessionsCreatedIn(
  client: DevinClient,
  scope: { readonly kind: 'enterprise' | 'organization'; readonly organizations: readonly Organization[] },
  request: SessionUsageRequest,
): Promise<ListedSessions> {
  const window: SessionListQuery = {
    first: PAGE_SIZE,
    createdAfter: request.range.timeAfter,
    createdBefore: request.range.timeBefore,
    signal: request.signal,
  };
  if (scope.kind === 'enterprise') {
    try {
      const { items, truncated } = await collectPages(
        (after) => client.listEnterpriseSessions({ ...window, after }),
        MAX_LISTED_SESSIONS,
        (count) => request.onProgress?.({ completed: count, total: 0 }),
      );
      return { sessions: items, truncated, unreadable: [] };
    } catch (error) {
      if (!isRefusal(error)) throw error;
    }
  }
  return readEachOrganization(client, scope.organizations, window, request);
}

async function readEachOrganization(
  client: DevinClient,
  organizations: readonly Organization[],
  window: SessionListQuery,
  request: SessionUsageRequest,
): Promise<ListedSessions> {
  const read = new Map<string, number>();
  const report = (orgId: string, count: number) => {
    read.set(orgId, count);
    let completed = 0;
    for (const value of read.values()) completed += value;
    request.onProgress?.({ completed, total: 0 });
  };
  const unreadable: Organization[] = [];
  let firstRefusal: unknown;
  const lists = await mapBounded(
    organizations,
    request.concurrency ?? CONSUMPTION_CONCURRENCY,
    request.signal,
    async (organization, signal) => {
      try {
        return await collectPages(
          (after) => client.listSessions(organization.id, { ...window, after, signal }),
          MAX_LISTED_SESSIONS,
          (count) => report(organization.id, count),
        );
      } catch (error) {
        // One organization out of reach must not hide the others' sessions; the table names it.
        if (!isRefusal(error)) throw error;
        firstRefusal ??= error;
        unreadable.push(organization);
        return { items: [] as Session[], truncated: false };
      }
    },
  );
  // Nothing readable at all: the refusal (which names the permission) says more than an empty table.
  if (organizations.length > 0 && unreadable.length === organizations.length) throw firstRefusal;
  return {
    sessions: lists.flatMap((list) => list.items),
    truncated: lists.some((list) => list.truncated),
    unreadable: organizations.filter((organization) => unreadable.includes(organization)),
  };
}

function isRefusal(error: unknown): boolean {
  return error instanceof DevinApiError && (error.kind === 'forbidden' || error.kind === 'notFound');
}
