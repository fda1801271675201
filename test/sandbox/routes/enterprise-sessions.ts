// Enterprise-wide sessions (§3.5): one list across every organization, with the org list's filters plus
// `org_ids`. A token without ViewAccountSessions gets 403, which is what clients fall back on.

import { requireEnterprise } from '../auth';
import type { SessionRecord } from '../data';
import type { Ctx, Reply } from '../http';
import { list, paginate } from '../http';
import { advance, renderSession } from '../live';
import type { Route } from '../router';
import { sessionFilter } from './sessions';

function listEnterpriseSessions(ctx: Ctx): Reply {
  requireEnterprise(ctx, 'ViewAccountSessions');
  const orgIds = list(ctx.query, 'org_ids');
  const matches = sessionFilter(ctx.query);
  const rows: { s: SessionRecord; i: number }[] = [];
  let i = 0;
  for (const s of ctx.store.sessions.values()) {
    i++;
    if (orgIds && orgIds.length > 0 && !orgIds.includes(s.org_id)) continue;
    advance(ctx.store, s, ctx.nowMs);
    if (matches(s)) rows.push({ s, i });
  }
  rows.sort((a, b) => b.s.created_at - a.s.created_at || b.i - a.i);
  return {
    body: paginate(
      ctx.query,
      rows.map((r) => r.s),
      (s) => renderSession(s, ctx.version, true),
    ),
  };
}

export const enterpriseSessionRoutes: Route[] = [
  { method: 'GET', pattern: '/enterprise/sessions', handler: listEnterpriseSessions },
];
