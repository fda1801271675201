import type * as z from 'zod/mini';
import type { Organization } from '../core/models';
import { dayOfMarker, type OrganizationConsumption, type ResolvedRange } from '../core/consumptionSeries';
import { mapBounded, type LoadProgress } from '../core/consumptionLoader';
import type { ProductAcus } from '../shared/consumptionProtocol';
import { PERMISSIONS, type DevinClient } from './client';
import { DevinApiError } from './errors';
import { schemas } from './schemaLoader';
import type { bulkConsumptionSchema, dailyConsumptionSchema, productSchema } from './schemas';

/**
 * The consumption endpoints, beside the client rather than in it. Two shapes exist: the current
 * per-organization daily series (§3.4 of the reference) and the specification's bulk list with
 * `start_date`/`end_date` (§8). Both are parsed leniently: unknown fields pass, products may be missing
 * or null, numbers may arrive as strings.
 */

/** Requests in flight at once for one range: enough to be quick, few enough not to trip rate limits. */
export const CONSUMPTION_CONCURRENCY = 4;
const MAX_BULK_PAGES = 50;

export interface ConsumptionRequest {
  readonly range: ResolvedRange;
  readonly signal?: AbortSignal;
  readonly concurrency?: number;
  readonly onProgress?: (progress: LoadProgress) => void;
}

/**
 * Every organization of an enterprise. The version picks the shape tried first (the specification's
 * bulk call on v3beta1, the documented per-organization call on v3); a 404 tries the other one.
 */
export async function fetchEnterpriseConsumption(
  client: DevinClient,
  organizations: readonly Organization[],
  request: ConsumptionRequest,
): Promise<OrganizationConsumption[]> {
  const perOrganization = () => fetchPerOrganization(client, organizations, request);
  const bulk = () => fetchBulk(client, organizations, request);
  const [first, second] = client.apiVersion === 'v3beta1' ? [bulk, perOrganization] : [perOrganization, bulk];
  try {
    return await first();
  } catch (error) {
    if (!(error instanceof DevinApiError) || error.kind !== 'notFound') throw error;
    return second();
  }
}

/** Organization-scoped tokens see their own organization only. */
export async function fetchOrganizationConsumption(
  client: DevinClient,
  organization: Organization,
  request: ConsumptionRequest,
): Promise<OrganizationConsumption[]> {
  request.onProgress?.({ completed: 0, total: 1 });
  const path = `/organizations/${encodeURIComponent(organization.id)}/consumption/daily`;
  const wire = await client.getJson(path, schemas().dailyConsumptionSchema, {
    query: timeQuery(request.range),
    signal: request.signal,
    permission: PERMISSIONS.billing,
  });
  requireDailySeries(client, path, wire);
  request.onProgress?.({ completed: 1, total: 1 });
  return [toOrganizationConsumption(organization, wire)];
}

async function fetchPerOrganization(
  client: DevinClient,
  organizations: readonly Organization[],
  request: ConsumptionRequest,
): Promise<OrganizationConsumption[]> {
  let completed = 0;
  request.onProgress?.({ completed, total: organizations.length });
  return mapBounded(
    organizations,
    request.concurrency ?? CONSUMPTION_CONCURRENCY,
    request.signal,
    async (organization, signal) => {
      const path = `/enterprise/consumption/daily/organizations/${encodeURIComponent(organization.id)}`;
      const wire = await client.getJson(path, schemas().dailyConsumptionSchema, {
        query: timeQuery(request.range),
        signal,
        permission: PERMISSIONS.billing,
      });
      requireDailySeries(client, path, wire);
      completed += 1;
      request.onProgress?.({ completed, total: organizations.length });
      return toOrganizationConsumption(organization, wire);
    },
  );
}

async function fetchBulk(
  client: DevinClient,
  organizations: readonly Organization[],
  request: ConsumptionRequest,
): Promise<OrganizationConsumption[]> {
  request.onProgress?.({ completed: 0, total: 1 });
  const rows: z.infer<typeof bulkConsumptionSchema>['data'] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_BULK_PAGES; page += 1) {
    const wire = await client.getJson('/enterprise/consumption/daily/organizations', schemas().bulkConsumptionSchema, {
      query: { start_date: request.range.start, end_date: request.range.end, after },
      signal: request.signal,
      permission: PERMISSIONS.billing,
    });
    rows.push(...wire.data);
    // An empty page or a cursor handed back unchanged cannot lead anywhere new.
    if (!wire.has_next_page || !wire.end_cursor || wire.data.length === 0 || wire.end_cursor === after) break;
    after = wire.end_cursor;
  }
  request.onProgress?.({ completed: 1, total: 1 });
  return groupBulkRows(organizations, rows);
}

/**
 * Matches bulk rows to the known organizations by id, else by name (the specification's example rows
 * carry only `organization_name`). Known organizations without rows still appear, with zero.
 */
export function groupBulkRows(
  organizations: readonly Organization[],
  rows: z.infer<typeof bulkConsumptionSchema>['data'],
): OrganizationConsumption[] {
  const byKey = new Map<string, { id: string; name: string; entries: OrganizationConsumption['entries'][number][] }>();
  const nameToId = new Map<string, string>();
  for (const organization of organizations) {
    byKey.set(organization.id, { id: organization.id, name: organization.name, entries: [] });
    nameToId.set(organization.name, organization.id);
  }
  for (const row of rows) {
    const rawId = row.organization_id ?? row.org_id;
    const name = row.organization_name ?? undefined;
    const id =
      rawId !== undefined && rawId !== null
        ? String(rawId)
        : name !== undefined
          ? (nameToId.get(name) ?? `name:${name}`)
          : undefined;
    if (id === undefined) continue;
    const group = byKey.get(id) ?? { id, name: name ?? id, entries: [] };
    byKey.set(id, group);
    const hasDate = row.date !== undefined && row.date !== null;
    const day = hasDate ? dayOfMarker(row.date as string | number) : undefined;
    if (hasDate && day === undefined) continue;
    group.entries.push({ day, acus: toNumber(row.acus_used ?? row.acus), byProduct: toProducts(row.acus_by_product) });
  }
  return [...byKey.values()];
}

function toOrganizationConsumption(
  organization: Organization,
  wire: z.infer<typeof dailyConsumptionSchema>,
): OrganizationConsumption {
  const entries: OrganizationConsumption['entries'][number][] = [];
  for (const item of wire.consumption_by_date ?? []) {
    const day = dayOfMarker(item.date);
    if (day === undefined) continue;
    entries.push({ day, acus: toNumber(item.acus), byProduct: toProducts(item.acus_by_product) });
  }
  return { id: organization.id, name: organization.name, entries };
}

/**
 * Every field of the daily shape is optional, so any JSON object parses; one with neither the series nor the
 * total is not an answer about consumption, and drawing it as zero would tell the user nothing was spent.
 */
function requireDailySeries(client: DevinClient, path: string, wire: z.infer<typeof dailyConsumptionSchema>): void {
  const hasSeries = Array.isArray(wire.consumption_by_date);
  const hasTotal = wire.total_acus !== undefined && wire.total_acus !== null;
  if (!hasSeries && !hasTotal)
    throw new DevinApiError({ kind: 'malformed', unexpectedShape: true, endpoint: `GET /${client.apiVersion}${path}` });
}

function timeQuery(range: ResolvedRange): Record<string, number> {
  return { time_after: range.timeAfter, time_before: range.timeBefore };
}

function toNumber(value: number | string | null | undefined): number {
  const number = typeof value === 'string' ? Number(value) : (value ?? 0);
  return Number.isFinite(number) ? number : 0;
}

function toProducts(wire: z.infer<typeof productSchema> | null | undefined): ProductAcus | undefined {
  if (!wire) return undefined;
  const products: ProductAcus = {};
  for (const product of ['devin', 'cascade', 'terminal', 'review'] as const) {
    const value = wire[product];
    if (value !== undefined && value !== null) products[product] = toNumber(value);
  }
  return products;
}
