import type { Page } from './models';

/**
 * Follows cursors until the last page or `limit` items, whichever comes first. `truncated` says the
 * limit cut the list short, so callers can tell the user that more exists.
 */
export async function collectPages<T>(
  fetchPage: (after: string | undefined) => Promise<Page<T>>,
  limit: number,
  onPage?: (collected: number) => void,
): Promise<{ readonly items: T[]; readonly truncated: boolean }> {
  const items: T[] = [];
  let after: string | undefined;
  do {
    const page = await fetchPage(after);
    items.push(...page.items);
    after = page.nextCursor;
    onPage?.(items.length);
  } while (after && items.length < limit);
  return { items, truncated: after !== undefined };
}
