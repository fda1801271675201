import * as l10n from '@vscode/l10n';

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

export const ALL_CAPABILITIES: readonly Capability[] = [
  'manageOrganizations',
  'manageServiceUsers',
  'viewAuditLog',
  'viewBilling',
  'manageSchedules',
  'viewKnowledge',
];

export function allCapabilities(state: CapabilityState): Capabilities {
  return Object.fromEntries(ALL_CAPABILITIES.map((capability) => [capability, state])) as Record<
    Capability,
    CapabilityState
  >;
}

/** What a command says instead of failing after input: the permission Devin checks and who can grant it. */
export function missingPermissionMessage(capability: Capability): string {
  switch (capability) {
    case 'manageOrganizations':
      return l10n.t(
        'Your Devin token cannot create or manage organizations: its role lacks the {0} permission. Ask an enterprise administrator (Enterprise settings → Roles or Service users) to grant it, or sign in with a token that has it.',
        'ManageOrganizations',
      );
    case 'manageServiceUsers':
      return l10n.t(
        'Your Devin token cannot create service users: its role lacks the {0} permission. Ask an administrator of the organization (Settings → Service users), or an enterprise administrator to grant it, or sign in with a token that has it.',
        l10n.t('{0} (or {1} enterprise-wide)', 'ManageOrgServiceUsers', 'ManageAccountServiceUsers'),
      );
    case 'viewAuditLog':
      return l10n.t(
        'Your Devin token cannot read the audit log: its role lacks the {0} permission. Ask an enterprise administrator (Enterprise settings → Roles) to grant it, or sign in with a token that has it.',
        'ManageEnterpriseSettings',
      );
    case 'viewBilling':
      return l10n.t(
        'Your Devin token cannot read ACU consumption and limits: its role lacks the {0} permission. Ask an enterprise administrator, or an administrator of the organization for its own consumption to grant it, or sign in with a token that has it.',
        l10n.t('{0} (or {1})', 'ManageBilling', 'ViewAccountConsumption'),
      );
    case 'manageSchedules':
      return l10n.t(
        'Your Devin token cannot manage scheduled sessions: its role lacks the {0} permission. Ask an administrator of the organization (Settings → Roles) to grant it, or sign in with a token that has it.',
        'ManageOrgSchedules',
      );
    case 'viewKnowledge':
      return l10n.t(
        'Your Devin token cannot read Knowledge notes: its role lacks the {0} permission. Ask an administrator of the organization (Settings → Roles) to grant it, or sign in with a token that has it.',
        // The docs name the organization's Knowledge permission inconsistently (§1.2 of the reference).
        l10n.t('{0} ({1} to change notes)', 'ViewOrgKnowledge', 'ManageAccountKnowledge'),
      );
  }
}

/** Menus show what is granted or unknown; only a definite "denied" hides a command. */
export function isUsable(state: CapabilityState | undefined): boolean {
  return state !== 'denied';
}
