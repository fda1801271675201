// Scheduled sessions (§4.10): the list only, enough for clients to learn whether a token may manage
// schedules. Creating and editing schedules is not modelled yet.

import { requireOrg } from '../auth';
import type { Ctx, Reply } from '../http';
import { paginate } from '../http';
import type { Route } from '../router';

function listSchedules(ctx: Ctx): Reply {
  requireOrg(ctx, ctx.params.org_id as string, 'ManageOrgSchedules');
  return { body: paginate(ctx.query, []) };
}

export const scheduleRoutes: Route[] = [
  { method: 'GET', pattern: '/organizations/:org_id/schedules', handler: listSchedules },
];
