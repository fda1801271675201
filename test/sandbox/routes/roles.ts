// Role lists for the service-user role picker. The enterprise list is documented (§3.6: `GET
// /v3/enterprise/roles`, `ManageAccountMembership`, paginated `{role_id, role_name, role_type}`); the
// organization's own list is UNCONFIRMED and modelled for organization-scoped administrators, who
// may provision service users but cannot read the enterprise's roles.

import { requireEnterprise, requireOrg } from '../auth';
import type { Ctx, Reply } from '../http';
import { paginate } from '../http';
import type { Route } from '../router';
import { ENTERPRISE_ROLES, ORG_ROLES, type RoleDef } from './service-users';

const render = (role: RoleDef) => ({ role_id: role.role_id, role_name: role.role_name, role_type: role.role_type });

function enterpriseRoles(ctx: Ctx): Reply {
  requireEnterprise(ctx, 'ManageAccountMembership');
  return { body: paginate(ctx.query, [...ENTERPRISE_ROLES, ...ORG_ROLES], render) };
}

function organizationRoles(ctx: Ctx): Reply {
  requireOrg(ctx, ctx.params.org_id as string, 'ManageOrgServiceUsers');
  return { body: paginate(ctx.query, ORG_ROLES, render) };
}

export const roleRoutes: Route[] = [
  { method: 'GET', pattern: '/enterprise/roles', handler: enterpriseRoles },
  { method: 'GET', pattern: '/organizations/:org_id/roles', handler: organizationRoles },
];
