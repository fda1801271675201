import type { Capabilities, Capability, CapabilityState } from '../core/permissions';
import type { DevinClient } from './client';
import { isDevinApiError } from './errors';

/**
 * Learns what a token may do with one cheap call per permission group. The API exposes no "my
 * permissions" call a member can make (role assignments are readable only with
 * `ManageAccountMembership`), so each group is probed with the smallest read it guards: the first item
 * of a list. A 403 means denied; anything else that is not a success (404 on a deployment without the
 * endpoint, a network failure) leaves the group unknown, which hides nothing.
 */

export interface ProbeScope {
  /** The organization to probe organization-level groups in (the token's own, or the configured one). */
  readonly orgId?: string;
  /**
   * A service user bound to one organization: enterprise-level permissions cannot be granted to it, so the
   * enterprise endpoints are not probed at all (and its organization's are).
   */
  readonly organizationBound?: boolean;
}

type Probe = (client: DevinClient, scope: ProbeScope, signal?: AbortSignal) => Promise<CapabilityState>;

const FIRST_ONLY = { first: 1 } as const;
const DAY_S = 86_400;

async function classify(call: () => Promise<unknown>, grantedOn: readonly string[] = []): Promise<CapabilityState> {
  try {
    await call();
    return 'granted';
  } catch (error) {
    if (!isDevinApiError(error)) return 'unknown';
    if (error.kind === 'forbidden') return 'denied';
    // A rejected body means the permission check already passed.
    if (grantedOn.includes(error.kind)) return 'granted';
    return 'unknown';
  }
}

/** The first state that is not `denied`, trying each call in turn (enterprise-wide, then the organization). */
async function anyOf(...calls: (() => Promise<CapabilityState>)[]): Promise<CapabilityState> {
  let last: CapabilityState = 'unknown';
  for (const call of calls) {
    last = await call();
    if (last !== 'denied') return last;
  }
  return last;
}

const org = (orgId: string) => `/organizations/${encodeURIComponent(orgId)}`;

const PROBES: Readonly<Record<Exclude<Capability, 'manageOrganizations'>, Probe>> = {
  viewAuditLog: (client, scope, signal) =>
    anyOf(
      // The organization's own audit log is an enterprise endpoint too (§3.3), so it is the one probed for a
      // token bound to that organization.
      ...(scope.organizationBound
        ? []
        : [
            () =>
              classify(() =>
                client.requestJson('GET', '/enterprise/audit-logs', undefined, { query: FIRST_ONLY, signal }),
              ),
          ]),
      ...(scope.orgId
        ? [
            () =>
              classify(() =>
                client.requestJson('GET', `/enterprise${org(scope.orgId as string)}/audit-logs`, undefined, {
                  query: FIRST_ONLY,
                  signal,
                }),
              ),
          ]
        : []),
    ),
  viewBilling: (client, scope, signal) =>
    anyOf(
      ...(scope.organizationBound
        ? []
        : [
            () =>
              classify(() =>
                client.requestJson('GET', '/enterprise/consumption/cycles', undefined, { query: FIRST_ONLY, signal }),
              ),
          ]),
      ...(scope.orgId
        ? [
            () => {
              const now = Math.floor(Date.now() / 1000);
              return classify(() =>
                client.requestJson('GET', `${org(scope.orgId as string)}/consumption/daily`, undefined, {
                  query: { time_after: now - DAY_S, time_before: now },
                  signal,
                }),
              );
            },
          ]
        : []),
    ),
  manageSchedules: (client, scope, signal) =>
    scope.orgId
      ? classify(() =>
          client.requestJson('GET', `${org(scope.orgId as string)}/schedules`, undefined, {
            query: FIRST_ONLY,
            signal,
          }),
        )
      : Promise.resolve('unknown'),
  viewKnowledge: (client, scope, signal) =>
    scope.orgId
      ? classify(() =>
          client.requestJson('GET', `${org(scope.orgId as string)}/knowledge/notes`, undefined, {
            query: FIRST_ONLY,
            signal,
          }),
        )
      : Promise.resolve('unknown'),
  // Provisioning has no read to probe, and a probe must never be a write: a server that checked the body before
  // the permission, or accepted defaults, would turn a look into an action. Unknown keeps the command visible;
  // a 403 then names the permission as any other refusal does.
  manageServiceUsers: () => Promise.resolve('unknown'),
};

export async function probeCapabilities(
  client: DevinClient,
  scope: ProbeScope,
  signal?: AbortSignal,
): Promise<Capabilities> {
  // Listing organizations is the organizations probe, and gives an enterprise token an organization to
  // probe the organization-level groups in.
  let firstOrgId: string | undefined;
  const manageOrganizations: CapabilityState = scope.organizationBound
    ? 'denied'
    : await classify(async () => {
        firstOrgId = (await client.listOrganizations({ first: 1, signal })).items[0]?.id;
      });
  const orgScope = { ...scope, orgId: scope.orgId ?? firstOrgId };
  const rest = await Promise.all(
    (Object.keys(PROBES) as (keyof typeof PROBES)[]).map(
      async (capability) => [capability, await PROBES[capability](client, orgScope, signal)] as const,
    ),
  );
  return { manageOrganizations, ...Object.fromEntries(rest) } as Record<Capability, CapabilityState>;
}
