import type { Page } from './models';

/** Why a cursor loop ended; anything but `end` means the server said more exists that was not read. */
export type PagingStop = 'end' | 'limit' | 'emptyPage' | 'repeatedCursor' | 'pageCap';

/**
 * A server that keeps answering `has_next_page: true` (with empty pages, or the same cursor) must not
 * make the client loop: without these stops one such server made thousands of requests a second.
 */
export const DEFAULT_MAX_PAGES = 50;

/**
 * Follows cursors until the last page, `limit` items or `maxPages` pages, whichever comes first, and
 * stops early on an empty page or a cursor already followed. `truncated` says the list was cut short
 * while the server claimed more, so callers can tell the user that more may exist.
 */
export async function collectPages<T>(
  fetchPage: (after: string | undefined) => Promise<Page<T>>,
  limit: number,
  onPage?: (collected: number) => void,
  maxPages: number = DEFAULT_MAX_PAGES,
): Promise<{ readonly items: T[]; readonly truncated: boolean; readonly stop: PagingStop }> {
  const items: T[] = [];
  const followed = new Set<string>();
  let after: string | undefined;
  let pages = 0;
  let stop: PagingStop = 'end';
  for (;;) {
    const page = await fetchPage(after);
    pages += 1;
    items.push(...page.items);
    onPage?.(items.length);
    if (after !== undefined) followed.add(after);
    const next = page.nextCursor;
    if (!next) break;
    if (page.items.length === 0) stop = 'emptyPage';
    else if (next === after || followed.has(next)) stop = 'repeatedCursor';
    else if (items.length >= limit) stop = 'limit';
    else if (pages >= maxPages) stop = 'pageCap';
    if (stop !== 'end') break;
    after = next;
  }
  return { items, truncated: stop !== 'end', stop };
}

/**
 * Each id once, where it first appeared, as it was last read: a list that changes while it is paged hands
 * rows of one page back on the next, and VS Code refuses a tree with two rows of one id.
 */
export function uniqueById<T extends { readonly id: string }>(items: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const item of items) byId.set(item.id, item);
  return [...byId.values()];
}

/**
 * The cursor worth offering as "Load more" after one page fetched with `previousCursor`: none when the
 * page was empty, brought nothing new, or handed back a cursor already used, since following it could
 * only repeat the same answer.
 */
export function usableNextCursor(
  page: { readonly nextCursor: string | undefined; readonly items: readonly unknown[] },
  previousCursor: string | undefined,
  newItems: number = page.items.length,
): string | undefined {
  const next = page.nextCursor;
  if (!next || page.items.length === 0 || newItems === 0 || next === previousCursor) return undefined;
  return next;
}
