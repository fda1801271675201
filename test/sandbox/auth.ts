// Principals, their permissions and the checks routes use. Permission names follow §1.2 of the
// reference so 403 details read like the real API's.

import type { Ctx } from './http';
import { legacy, problem } from './http';
import type { Store } from './data';
import { SANDBOX_IDENTITIES, SANDBOX_MEMBER_ORG_IDS, SANDBOX_ORG_SERVICE_USER_ORG_ID, SANDBOX_TOKENS } from './tokens';

export type PrincipalLabel = 'enterprise-admin' | 'member' | 'org-service-user';
export type AuthLabel = PrincipalLabel | 'invalid' | 'none';

export interface Principal {
  label: PrincipalLabel;
  principalType: 'service_user' | 'pat_user';
  /** service_user_id or user_id */
  id: string;
  name: string;
  email: string | null;
  role: 'admin' | 'member';
  /** org the credential is bound to (null for enterprise-wide principals and PATs) */
  orgId: string | null;
  enterprisePerms: ReadonlySet<string>;
  /** org id -> org-level permissions; 'all' means the org permissions apply to every org */
  orgs: 'all' | ReadonlyMap<string, ReadonlySet<string>>;
  allOrgPerms?: ReadonlySet<string>;
  apiKeyId?: string;
  apiKeyName?: string;
  /** unix ms after which the key is rejected */
  expiresAtMs?: number | null;
}

export const ENTERPRISE_PERMS: ReadonlySet<string> = new Set([
  'ReadAccountMeta',
  'ManageEnterpriseSettings',
  'ManageOrganizations',
  'ManageAccountMembership',
  'ManageAccountServiceUsers',
  'ManageAccountKnowledge',
  'ManageAccountPlaybooks',
  'ManageBilling',
  'ViewAccountConsumption',
  'ViewAccountMetrics',
  'ViewAccountSessions',
  'ManageAccountSessions',
]);

export const ORG_ADMIN_PERMS: ReadonlySet<string> = new Set([
  'ViewOrgSessions',
  'ManageOrgSessions',
  'UseDevinSessions',
  'ImpersonateOrgSessions',
  'ViewOrgKnowledge',
  'ManageAccountKnowledge',
  'ManageBilling',
  'ManageOrgServiceUsers',
  'ManageOrgSecrets',
  'ManageOrgSchedules',
  'ViewOrgMembership',
]);

export const ORG_MEMBER_PERMS: ReadonlySet<string> = new Set([
  'ViewOrgSessions',
  'ManageOrgSessions',
  'UseDevinSessions',
  'ViewOrgKnowledge',
]);

/** Reads sessions and Knowledge, changes nothing: the role that meets 403s on archive, stop and tags. */
export const ORG_VIEWER_PERMS: ReadonlySet<string> = new Set(['ViewOrgSessions', 'ViewOrgKnowledge']);

const META_ONLY: ReadonlySet<string> = new Set(['ReadAccountMeta']);

function orgMap(orgIds: readonly string[], perms: ReadonlySet<string>): ReadonlyMap<string, ReadonlySet<string>> {
  return new Map(orgIds.map((id) => [id, perms]));
}

export function fixedPrincipals(): Map<string, Principal> {
  const ids = SANDBOX_IDENTITIES;
  return new Map<string, Principal>([
    [
      SANDBOX_TOKENS.enterpriseAdmin,
      {
        label: 'enterprise-admin',
        principalType: 'service_user',
        id: ids.enterpriseAdmin.serviceUserId,
        name: ids.enterpriseAdmin.name,
        email: null,
        role: 'admin',
        orgId: null,
        enterprisePerms: ENTERPRISE_PERMS,
        orgs: 'all',
        allOrgPerms: ORG_ADMIN_PERMS,
      },
    ],
    [
      SANDBOX_TOKENS.member,
      {
        label: 'member',
        principalType: 'pat_user',
        id: ids.member.userId,
        name: ids.member.userName,
        email: ids.member.email,
        role: 'member',
        orgId: null,
        enterprisePerms: META_ONLY,
        orgs: orgMap(SANDBOX_MEMBER_ORG_IDS, ORG_MEMBER_PERMS),
        apiKeyId: ids.member.apiKeyId,
        apiKeyName: ids.member.apiKeyName,
      },
    ],
    [
      SANDBOX_TOKENS.orgServiceUser,
      {
        label: 'org-service-user',
        principalType: 'service_user',
        id: ids.orgServiceUser.serviceUserId,
        name: ids.orgServiceUser.name,
        email: null,
        role: 'admin',
        orgId: SANDBOX_ORG_SERVICE_USER_ORG_ID,
        enterprisePerms: META_ONLY,
        orgs: orgMap([SANDBOX_ORG_SERVICE_USER_ORG_ID], ORG_ADMIN_PERMS),
      },
    ],
    [
      SANDBOX_TOKENS.expired,
      {
        label: 'org-service-user',
        principalType: 'service_user',
        id: 'service-user-sandbox-expired',
        name: 'expired-bot',
        email: null,
        role: 'member',
        orgId: SANDBOX_ORG_SERVICE_USER_ORG_ID,
        enterprisePerms: META_ONLY,
        orgs: orgMap([SANDBOX_ORG_SERVICE_USER_ORG_ID], ORG_MEMBER_PERMS),
        expiresAtMs: 0,
      },
    ],
    [
      SANDBOX_TOKENS.orgViewer,
      {
        label: 'org-service-user',
        principalType: 'service_user',
        id: ids.orgViewer.serviceUserId,
        name: ids.orgViewer.name,
        email: null,
        role: 'member',
        orgId: SANDBOX_ORG_SERVICE_USER_ORG_ID,
        enterprisePerms: META_ONLY,
        orgs: orgMap([SANDBOX_ORG_SERVICE_USER_ORG_ID], ORG_VIEWER_PERMS),
      },
    ],
  ]);
}

/** Builds the principal behind a key minted by one of the service-user endpoints. */
export function serviceUserPrincipal(opts: {
  id: string;
  name: string;
  role: 'admin' | 'member';
  orgId: string | null;
  expiresAtMs: number | null;
}): Principal {
  const perms = opts.role === 'admin' ? ORG_ADMIN_PERMS : ORG_MEMBER_PERMS;
  if (opts.orgId === null) {
    return {
      label: opts.role === 'admin' ? 'enterprise-admin' : 'member',
      principalType: 'service_user',
      id: opts.id,
      name: opts.name,
      email: null,
      role: opts.role,
      orgId: null,
      enterprisePerms: opts.role === 'admin' ? ENTERPRISE_PERMS : META_ONLY,
      orgs: 'all',
      allOrgPerms: perms,
      expiresAtMs: opts.expiresAtMs,
    };
  }
  return {
    label: 'org-service-user',
    principalType: 'service_user',
    id: opts.id,
    name: opts.name,
    email: null,
    role: opts.role,
    orgId: opts.orgId,
    enterprisePerms: META_ONLY,
    orgs: orgMap([opts.orgId], perms),
    expiresAtMs: opts.expiresAtMs,
  };
}

export type Resolution = { principal: Principal } | { error: 'none' | 'invalid' | 'expired' };

export function resolveAuth(header: string | undefined, store: Store, nowMs: number): Resolution {
  if (!header) return { error: 'none' };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return { error: 'invalid' };
  const principal = store.principals.get(match[1] as string);
  if (!principal) return { error: 'invalid' };
  if (principal.expiresAtMs !== undefined && principal.expiresAtMs !== null && nowMs >= principal.expiresAtMs) {
    return { error: 'expired' };
  }
  return { principal };
}

export function unauthorized(error: 'none' | 'invalid' | 'expired'): ReturnType<typeof legacy> {
  if (error === 'none') return legacy(401, 'Not authenticated: missing Authorization: Bearer header');
  if (error === 'expired') return legacy(401, 'API key has expired');
  return legacy(401, 'Invalid API key');
}

function forbidden(ctx: Ctx, permission: string): ReturnType<typeof problem> {
  return problem(403, 'Forbidden', `Missing permission: ${permission}`, `/${ctx.version}${ctx.path}`);
}

export function requireEnterprise(ctx: Ctx, permission: string): void {
  if (!ctx.principal.enterprisePerms.has(permission)) throw forbidden(ctx, permission);
}

export function orgPerms(principal: Principal, orgId: string): ReadonlySet<string> | undefined {
  if (principal.orgs === 'all') return principal.allOrgPerms;
  return principal.orgs.get(orgId);
}

export function hasOrgPerm(principal: Principal, orgId: string, permission: string): boolean {
  return orgPerms(principal, orgId)?.has(permission) ?? false;
}

/** 404 for unknown orgs, legacy-shaped 403 for orgs the principal can't see, problem+json 403 for a missing permission. */
export function requireOrg(ctx: Ctx, orgId: string, permission: string): void {
  if (!ctx.store.orgs.has(orgId)) throw legacy(404, `Organization ${orgId} not found`);
  const perms = orgPerms(ctx.principal, orgId);
  if (!perms) throw legacy(403, `Not authorized to access organization ${orgId}`);
  if (!perms.has(permission)) throw forbidden(ctx, permission);
}
