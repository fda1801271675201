/**
 * The one message vocabulary between the consumption panel's host side (src/webview) and its page
 * (src/webview-ui). Both sides import only these types, so a renamed field breaks the build on both
 * sides instead of silently at run time. Everything here must survive structured cloning: plain
 * objects, arrays, strings and numbers only.
 */

/** `YYYY-MM-DD`, naming the Devin billing day that starts at 00:00 PST (08:00 UTC). */
export type DayKey = string;

export const PRODUCTS = ['devin', 'cascade', 'terminal', 'review'] as const;
export type Product = (typeof PRODUCTS)[number];
export type ProductAcus = Partial<Record<Product, number>>;

export const PRESET_DAYS = [7, 30, 90] as const;
export type PresetDays = (typeof PRESET_DAYS)[number];

export type RangeSelection =
  | { readonly kind: 'preset'; readonly days: PresetDays }
  | { readonly kind: 'custom'; readonly start: DayKey; readonly end: DayKey };

export const DEFAULT_RANGE: RangeSelection = { kind: 'preset', days: 30 };

export interface OrganizationSeries {
  readonly id: string;
  /** Straight from the API: the page must render it as text, never as markup. */
  readonly name: string;
  /** One value per entry of `ConsumptionView.days`, zero-filled. */
  readonly daily: readonly number[];
  /** Per product, aligned with `days`; null when the API gave no product split for this organization. */
  readonly byProduct: Readonly<Partial<Record<Product, readonly number[]>>> | null;
  readonly total: number;
  readonly productTotals: ProductAcus | null;
}

export interface ConsumptionView {
  readonly scope: 'enterprise' | 'organization';
  readonly range: { readonly start: DayKey; readonly end: DayKey };
  /**
   * 'daily' when the API gave one value per day; 'range' when it only gave one total per organization
   * for the whole range (the specification's bulk endpoint can), in which case `days` has one entry.
   */
  readonly granularity: 'daily' | 'range';
  readonly days: readonly DayKey[];
  readonly organizations: readonly OrganizationSeries[];
  /** Products that appear anywhere in the data; empty when the API returned no product split. */
  readonly products: readonly Product[];
  /** All organizations summed per product and day: what the chart stacks when split by product. */
  readonly productDaily: readonly {
    readonly product: Product;
    readonly daily: readonly number[];
    readonly total: number;
  }[];
  /**
   * The stacks the chart draws, in order: the largest organizations one by one, then the rest summed
   * as one "Other" series. Series index i takes palette colour i; the table lists every organization.
   */
  readonly chartSeries: readonly ChartSeries[];
  readonly total: number;
}

export interface ChartSeries {
  readonly label: string;
  /** The organization ids the series covers: one, or several for "Other". */
  readonly organizationIds: readonly string[];
  readonly daily: readonly number[];
}

/** What the page keeps in `acquireVsCodeApi().setState`, so the panel comes back the same after a reload. */
export interface PageState {
  readonly range: RangeSelection;
  readonly splitByProduct: boolean;
  readonly sort: TableSort;
  readonly sessionSort: SessionSort;
}

export interface TableSort {
  readonly key: 'name' | 'total';
  readonly direction: 'ascending' | 'descending';
}

export const SESSION_SORT_KEYS = ['session', 'organization', 'status', 'acus', 'created'] as const;
export type SessionSortKey = (typeof SESSION_SORT_KEYS)[number];

export interface SessionSort {
  readonly key: SessionSortKey;
  readonly direction: 'ascending' | 'descending';
}

/** One session of the per-session table. Title, organization and status are API data: text only. */
export interface SessionUsageRow {
  /** Always `devin-…`. */
  readonly sessionId: string;
  readonly orgId: string;
  readonly title: string | null;
  readonly organization: string;
  /** The status as the sessions view words it (host-side, so it is translated with the rest). */
  readonly status: string;
  /** Null when the API gave no ACU figure for the session. */
  readonly acus: number | null;
  /** Unix seconds; null when unknown. */
  readonly createdAt: number | null;
}

/**
 * The sessions created in a range and the ACUs each has consumed. The API lists no consumption per
 * session for a range, so the figures are the sessions list's `acus_consumed`: a session's whole
 * consumption so far, whenever it was spent.
 */
export interface SessionUsageView {
  readonly range: { readonly start: DayKey; readonly end: DayKey };
  readonly sessions: readonly SessionUsageRow[];
  readonly total: number;
  /** The list was cut at the paging limit while the API said more sessions exist. */
  readonly truncated: boolean;
  /** Organizations whose sessions this token may not list (names, API data). */
  readonly unreadableOrganizations: readonly string[];
}

export type SessionUsageState =
  | { readonly kind: 'loading'; readonly read: number }
  | { readonly kind: 'data'; readonly usage: SessionUsageView }
  | { readonly kind: 'error'; readonly message: string; readonly canRetry: boolean };

export type HostToPage =
  | { readonly type: 'loading'; readonly range: RangeSelection; readonly completed: number; readonly total: number }
  | { readonly type: 'data'; readonly range: RangeSelection; readonly view: ConsumptionView }
  | {
      readonly type: 'error';
      readonly range: RangeSelection;
      readonly message: string;
      readonly kind: string;
      readonly canRetry: boolean;
    }
  /** A short outcome of an export or copy, announced in the page's live region. */
  | { readonly type: 'notice'; readonly message: string }
  /** The billing cycle against the enterprise's ACU limit; null hides it (no access, or an organization scope). */
  | { readonly type: 'budget'; readonly budget: BudgetView | null }
  /** The per-session table, loaded apart from the chart: its failure never touches the chart. */
  | { readonly type: 'sessionUsage'; readonly range: RangeSelection; readonly state: SessionUsageState }
  /** Test mode only: the page clicks one of its own controls, as a person would. */
  | { readonly type: 'debugClick'; readonly control: DebugControl };

export type DebugControl =
  | { readonly kind: 'session'; readonly sessionId: string }
  | { readonly kind: 'sessionSort'; readonly key: SessionSortKey }
  | { readonly kind: 'sessionsRetry' }
  | { readonly kind: 'sessionsShowAll' };

export interface BudgetView {
  /** Share of the limit used, 0–100 and beyond; undefined without a limit. */
  readonly percent: number | undefined;
  readonly level: 'ok' | 'warning' | 'over' | 'unlimited';
  readonly text: string;
}

/** What the page reports after drawing; the integration tests and the benchmark read it. */
export interface RenderedReport {
  readonly total: number;
  readonly organizations: readonly { readonly id: string; readonly name: string; readonly total: number }[];
  readonly rows: number;
  readonly canvasNonBlank: boolean;
  readonly splitByProduct: boolean;
  readonly drawMs: number;
}

/** What the page put in the session table, read back from its DOM; the integration tests compare it. */
export interface RenderedSessionsReport {
  readonly range: RangeSelection;
  readonly state: SessionUsageState['kind'];
  /** Sessions in the data, shown or not. */
  readonly count: number;
  /** The totals row's figure. */
  readonly total: number;
  /** The session ids of the rows in the table, in their order on the page. */
  readonly shownIds: readonly string[];
  readonly sort: SessionSort;
  readonly caption: string;
  readonly error: string | undefined;
}

export type PageToHost =
  | { readonly type: 'ready'; readonly range: RangeSelection }
  | { readonly type: 'setRange'; readonly range: RangeSelection }
  | { readonly type: 'retry'; readonly range: RangeSelection }
  | { readonly type: 'exportCsv'; readonly splitByProduct: boolean }
  | { readonly type: 'copyCsv'; readonly splitByProduct: boolean }
  | { readonly type: 'rendered'; readonly report: RenderedReport }
  /** What the page drew for the budget, for the integration tests. */
  | { readonly type: 'budgetShown'; readonly value: number | null; readonly text: string }
  | { readonly type: 'retrySessions'; readonly range: RangeSelection }
  /** A session link of the table; the host opens it only if it listed that session itself. */
  | { readonly type: 'openSession'; readonly orgId: string; readonly sessionId: string }
  | { readonly type: 'sessionsRendered'; readonly report: RenderedSessionsReport };
