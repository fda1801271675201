// Enterprise-wide session look-up (§3.5): find a session by id without knowing its organization.

import { requireEnterprise } from '../auth';
import type { Ctx, Reply } from '../http';
import { legacy, one } from '../http';
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

export const sessionLookupRoutes: Route[] = [
  { method: 'GET', pattern: '/enterprise/sessions/:devin_id', handler: getEnterpriseSession },
];
