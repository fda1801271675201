// ACU consumption (§3.4) plus the specification's bulk per-organization report (§8).

import { requireEnterprise, requireOrg } from '../auth';
import type { ProductAcus } from '../data';
import { DAY_OFFSET_S, DAY_S, dayLabel, dayStart } from '../data';
import type { Ctx, Reply } from '../http';
import { intParam, invalid, legacy, one, paginate, sec } from '../http';
import { advance } from '../live';
import { round2 } from '../prng';
import type { Route } from '../router';

type Days = Map<number, ProductAcus>;

/** Seeded history plus what sessions created in the sandbox have burnt since. */
function orgDays(ctx: Ctx, orgId: string): Days {
  const days: Days = new Map();
  for (const [day, p] of ctx.store.consumption.get(orgId) ?? []) days.set(day, { ...p });
  for (const s of ctx.store.sessions.values()) {
    if (s.org_id !== orgId || !s.createdInSandbox) continue;
    advance(ctx.store, s, ctx.nowMs);
    if (s.acus_consumed <= 0) continue;
    const day = dayStart(s.created_at);
    const entry = days.get(day) ?? { devin: 0, cascade: 0, terminal: 0, review: 0 };
    entry.devin = round2(entry.devin + s.acus_consumed);
    days.set(day, entry);
  }
  return days;
}

function total(p: ProductAcus): number {
  return round2(p.devin + p.cascade + p.terminal + p.review);
}

function mergeInto(target: Days, source: Days): void {
  for (const [day, p] of source) {
    const t = target.get(day) ?? { devin: 0, cascade: 0, terminal: 0, review: 0 };
    target.set(day, {
      devin: round2(t.devin + p.devin),
      cascade: round2(t.cascade + p.cascade),
      terminal: round2(t.terminal + p.terminal),
      review: round2(t.review + p.review),
    });
  }
}

/** ConsumptionResponse: only days whose start lies in [time_after, time_before), oldest first. */
function consumptionResponse(ctx: Ctx, days: Days): Reply {
  const after = intParam(ctx.query, 'time_after');
  const before = intParam(ctx.query, 'time_before');
  const rows = [...days.entries()]
    .filter(
      ([day, p]) => (after === undefined || day >= after) && (before === undefined || day < before) && total(p) > 0,
    )
    .sort((a, b) => a[0] - b[0])
    .map(([day, p]) => ({ date: day, acus: total(p), acus_by_product: { ...p } }));
  return { body: { total_acus: round2(rows.reduce((n, r) => n + r.acus, 0)), consumption_by_date: rows } };
}

function parseDate(ctx: Ctx, key: string, fallback: number): number {
  const raw = one(ctx.query, key);
  if (raw === undefined || raw === '') return fallback;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== raw) {
    throw invalid(
      ['query', key],
      'Input should be a valid date in the format YYYY-MM-DD',
      'date_from_datetime_parsing',
      raw,
    );
  }
  return ms / 1000 + DAY_OFFSET_S;
}

/** Specification shape: one row per organization per day, inclusive date range. */
function bulkByOrganization(ctx: Ctx): Reply {
  requireEnterprise(ctx, 'ManageBilling');
  const today = dayStart(sec(ctx.nowMs));
  const end = parseDate(ctx, 'end_date', today);
  const start = parseDate(ctx, 'start_date', end - 29 * DAY_S);
  if (start > end)
    throw invalid(
      ['query', 'start_date'],
      'start_date must not be after end_date',
      'value_error',
      one(ctx.query, 'start_date'),
    );
  const data: Record<string, unknown>[] = [];
  const perOrg = [...ctx.store.orgs.values()].map((o) => ({ org: o, days: orgDays(ctx, o.org_id) }));
  for (let day = start; day <= end; day += DAY_S) {
    for (const { org, days } of perOrg) {
      const p = days.get(day);
      if (!p || total(p) <= 0) continue;
      data.push({
        organization_id: org.org_id,
        organization_name: org.name,
        date: dayLabel(day),
        acus_used: total(p),
        acus_by_product: { ...p },
      });
    }
  }
  return { body: { data } };
}

function cycles(ctx: Ctx): Reply {
  requireEnterprise(ctx, 'ManageBilling');
  const now = new Date((dayStart(sec(ctx.nowMs)) - DAY_OFFSET_S) * 1000);
  const rows: { after: number; before: number }[] = [];
  for (let i = 0; i < 6; i++) {
    const after = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1) / 1000 + DAY_OFFSET_S;
    const before = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i + 1, 1) / 1000 + DAY_OFFSET_S;
    rows.push({ after, before });
  }
  return { body: paginate(ctx.query, rows) };
}

export const consumptionRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/enterprise/consumption/daily',
    handler: (ctx) => {
      requireEnterprise(ctx, 'ManageBilling');
      const all: Days = new Map();
      for (const orgId of ctx.store.orgs.keys()) mergeInto(all, orgDays(ctx, orgId));
      return consumptionResponse(ctx, all);
    },
  },
  { method: 'GET', pattern: '/enterprise/consumption/daily/organizations', handler: bulkByOrganization },
  {
    method: 'GET',
    pattern: '/enterprise/consumption/daily/organizations/:org_id',
    handler: (ctx) => {
      requireEnterprise(ctx, 'ManageBilling');
      const orgId = ctx.params.org_id as string;
      if (!ctx.store.orgs.has(orgId)) throw legacy(404, `Organization ${orgId} not found`);
      return consumptionResponse(ctx, orgDays(ctx, orgId));
    },
  },
  {
    method: 'GET',
    pattern: '/organizations/:org_id/consumption/daily',
    handler: (ctx) => {
      requireOrg(ctx, ctx.params.org_id as string, 'ManageBilling');
      return consumptionResponse(ctx, orgDays(ctx, ctx.params.org_id as string));
    },
  },
  { method: 'GET', pattern: '/enterprise/consumption/cycles', handler: cycles },
];
