import type * as vscode from 'vscode';
import type { DevinClient } from '../api/client';
import type { CycleBudget } from '../core/cycleBudget';
import type { Organization } from '../core/models';

/** What the consumption panel and its session table read from: the account, its scope and its billing cycle. */

export type ConsumptionScope =
  { kind: 'enterprise'; organizations: readonly Organization[] } | { kind: 'organization'; organization: Organization };

export interface ConsumptionSource {
  /** Throws DevinApiError({kind: 'signedOut'}) when signed out. */
  getClient(): DevinClient;
  getScope(signal?: AbortSignal): Promise<ConsumptionScope>;
  /** The current billing cycle against the enterprise's limit; undefined where it does not apply. */
  getCycleBudget?(signal?: AbortSignal): Promise<CycleBudget | undefined>;
  /** Sign-in, sign-out and connection changes: what the panel shows belonged to the previous account. */
  readonly onDidChangeAccount?: vscode.Event<void>;
}
