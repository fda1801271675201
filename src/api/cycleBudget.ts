import { currentCycle, type CycleBudget } from '../core/cycleBudget';
import type { DevinClient } from './client';
import { isDevinApiError } from './errors';
import { schemas } from './schemaLoader';

/**
 * The current billing cycle's bounds (`/consumption/cycles`), the enterprise's Devin ACU limit
 * (`/consumption/acu-limits/devin`) and the ACUs used since the cycle began (`/consumption/daily`), §3.4.
 */

const BILLING = 'ManageBilling (or ViewAccountConsumption)';

export async function fetchCycleBudget(client: DevinClient, signal?: AbortSignal): Promise<CycleBudget | undefined> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const options = { signal, permission: BILLING } as const;
  const cycles = await client.requestJson('GET', '/enterprise/consumption/cycles', schemas().billingCyclesSchema, {
    ...options,
    query: { first: 24 },
  });
  const cycle = currentCycle(
    cycles.items.map((item) => ({ after: Number(item.after), before: Number(item.before) })),
    nowSeconds,
  );
  if (!cycle) return undefined;
  const [limitAcus, used] = await Promise.all([
    enterpriseLimit(client, signal),
    client.requestJson('GET', '/enterprise/consumption/daily', schemas().dailyConsumptionSchema, {
      ...options,
      query: { time_after: cycle.after, time_before: Math.min(cycle.before, nowSeconds) },
    }),
  ]);
  return { cycleStart: cycle.after, cycleEnd: cycle.before, usedAcus: Number(used.total_acus ?? 0), limitAcus };
}

/** A token that can read consumption but not limits still gets its usage, without a percentage. */
async function enterpriseLimit(client: DevinClient, signal?: AbortSignal): Promise<number | undefined> {
  try {
    const limits = await client.requestJson(
      'GET',
      '/enterprise/consumption/acu-limits/devin',
      schemas().acuLimitsSchema,
      {
        query: { first: 200 },
        signal,
        permission: BILLING,
      },
    );
    const enterprise = limits.items.find((item) => (item.scope ?? 'enterprise') === 'enterprise' && !item.org_id);
    const value = Number(enterprise?.cycle_acu_limit);
    return Number.isFinite(value) && value > 0 ? value : undefined;
  } catch (error) {
    if (isDevinApiError(error) && (error.kind === 'forbidden' || error.kind === 'notFound')) return undefined;
    throw error;
  }
}
