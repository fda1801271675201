// What the session actions need beyond sessions.ts: the enterprise-wide look-up (§3.5) and the list
// filters by repository and service user (§4.1).

import { requireEnterprise } from '../auth';
import type { SessionRecord } from '../data';
import type { Ctx, Query, Reply } from '../http';
import { legacy, list, one } from '../http';
import { advance, renderSession } from '../live';
import type { Route } from '../router';

function getEnterpriseSession(ctx: Ctx): Reply {
  requireEnterprise(ctx, 'ViewAccountSessions');
  const key = (ctx.params.devin_id as string).toLowerCase().replace(/^devin-/, '');
  const s = ctx.store.sessions.get(key);
  const orgId = one(ctx.query, 'org_id');
  if (!s || (orgId !== undefined && s.org_id !== orgId)) throw legacy(404, `Session ${ctx.params.devin_id} not found`);
  advance(ctx.store, s, ctx.nowMs);
  return { body: renderSession(s, ctx.version, true) };
}

/** `repo_names` (owner/repo, any of) and `service_user_ids` on the organization's session list. */
export function matchesRepoAndServiceUserFilters(s: SessionRecord, q: Query): boolean {
  const repoNames = list(q, 'repo_names')?.map((name) => name.toLowerCase());
  const serviceUserIds = list(q, 'service_user_ids');
  return (
    (!repoNames || repoNames.length === 0 || s.repos.some((repo) => repoNames.includes(repo.toLowerCase()))) &&
    (!serviceUserIds ||
      serviceUserIds.length === 0 ||
      (s.service_user_id !== null && serviceUserIds.includes(s.service_user_id)))
  );
}

export const sessionLookupRoutes: Route[] = [
  { method: 'GET', pattern: '/enterprise/sessions/:devin_id', handler: getEnterpriseSession },
];
