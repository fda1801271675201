import * as l10n from '@vscode/l10n';
import {
  PRODUCTS,
  type ChartSeries,
  type ConsumptionView,
  type DayKey,
  type OrganizationSeries,
  type Product,
  type ProductAcus,
  type RangeSelection,
} from '../shared/consumptionProtocol';

/**
 * Consumption days, ranges and chart series, free of `vscode` and the DOM. The Devin dashboard counts
 * days from midnight PST, which the API documents as a fixed 08:00 UTC (no daylight-saving shift), so
 * every boundary here is 08:00 UTC whatever the local time zone.
 */

export const DAY_SECONDS = 86_400;
export const DAY_BOUNDARY_OFFSET_SECONDS = 8 * 3_600;
/**
 * Stacks the chart draws before grouping the rest as "Other": past a dozen, hues repeat and slivers
 * are unreadable, and every stacked series costs drawing time for each day of the range.
 */
export const MAX_CHART_SERIES = 12;
/** Custom ranges longer than this are cut: a year and a bit is what the dashboard offers. */
export const MAX_RANGE_DAYS = 400;

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDayKey(value: string): boolean {
  const match = DAY_PATTERN.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

function dayIndex(day: DayKey): number {
  const match = DAY_PATTERN.exec(day);
  if (!match || !isDayKey(day)) throw new RangeError(`not a YYYY-MM-DD day: ${day}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / 86_400_000;
}

function dayFromIndex(index: number): DayKey {
  return new Date(index * 86_400_000).toISOString().slice(0, 10);
}

export function addDays(day: DayKey, count: number): DayKey {
  return dayFromIndex(dayIndex(day) + count);
}

/** Unix seconds at which a billing day starts (08:00 UTC). */
export function dayStartSeconds(day: DayKey): number {
  return dayIndex(day) * DAY_SECONDS + DAY_BOUNDARY_OFFSET_SECONDS;
}

/** The billing day an instant falls in. */
export function billingDayOf(unixSeconds: number): DayKey {
  return dayFromIndex(Math.floor((unixSeconds - DAY_BOUNDARY_OFFSET_SECONDS) / DAY_SECONDS));
}

/**
 * The day a `consumption_by_date[].date` marker names. Markers are day starts, documented as 08:00 UTC,
 * but some shapes use 00:00 UTC; both fall on the intended calendar date in UTC, whereas
 * `billingDayOf` would move a 00:00 UTC marker to the day before.
 */
export function dayOfMarker(marker: number | string): DayKey | undefined {
  if (typeof marker === 'string') {
    const trimmed = marker.trim();
    if (isDayKey(trimmed.slice(0, 10))) return trimmed.slice(0, 10);
    if (!/^\d+$/.test(trimmed)) return undefined;
    marker = Number(trimmed);
  }
  if (!Number.isFinite(marker)) return undefined;
  // Milliseconds slip in from JavaScript-made data; no consumption predates 2001 in seconds.
  const seconds = marker > 1e11 ? marker / 1000 : marker;
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

export function daysInRange(start: DayKey, end: DayKey): DayKey[] {
  const first = dayIndex(start);
  const last = dayIndex(end);
  const days: DayKey[] = [];
  for (let index = first; index <= last; index += 1) days.push(dayFromIndex(index));
  return days;
}

export interface ResolvedRange {
  readonly selection: RangeSelection;
  readonly start: DayKey;
  /** Inclusive. */
  readonly end: DayKey;
  readonly days: readonly DayKey[];
  /** Query values for the current API: start of the first day, start of the day after the last. */
  readonly timeAfter: number;
  readonly timeBefore: number;
  /** Identifies the range in caches; two selections naming the same days share it. */
  readonly key: string;
}

/** Presets end with today's billing day (the one in progress); custom ranges are put in order and clamped. */
export function resolveRange(selection: RangeSelection, nowMs: number): ResolvedRange {
  let start: DayKey;
  let end: DayKey;
  if (selection.kind === 'preset') {
    end = billingDayOf(Math.floor(nowMs / 1000));
    start = addDays(end, -(selection.days - 1));
  } else {
    [start, end] =
      selection.start <= selection.end ? [selection.start, selection.end] : [selection.end, selection.start];
    if (!isDayKey(start) || !isDayKey(end))
      throw new RangeError(l10n.t('invalid custom range {0} – {1}', selection.start, selection.end));
    if (dayIndex(end) - dayIndex(start) + 1 > MAX_RANGE_DAYS) start = addDays(end, -(MAX_RANGE_DAYS - 1));
  }
  return {
    selection,
    start,
    end,
    days: daysInRange(start, end),
    timeAfter: dayStartSeconds(start),
    timeBefore: dayStartSeconds(addDays(end, 1)),
    key: `${start}..${end}`,
  };
}

/** One organization's consumption as the API reported it: sparse, possibly unordered or repeated days. */
export interface OrganizationConsumption {
  readonly id: string;
  readonly name: string;
  /** `day` undefined when the source only gave a total for the whole range. */
  readonly entries: readonly {
    readonly day: DayKey | undefined;
    readonly acus: number;
    readonly byProduct?: ProductAcus;
  }[];
}

/** ACUs are reported with two decimals; summing floats must not show 12.300000000000001. */
export function roundAcus(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Turns what the API returned into the series the page draws: one zero-filled value per day of the
 * range, days outside it dropped, repeated days summed, totals from the series (not the API's
 * `total_acus`, which counts the whole query window and may disagree with the days shown).
 */
export function shapeConsumption(
  range: ResolvedRange,
  scope: ConsumptionView['scope'],
  organizations: readonly OrganizationConsumption[],
): ConsumptionView {
  const daily = organizations.every((organization) => organization.entries.every((entry) => entry.day !== undefined));
  const days = daily ? range.days : [range.start];
  const position = new Map<DayKey, number>(days.map((day, index) => [day, index]));
  const seen = new Set<Product>();

  const series = organizations.map((organization): OrganizationSeries => {
    const values = new Array<number>(days.length).fill(0);
    let byProduct: Partial<Record<Product, number[]>> | null = null;
    for (const entry of organization.entries) {
      const index = daily ? position.get(entry.day as DayKey) : 0;
      if (index === undefined || !Number.isFinite(entry.acus)) continue;
      values[index] = (values[index] as number) + entry.acus;
      if (!entry.byProduct) continue;
      byProduct ??= {};
      for (const product of PRODUCTS) {
        const value = entry.byProduct[product];
        if (value === undefined || !Number.isFinite(value)) continue;
        const row = (byProduct[product] ??= new Array<number>(days.length).fill(0));
        row[index] = (row[index] as number) + value;
        seen.add(product);
      }
    }
    const rounded = values.map(roundAcus);
    const productTotals = byProduct
      ? Object.fromEntries(Object.entries(byProduct).map(([product, row]) => [product, roundAcus(sum(row))]))
      : null;
    if (byProduct)
      for (const product of Object.keys(byProduct) as Product[])
        byProduct[product] = (byProduct[product] as number[]).map(roundAcus);
    return {
      id: organization.id,
      name: organization.name,
      daily: rounded,
      byProduct,
      total: roundAcus(sum(values)),
      productTotals,
    };
  });

  // Largest first: the default table order, and it puts the biggest bars at the bottom of each stack.
  series.sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
  const products = PRODUCTS.filter((product) => seen.has(product));
  return {
    scope,
    range: { start: range.start, end: range.end },
    granularity: daily ? 'daily' : 'range',
    days,
    organizations: series,
    products,
    productDaily: products.map((product) => productSeries(product, days.length, series)),
    chartSeries: chartSeries(series, days.length),
    total: roundAcus(sum(series.map((organization) => organization.total))),
  };
}

function chartSeries(series: readonly OrganizationSeries[], length: number): ChartSeries[] {
  const own = series.length <= MAX_CHART_SERIES ? series : series.slice(0, MAX_CHART_SERIES - 1);
  const result: ChartSeries[] = own.map((organization) => ({
    label: organization.name,
    organizationIds: [organization.id],
    daily: organization.daily,
  }));
  const rest = series.slice(own.length);
  if (rest.length === 0) return result;
  const daily = new Array<number>(length).fill(0);
  for (const organization of rest)
    organization.daily.forEach((value, index) => (daily[index] = (daily[index] as number) + value));
  result.push({
    label: l10n.t('Other ({0} organizations)', rest.length),
    organizationIds: rest.map((organization) => organization.id),
    daily: daily.map(roundAcus),
  });
  return result;
}

function productSeries(
  product: Product,
  length: number,
  series: readonly OrganizationSeries[],
): ConsumptionView['productDaily'][number] {
  const daily = new Array<number>(length).fill(0);
  for (const organization of series) {
    const row = organization.byProduct?.[product];
    if (row) row.forEach((value, index) => (daily[index] = (daily[index] as number) + value));
  }
  return { product, daily: daily.map(roundAcus), total: roundAcus(sum(daily)) };
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
