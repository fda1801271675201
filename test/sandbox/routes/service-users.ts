// Service-user provisioning: the specification's `members/service-users` call and the current beta
// endpoints. Minted keys are real: they authenticate later requests with the granted role.

import { requireEnterprise, requireOrg, serviceUserPrincipal } from '../auth';
import type { Ctx, Reply } from '../http';
import { bodyObject, invalid, paginate, requireStrings, sec } from '../http';
import type { Route } from '../router';

const MAX_TTL_S = 31_536_000;

export interface RoleDef {
  role_id: string;
  role_name: string;
  role_type: 'org' | 'enterprise';
  role: 'admin' | 'member';
}

export const ORG_ROLES: RoleDef[] = [
  { role_id: 'org_admin', role_name: 'Admin', role_type: 'org', role: 'admin' },
  { role_id: 'org_member', role_name: 'Member', role_type: 'org', role: 'member' },
];
export const ENTERPRISE_ROLES: RoleDef[] = [
  { role_id: 'enterprise_admin', role_name: 'Enterprise Admin', role_type: 'enterprise', role: 'admin' },
  { role_id: 'enterprise_member', role_name: 'Enterprise Member', role_type: 'enterprise', role: 'member' },
];

function mint(
  ctx: Ctx,
  name: string,
  role: 'admin' | 'member',
  orgId: string | null,
  expiresAtMs: number | null,
): { id: string; token: string } {
  const id = ctx.store.newId('service-user-', 24);
  const token = ctx.store.newId('cog_sbx_', 40);
  ctx.store.principals.set(token, serviceUserPrincipal({ id, name, role, orgId, expiresAtMs }));
  ctx.store.recordAudit(ctx.principal, 'create_service_user', orgId, { service_user_id: id, name, role }, ctx.nowMs);
  ctx.store.recordAudit(ctx.principal, 'create_service_user_api_key', orgId, { service_user_id: id }, ctx.nowMs);
  return { id, token };
}

function checkName(body: Record<string, unknown>): string {
  requireStrings(body, ['name']);
  const name = (body.name as string).trim();
  if (name.length > 256)
    throw invalid(['body', 'name'], 'String should have at most 256 characters', 'string_too_long', name);
  return name;
}

/** Specification shape: `{name, role}` → `{id, name, role, api_key}` with the key shown once. */
function createMemberServiceUser(ctx: Ctx): Reply {
  const orgId = ctx.params.org_id as string;
  requireOrg(ctx, orgId, 'ManageOrgServiceUsers');
  const body = bodyObject(ctx);
  const name = checkName(body);
  const rawRole = body.role === undefined || body.role === null ? 'member' : body.role;
  const role = typeof rawRole === 'string' ? rawRole.toLowerCase() : '';
  if (role !== 'admin' && role !== 'member')
    throw invalid(['body', 'role'], "Input should be 'admin' or 'member'", 'enum', rawRole);
  const { id, token } = mint(ctx, name, role, orgId, null);
  return { body: { id, name, role, org_id: orgId, created_at: sec(ctx.nowMs), api_key: token } };
}

function provision(ctx: Ctx, roles: RoleDef[], orgId: string | null): Reply {
  const body = bodyObject(ctx);
  const name = checkName(body);
  const roleId = body.role_id;
  if (roleId === undefined || roleId === null) throw invalid(['body', 'role_id'], 'Field required', 'missing');
  const role = roles.find((r) => r.role_id === roleId);
  if (!role)
    throw invalid(
      ['body', 'role_id'],
      `Unknown role: expected one of ${roles.map((r) => r.role_id).join(', ')}`,
      'value_error',
      roleId,
    );
  const ttl = body.ttl_seconds;
  if (ttl === undefined || ttl === null) throw invalid(['body', 'ttl_seconds'], 'Field required', 'missing');
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_S) {
    throw invalid(['body', 'ttl_seconds'], `Input should be an integer between 1 and ${MAX_TTL_S}`, 'value_error', ttl);
  }
  const expiresAtMs = ctx.nowMs + ttl * 1000;
  const { id, token } = mint(ctx, name, role.role, orgId, expiresAtMs);
  return {
    body: {
      service_user: {
        service_user_id: id,
        name,
        expires_at: sec(expiresAtMs),
        role_assignments: [
          { role: { role_id: role.role_id, role_name: role.role_name, role_type: role.role_type }, org_id: orgId },
        ],
      },
      token,
    },
  };
}

/** `GET /enterprise/members/service-users` (§3.6): every service user the sandbox has minted, once each. */
function listServiceUsers(ctx: Ctx): Reply {
  requireEnterprise(ctx, 'ManageAccountServiceUsers');
  const seen = new Set<string>();
  const rows = [...ctx.store.principals.values()].filter(
    (principal) => principal.principalType === 'service_user' && !seen.has(principal.id) && seen.add(principal.id),
  );
  return {
    body: paginate(ctx.query, rows, (principal) => ({
      service_user_id: principal.id,
      name: principal.name,
      role_assignments: [{ org_id: principal.orgId }],
    })),
  };
}

export const serviceUserRoutes: Route[] = [
  { method: 'GET', pattern: '/enterprise/members/service-users', handler: listServiceUsers },
  { method: 'POST', pattern: '/organizations/:org_id/members/service-users', handler: createMemberServiceUser },
  {
    method: 'POST',
    pattern: '/organizations/:org_id/service-users',
    handler: (ctx) => {
      requireOrg(ctx, ctx.params.org_id as string, 'ManageOrgServiceUsers');
      return provision(ctx, ORG_ROLES, ctx.params.org_id as string);
    },
  },
  {
    method: 'POST',
    pattern: '/enterprise/service-users',
    handler: (ctx) => {
      requireEnterprise(ctx, 'ManageAccountServiceUsers');
      return provision(ctx, ENTERPRISE_ROLES, null);
    },
  },
];
