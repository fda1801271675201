import * as l10n from '@vscode/l10n';
import type * as vscode from 'vscode';
import type { DevinClient } from '../api/client';
import { fetchEnterpriseConsumption, fetchOrganizationConsumption } from '../api/consumptionEndpoints';
import { DevinApiError } from '../api/errors';
import type { ConsumptionFetcher } from '../core/consumptionLoader';
import { shapeConsumption } from '../core/consumptionSeries';
import { summarizeCycle, type CycleBudget } from '../core/cycleBudget';
import type { Organization } from '../core/models';
import type { BudgetView } from '../shared/consumptionProtocol';

/**
 * What the consumption panel and its session table read from (the account, its scope and its billing cycle),
 * and the chart's and the billing-cycle bar's reads over it. Nothing here needs VS Code at run time, so the
 * chart's read is tested in plain Node.
 */

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

/** The chart's read: the scope's organizations' daily consumption over the range, shaped for the page. */
export function consumptionFetcher(source: ConsumptionSource): ConsumptionFetcher {
  return async (range, signal, onProgress) => {
    const client = source.getClient();
    const scope = await source.getScope(signal);
    const request = { range, signal, onProgress };
    const organizations =
      scope.kind === 'enterprise'
        ? await fetchEnterpriseConsumption(client, scope.organizations, request)
        : await fetchOrganizationConsumption(client, scope.organization, request);
    return shapeConsumption(range, scope.kind, organizations);
  };
}

/** The billing-cycle bar beside the chart: null where it does not apply or the token may not read billing. */
export async function readBudgetView(source: ConsumptionSource, nowSeconds: number): Promise<BudgetView | null> {
  try {
    const cycle = await source.getCycleBudget?.();
    if (!cycle) return null;
    const summary = summarizeCycle(cycle, nowSeconds);
    return { percent: summary.percent, level: summary.level, text: summary.text };
  } catch (error) {
    // Without billing access the bar is simply absent; other failures are said where it would be.
    if (error instanceof DevinApiError && (error.kind === 'forbidden' || error.kind === 'notFound')) return null;
    return { percent: undefined, level: 'unlimited', text: describeConsumptionFailure(error) };
  }
}

/** What the panel shows for a failed read. */
export function describeConsumptionFailure(error: unknown): string {
  if (error instanceof DevinApiError) return error.message;
  return error instanceof Error
    ? l10n.t('Could not load consumption: {0}', error.message)
    : l10n.t('Could not load consumption.');
}
