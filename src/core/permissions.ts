/**
 * What a token may do, grouped the way the extension's commands need it. Each group names the permission
 * Devin checks (§1.2 of the API reference) and who can grant it, so a command the token cannot use says
 * so before asking for any input.
 */

export type Capability =
  'manageOrganizations' | 'manageServiceUsers' | 'viewAuditLog' | 'viewBilling' | 'manageSchedules' | 'viewKnowledge';

/** `unknown` (the probe could not tell) never hides anything: the API's own 403 remains the last word. */
export type CapabilityState = 'granted' | 'denied' | 'unknown';

export type Capabilities = Readonly<Record<Capability, CapabilityState>>;

export interface CapabilityInfo {
  /** What the user tried to do, completing "Your Devin token cannot …". */
  readonly action: string;
  readonly permission: string;
  readonly grantedBy: string;
}

export const CAPABILITIES: Readonly<Record<Capability, CapabilityInfo>> = {
  manageOrganizations: {
    action: 'create or manage organizations',
    permission: 'ManageOrganizations',
    grantedBy: 'an enterprise administrator (Enterprise settings → Roles or Service users)',
  },
  manageServiceUsers: {
    action: 'create service users',
    permission: 'ManageOrgServiceUsers (or ManageAccountServiceUsers enterprise-wide)',
    grantedBy: 'an administrator of the organization (Settings → Service users), or an enterprise administrator',
  },
  viewAuditLog: {
    action: 'read the audit log',
    permission: 'ManageEnterpriseSettings',
    grantedBy: 'an enterprise administrator (Enterprise settings → Roles)',
  },
  viewBilling: {
    action: 'read ACU consumption and limits',
    permission: 'ManageBilling (or ViewAccountConsumption)',
    grantedBy: 'an enterprise administrator, or an administrator of the organization for its own consumption',
  },
  manageSchedules: {
    action: 'manage scheduled sessions',
    permission: 'ManageOrgSchedules',
    grantedBy: 'an administrator of the organization (Settings → Roles)',
  },
  viewKnowledge: {
    action: 'read Knowledge notes',
    // The docs name the organization's Knowledge permission inconsistently (§1.2 of the reference).
    permission: 'ViewOrgKnowledge (ManageAccountKnowledge to change notes)',
    grantedBy: 'an administrator of the organization (Settings → Roles)',
  },
};

export const ALL_CAPABILITIES = Object.keys(CAPABILITIES) as Capability[];

export function allCapabilities(state: CapabilityState): Capabilities {
  return Object.fromEntries(ALL_CAPABILITIES.map((capability) => [capability, state])) as Record<
    Capability,
    CapabilityState
  >;
}

/** What a command says instead of failing after input. */
export function missingPermissionMessage(capability: Capability): string {
  const info = CAPABILITIES[capability];
  return (
    `Your Devin token cannot ${info.action}: its role lacks the ${info.permission} permission. ` +
    `Ask ${info.grantedBy} to grant it, or sign in with a token that has it.`
  );
}

/** Menus show what is granted or unknown; only a definite "denied" hides a command. */
export function isUsable(state: CapabilityState | undefined): boolean {
  return state !== 'denied';
}
