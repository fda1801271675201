import type { SessionUsageRow, SessionUsageView } from '../shared/consumptionProtocol';
import { roundAcus, type ResolvedRange } from './consumptionSeries';
import type { Organization, Session } from './models';
import { statusLook } from './sessionPresentation';

/**
 * The per-session table's data, free of `vscode`. The API has a consumption series per session
 * (`…/consumption/daily/sessions/{id}`) but no list of sessions with their consumption, so a range's
 * sessions come from the sessions list filtered on creation time, each with its `acus_consumed`.
 */

export interface ListedSessions {
  readonly sessions: readonly Session[];
  /** The paging limit cut the list while the API said more exist. */
  readonly truncated: boolean;
  /** Organizations whose list the token may not read; the others are still shown. */
  readonly unreadable: readonly Organization[];
}

/**
 * Rows for the sessions created within the range. The list is asked for exactly that, but a server
 * that ignores `created_after`/`created_before` must not put older sessions in the table, and a
 * session met twice (a list that shifted between pages) counts once.
 */
export function shapeSessionUsage(
  range: ResolvedRange,
  listed: ListedSessions,
  organizations: readonly Organization[],
): SessionUsageView {
  const names = new Map(organizations.map((organization) => [organization.id, organization.name]));
  const seen = new Set<string>();
  const rows: SessionUsageRow[] = [];
  for (const session of listed.sessions) {
    const created = session.createdAt;
    if (created !== undefined && (created < range.timeAfter || created >= range.timeBefore)) continue;
    const key = `${session.orgId}/${session.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const acus = session.acusConsumed;
    rows.push({
      sessionId: session.id,
      orgId: session.orgId,
      title: session.title ?? null,
      organization: names.get(session.orgId) ?? session.orgId,
      status: statusLook(session.status, session.statusDetail).label,
      acus: acus !== undefined && Number.isFinite(acus) && acus >= 0 ? roundAcus(acus) : null,
      createdAt: created ?? null,
    });
  }
  let total = 0;
  for (const row of rows) total += row.acus ?? 0;
  return {
    range: { start: range.start, end: range.end },
    sessions: rows,
    total: roundAcus(total),
    truncated: listed.truncated,
    unreadableOrganizations: listed.unreadable.map((organization) => organization.name),
  };
}
