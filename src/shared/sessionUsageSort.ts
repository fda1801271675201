import { SESSION_SORT_KEYS, type SessionSort, type SessionSortKey, type SessionUsageRow } from './consumptionProtocol';

/**
 * Ordering and cutting the per-session table, free of the DOM so that plain Node tests can hold it to
 * account; the page only turns the result into rows.
 */

/** Largest first: the question the table answers is where the ACUs went. */
export const DEFAULT_SESSION_SORT: SessionSort = { key: 'acus', direction: 'descending' };

/** Rows drawn before "Show all": enough to see the big spenders, few enough to keep a page of thousands quick. */
export const SESSION_TOP_ROWS = 25;

/** What the session column shows: the title, or the id of a session without one. */
export function sessionRowLabel(row: SessionUsageRow): string {
  return row.title?.trim() || row.sessionId;
}

export function isSessionSort(value: unknown): value is SessionSort {
  if (!value || typeof value !== 'object') return false;
  const sort = value as Record<string, unknown>;
  return (
    (SESSION_SORT_KEYS as readonly unknown[]).includes(sort.key) &&
    (sort.direction === 'ascending' || sort.direction === 'descending')
  );
}

/**
 * The order after a header is activated: the same column flips; another column starts the way people
 * read it first (names A–Z, the most ACUs and the newest sessions first).
 */
export function nextSessionSort(current: SessionSort, key: SessionSortKey): SessionSort {
  if (current.key === key) return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  return { key, direction: key === 'acus' || key === 'created' ? 'descending' : 'ascending' };
}

type Compare = (a: string, b: string) => number;

/**
 * Rows in the order asked for. Missing figures (no ACUs, no creation time) go last whichever the
 * direction, and ties fall back to ACUs, then the newest, then the id, so the order never depends on
 * the order the API listed them in.
 */
export function sortSessionRows(
  rows: readonly SessionUsageRow[],
  sort: SessionSort,
  compareText: Compare = (a, b) => a.localeCompare(b),
): SessionUsageRow[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const primary = (a: SessionUsageRow, b: SessionUsageRow): number => {
    switch (sort.key) {
      case 'session':
        return sign * compareText(sessionRowLabel(a), sessionRowLabel(b));
      case 'organization':
        return sign * compareText(a.organization, b.organization);
      case 'status':
        return sign * compareText(a.status, b.status);
      case 'acus':
        return compareNullable(a.acus, b.acus, sign);
      case 'created':
        return compareNullable(a.createdAt, b.createdAt, sign);
    }
  };
  return [...rows].sort(
    (a, b) =>
      primary(a, b) ||
      compareNullable(a.acus, b.acus, -1) ||
      compareNullable(a.createdAt, b.createdAt, -1) ||
      compareStrings(a.sessionId, b.sessionId),
  );
}

function compareNullable(a: number | null, b: number | null, sign: number): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return sign * (a - b);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The rows to draw: the first `top` unless everything was asked for; `hidden` counts the others. */
export function visibleSessionRows<T>(
  sorted: readonly T[],
  showAll: boolean,
  top: number = SESSION_TOP_ROWS,
): { readonly rows: readonly T[]; readonly hidden: number } {
  if (showAll || sorted.length <= top) return { rows: sorted, hidden: 0 };
  return { rows: sorted.slice(0, top), hidden: sorted.length - top };
}
