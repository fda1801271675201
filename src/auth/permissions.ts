import * as vscode from 'vscode';
import { probeCapabilities } from '../api/permissionProbes';
import { ContextKey } from '../commandIds';
import {
  ALL_CAPABILITIES,
  allCapabilities,
  isUsable,
  type Capabilities,
  type Capability,
  type CapabilityState,
} from '../core/permissions';
import type { DevinAccount } from './account';
import type { TokenStore } from './tokenStore';

const CONTEXT_KEYS: Readonly<Record<Capability, string>> = {
  manageOrganizations: ContextKey.canManageOrganizations,
  manageServiceUsers: ContextKey.canManageServiceUsers,
  viewAuditLog: ContextKey.canViewAuditLog,
  viewBilling: ContextKey.canViewBilling,
  manageSchedules: ContextKey.canManageSchedules,
  viewKnowledge: ContextKey.canViewKnowledge,
};

/**
 * What the signed-in token may do, learnt once per token (and connection settings) after sign-in and
 * shown through `devin.can.*` context keys, so menus offer only what will work. The cache is keyed by a
 * hash of the token, never the token, and lives only in memory.
 */
export class TokenPermissions implements vscode.Disposable {
  private readonly cache = new Map<string, Promise<Capabilities>>();
  private current: Capabilities | undefined;
  private generation = 0;
  private readonly subscription: vscode.Disposable;
  private readonly changed = new vscode.EventEmitter<void>();
  /** The context keys were published again (a new token, or its probes answered). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly account: DevinAccount,
    private readonly tokens: TokenStore,
  ) {
    this.subscription = account.onDidChange(() => void this.refresh());
  }

  /** Probes (or reuses the cached answer for) the stored token and updates the context keys. */
  async refresh(): Promise<Capabilities | undefined> {
    const generation = ++this.generation;
    const capabilities = await this.load();
    // A sign-in or sign-out that happened meanwhile has started its own refresh.
    if (generation !== this.generation) return capabilities;
    this.current = capabilities;
    await this.publish(capabilities);
    this.changed.fire();
    return capabilities;
  }

  /** The state of one group for the stored token, waiting for the probes when they are still running. */
  async state(capability: Capability): Promise<CapabilityState> {
    return (await this.load())?.[capability] ?? 'unknown';
  }

  /** What the context keys say now (for tests and the status bar). */
  snapshot(): Readonly<Record<Capability, boolean>> | undefined {
    const current = this.current;
    if (!current) return undefined;
    return Object.fromEntries(
      ALL_CAPABILITIES.map((capability) => [capability, isUsable(current[capability])]),
    ) as Record<Capability, boolean>;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    this.cache.clear();
  }

  private async load(): Promise<Capabilities | undefined> {
    const token = await this.tokens.get();
    if (!token) return undefined;
    const settings = this.account.settings();
    const key = await sha256Hex([token, settings.apiBaseUrl, settings.apiVersion, settings.orgId ?? ''].join('\n'));
    let pending = this.cache.get(key);
    if (!pending) {
      pending = this.probe().catch(() => allCapabilities('unknown'));
      this.cache.set(key, pending);
      // A failed probe (network, rejected token) is not remembered: the next sign-in tries again.
      void pending.then((capabilities) => {
        if (ALL_CAPABILITIES.every((capability) => capabilities[capability] === 'unknown')) this.cache.delete(key);
      });
    }
    return pending;
  }

  private async probe(): Promise<Capabilities> {
    const identity = await this.account.getIdentity().catch(() => undefined);
    const orgId = this.account.settings().orgId ?? identity?.orgId;
    const organizationBound = identity?.kind === 'service_user' && identity.orgId !== undefined;
    return probeCapabilities(this.account.getClient(), { orgId, organizationBound });
  }

  private async publish(capabilities: Capabilities | undefined): Promise<void> {
    await Promise.all(
      ALL_CAPABILITIES.map((capability) =>
        vscode.commands.executeCommand(
          'setContext',
          CONTEXT_KEYS[capability],
          capabilities !== undefined && isUsable(capabilities[capability]),
        ),
      ),
    );
  }
}

/** Web Crypto rather than node:crypto, which activation does not load. */
async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
