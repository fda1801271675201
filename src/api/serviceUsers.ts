import type { CreatedServiceUser } from '../core/models';
import type { DevinClient } from './client';
import { DevinApiError, isDevinApiError } from './errors';
import { schemas } from './schemaLoader';
import type * as Schemas from './schemas';

/**
 * Service-user provisioning and the roles it assigns. Provisioning has not been promoted from beta
 * (§4.11, §5 of the reference), so these paths carry their own `/v3beta1` prefix whatever the
 * `devin.apiVersion` setting says; the role list was promoted and follows the setting.
 */

/** The longest key lifetime the provisioning endpoint accepts (365 days). */
export const MAX_SERVICE_USER_TTL_SECONDS = 31_536_000;
export const SERVICE_USER_TTL_DAYS = [30, 90, 365] as const;

export interface Role {
  readonly id: string;
  readonly name: string;
  /** `org`, `enterprise` or `account`; unknown values pass through. */
  readonly type: string;
}

export interface AssignableRoles {
  readonly roles: readonly Role[];
  /** Where the list came from: the enterprise's roles, the organization's, or the documented built-in ones. */
  readonly source: 'enterprise' | 'organization' | 'builtIn';
}

/** The two roles every organization has (the ids the role list documents), for tokens that cannot list roles. */
export const BUILT_IN_ORG_ROLES: readonly Role[] = [
  { id: 'org_member', name: 'Member', type: 'org' },
  { id: 'org_admin', name: 'Admin', type: 'org' },
];

export interface CreateServiceUserRequest {
  readonly name: string;
  readonly roleId: string;
  /** Shown in the role picker; the older call takes a role name (`admin`, `member`) rather than an id. */
  readonly roleName?: string;
  readonly ttlSeconds: number;
}

const ROLES_PERMISSION = 'ManageAccountMembership';
const SERVICE_USERS_PERMISSION = 'ManageOrgServiceUsers';

/**
 * The roles a new organization service user can get. The enterprise role list needs
 * `ManageAccountMembership`; a token without it tries the organization's own list (UNCONFIRMED path,
 * `GET …/organizations/{org}/roles`), and failing both, the built-in Admin and Member roles.
 */
export async function listAssignableRoles(
  client: DevinClient,
  orgId: string,
  signal?: AbortSignal,
): Promise<AssignableRoles> {
  const attempts: [AssignableRoles['source'], string][] = [
    ['enterprise', '/enterprise/roles'],
    ['organization', `/organizations/${encodeURIComponent(orgId)}/roles`],
  ];
  for (const [source, path] of attempts) {
    try {
      const wire = await client.requestJson('GET', path, schemas().roleListSchema, {
        query: { first: 200 },
        signal,
        permission: ROLES_PERMISSION,
      });
      const items = Array.isArray(wire) ? wire : 'items' in wire ? wire.items : wire.roles;
      const roles = items.map((item) => ({
        id: String(item.role_id),
        name: item.role_name ?? String(item.role_id),
        type: item.role_type ?? 'org',
      }));
      // An organization service user can only hold an organization-level role.
      const orgRoles = roles.filter((role) => role.type === 'org');
      if (orgRoles.length > 0) return { roles: orgRoles, source };
    } catch (error) {
      if (!isDevinApiError(error) || !['forbidden', 'notFound'].includes(error.kind)) throw error;
    }
  }
  return { roles: BUILT_IN_ORG_ROLES, source: 'builtIn' };
}

export async function createServiceUser(
  client: DevinClient,
  orgId: string,
  request: CreateServiceUserRequest,
  signal?: AbortSignal,
): Promise<CreatedServiceUser> {
  if (
    !Number.isInteger(request.ttlSeconds) ||
    request.ttlSeconds < 1 ||
    request.ttlSeconds > MAX_SERVICE_USER_TTL_SECONDS
  )
    throw new RangeError(`A key lifetime must be between 1 second and 365 days (${MAX_SERVICE_USER_TTL_SECONDS} s).`);
  const org = `/v3beta1/organizations/${encodeURIComponent(orgId)}`;
  const options = { signal, permission: SERVICE_USERS_PERMISSION, absolute: true } as const;
  let path = `${org}/service-users`;
  let wire: Schemas.CreatedServiceUserWire;
  try {
    wire = await client.requestJson('POST', path, schemas().createdServiceUserSchema, {
      ...options,
      body: { name: request.name, role_id: request.roleId, ttl_seconds: request.ttlSeconds },
    });
  } catch (error) {
    if (!isDevinApiError(error) || error.kind !== 'notFound') throw error;
    // Deployments that predate the provisioning endpoint still answer the specification's call.
    path = `${org}/members/service-users`;
    wire = await client.requestJson('POST', path, schemas().createdServiceUserSchema, {
      ...options,
      body: { name: request.name, role: legacyRoleName(request) },
    });
  }
  const id = wire.service_user?.service_user_id ?? wire.id;
  const token = wire.token ?? wire.api_key;
  if (id === undefined || id === null || !token)
    throw new DevinApiError({ kind: 'malformed', endpoint: `POST ${path}` });
  return { id: String(id), name: wire.service_user?.name ?? wire.name ?? request.name, token };
}

/** The older call names roles `admin` or `member`; a custom role keeps its id. */
function legacyRoleName(request: CreateServiceUserRequest): string {
  const label = `${request.roleName ?? ''} ${request.roleId}`.toLowerCase();
  if (/admin/.test(label)) return 'admin';
  if (/member/.test(label)) return 'member';
  return request.roleId;
}
