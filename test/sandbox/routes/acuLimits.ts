// Devin ACU limits (§3.4): the enterprise's limit per billing cycle and each organization's. The
// organization limits are the organizations' own `max_cycle_acu_limit`, so both views agree.

import { requireEnterprise } from '../auth';
import type { Ctx, Reply } from '../http';
import { bodyObject, invalid, legacy, paginate } from '../http';
import type { Route } from '../router';

/** The seeded enterprise's limit per billing cycle; its monthly use is about a thousand ACUs. */
export const SANDBOX_ENTERPRISE_CYCLE_ACU_LIMIT = 2_000;

function requireBillingRead(ctx: Ctx): void {
  if (!ctx.principal.enterprisePerms.has('ViewAccountConsumption')) requireEnterprise(ctx, 'ManageBilling');
}

function listLimits(ctx: Ctx): Reply {
  requireBillingRead(ctx);
  const rows: Record<string, unknown>[] = [
    { cycle_acu_limit: SANDBOX_ENTERPRISE_CYCLE_ACU_LIMIT, scope: 'enterprise' },
  ];
  for (const org of ctx.store.orgs.values())
    if (org.max_cycle_acu_limit !== null)
      rows.push({ cycle_acu_limit: org.max_cycle_acu_limit, scope: 'organization', org_id: org.org_id });
  return { body: paginate(ctx.query, rows) };
}

function setOrgLimit(ctx: Ctx, remove: boolean): Reply {
  requireEnterprise(ctx, 'ManageBilling');
  const org = ctx.store.orgs.get(ctx.params.org_id as string);
  if (!org) throw legacy(404, `Organization ${ctx.params.org_id} not found`);
  let limit: number | null = null;
  if (!remove) {
    const value = bodyObject(ctx).cycle_acu_limit;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
      throw invalid(['body', 'cycle_acu_limit'], 'Input should be an integer >= 0', 'int_type', value);
    limit = value;
  }
  org.max_cycle_acu_limit = limit;
  return { body: { cycle_acu_limit: limit, scope: 'organization', org_id: org.org_id } };
}

const orgLimit = '/enterprise/consumption/acu-limits/devin/organizations/:org_id';

export const acuLimitRoutes: Route[] = [
  { method: 'GET', pattern: '/enterprise/consumption/acu-limits/devin', handler: listLimits },
  { method: 'PUT', pattern: orgLimit, handler: (ctx) => setOrgLimit(ctx, false) },
  { method: 'DELETE', pattern: orgLimit, handler: (ctx) => setOrgLimit(ctx, true) },
];
