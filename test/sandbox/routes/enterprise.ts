// Identity, organizations and audit logs. Where §8 (the project's specification) shows an older shape,
// /v3beta1 answers with it and /v3 with the current schema, so clients must cope with both.

import { requireEnterprise } from '../auth';
import type { OrgRecord } from '../data';
import { DAY_S } from '../data';
import type { Ctx, Reply } from '../http';
import { bodyObject, intParam, invalid, legacy, one, optionalInt, paginate, requireStrings, sec } from '../http';
import type { Route } from '../router';

function self(ctx: Ctx): Reply {
  requireEnterprise(ctx, 'ReadAccountMeta');
  const p = ctx.principal;
  if (p.principalType === 'pat_user') {
    return {
      body: {
        principal_type: 'pat_user',
        user_id: p.id,
        user_name: p.name,
        api_key_id: p.apiKeyId ?? 'pat-unknown',
        api_key_name: p.apiKeyName ?? 'pat',
        org_id: p.orgId,
      },
    };
  }
  return {
    body: { principal_type: 'service_user', service_user_id: p.id, service_user_name: p.name, org_id: p.orgId },
  };
}

/** The specification's "who am I": reads `name` and `role` besides the documented fields. */
function enterpriseSelf(ctx: Ctx): Reply {
  requireEnterprise(ctx, 'ReadAccountMeta');
  const p = ctx.principal;
  const isUser = p.principalType === 'pat_user';
  return {
    body: {
      org_id: p.orgId,
      service_user_id: isUser ? null : p.id,
      service_user_name: isUser ? null : p.name,
      user_id: isUser ? p.id : null,
      name: p.name,
      role: p.role,
    },
  };
}

function renderOrg(o: OrgRecord): Record<string, unknown> {
  return { ...o };
}

function renderBetaOrg(o: OrgRecord): Record<string, unknown> {
  return {
    id: o.org_id,
    name: o.name,
    created_at: o.created_at,
    updated_at: o.updated_at,
    acu_limit: o.max_cycle_acu_limit,
  };
}

function listOrgs(ctx: Ctx): Reply {
  requireEnterprise(ctx, 'ManageOrganizations');
  const orgs = [...ctx.store.orgs.values()];
  if (ctx.version === 'v3beta1') {
    const page = paginate(ctx.query, orgs, renderBetaOrg);
    return { body: { organizations: page.items, end_cursor: page.end_cursor, has_next_page: page.has_next_page } };
  }
  return { body: paginate(ctx.query, orgs, renderOrg) };
}

function createOrg(ctx: Ctx): Reply {
  requireEnterprise(ctx, 'ManageOrganizations');
  const body = bodyObject(ctx);
  requireStrings(body, ['name']);
  const betaLimit = ctx.version === 'v3beta1' ? optionalInt(body, 'acu_limit') : undefined;
  const cycle = optionalInt(body, 'max_cycle_acu_limit') ?? betaLimit ?? null;
  const perSession = optionalInt(body, 'max_session_acu_limit') ?? null;
  for (const [field, value] of [
    ['max_cycle_acu_limit', cycle],
    ['max_session_acu_limit', perSession],
  ] as const) {
    if (value !== null && value < 0)
      throw invalid(['body', field], 'Input should be greater than or equal to 0', 'greater_than_equal', value);
  }
  const now = sec(ctx.nowMs);
  const org: OrgRecord = {
    org_id: ctx.store.newId('org-'),
    name: (body.name as string).trim(),
    created_at: now,
    updated_at: now,
    max_cycle_acu_limit: cycle,
    max_session_acu_limit: perSession,
  };
  ctx.store.orgs.set(org.org_id, org);
  ctx.store.recordAudit(ctx.principal, 'create_org', org.org_id, { name: org.name }, ctx.nowMs);
  return { body: ctx.version === 'v3beta1' ? renderBetaOrg(org) : renderOrg(org) };
}

function getOrg(ctx: Ctx): Reply {
  requireEnterprise(ctx, 'ManageOrganizations');
  const org = ctx.store.orgs.get(ctx.params.org_id as string);
  if (!org) throw legacy(404, `Organization ${ctx.params.org_id} not found`);
  return { body: ctx.version === 'v3beta1' ? renderBetaOrg(org) : renderOrg(org) };
}

const MAX_AUDIT_WINDOW_S = 100 * DAY_S;

function auditLogs(ctx: Ctx, orgId?: string): Reply {
  requireEnterprise(ctx, 'ManageEnterpriseSettings');
  if (orgId !== undefined && !ctx.store.orgs.has(orgId)) throw legacy(404, `Organization ${orgId} not found`);
  const q = ctx.query;
  const after = intParam(q, 'time_after');
  const before = intParam(q, 'time_before');
  if (before !== undefined && after === undefined) {
    throw invalid(['query', 'time_after'], 'time_after is required when time_before is set', 'missing', null);
  }
  if (after !== undefined && before !== undefined) {
    if (before < after)
      throw invalid(['query', 'time_before'], 'time_before must not be earlier than time_after', 'value_error', before);
    if (before - after > MAX_AUDIT_WINDOW_S) {
      throw invalid(['query', 'time_before'], 'Time window must not exceed 100 days', 'value_error', before);
    }
  }
  const order = one(q, 'order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') {
    throw invalid(['query', 'order'], "Input should be 'asc' or 'desc'", 'enum', order);
  }
  const action = one(q, 'action');
  const rows = ctx.store.auditLog
    .filter(
      (e) =>
        (after === undefined || e.created_at >= after) &&
        (before === undefined || e.created_at < before) &&
        (action === undefined || e.action === action) &&
        (orgId === undefined || e.org_id === orgId),
    )
    .map((e, i) => ({ e, i }))
    // ties keep insertion order so paging is stable
    .sort((a, b) => (a.e.created_at - b.e.created_at || a.i - b.i) * (order === 'asc' ? 1 : -1))
    .map(({ e }) => e);
  return { body: paginate(q, rows, (e) => ({ ...e, data: { ...e.data } })) };
}

export const enterpriseRoutes: Route[] = [
  { method: 'GET', pattern: '/self', handler: self },
  { method: 'GET', pattern: '/enterprise/self', handler: enterpriseSelf },
  { method: 'GET', pattern: '/enterprise/organizations', handler: listOrgs },
  { method: 'POST', pattern: '/enterprise/organizations', handler: createOrg },
  { method: 'GET', pattern: '/enterprise/organizations/:org_id', handler: getOrg },
  { method: 'GET', pattern: '/enterprise/audit-logs', handler: (ctx) => auditLogs(ctx) },
  {
    method: 'GET',
    pattern: '/enterprise/organizations/:org_id/audit-logs',
    handler: (ctx) => auditLogs(ctx, ctx.params.org_id),
  },
];
