import type { ConsumptionView, RangeSelection } from '../shared/consumptionProtocol';
import { resolveRange, type ResolvedRange } from './consumptionSeries';

/**
 * Runs `task` over `items` with at most `limit` in flight, keeping the input order in the result. The
 * first failure aborts the shared signal so the remaining requests stop instead of piling up.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  signal: AbortSignal | undefined,
  task: (item: T, signal: AbortSignal) => Promise<R>,
): Promise<R[]> {
  const controller = new AbortController();
  const forward = () => controller.abort(signal?.reason);
  if (signal?.aborted) forward();
  signal?.addEventListener('abort', forward, { once: true });
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      controller.signal.throwIfAborted();
      const index = next++;
      try {
        results[index] = await task(items[index] as T, controller.signal);
      } catch (error) {
        controller.abort(error);
        throw error;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
    return results;
  } finally {
    signal?.removeEventListener('abort', forward);
  }
}

export interface LoadProgress {
  readonly completed: number;
  readonly total: number;
}

/** Fetches and shapes one range; the signal is aborted when the user picks another range meanwhile. */
export type ConsumptionFetcher<T = ConsumptionView> = (
  range: ResolvedRange,
  signal: AbortSignal,
  onProgress: (progress: LoadProgress) => void,
) => Promise<T>;

export type LoadOutcome<T = ConsumptionView> =
  { readonly kind: 'data'; readonly view: T; readonly cached: boolean } | { readonly kind: 'superseded' };

/**
 * One panel's loads: only the latest range is ever in flight (picking a range cancels the previous
 * one's requests), and each range's result is kept for the panel's life so flipping back is instant.
 * Failures are not cached, so Retry goes to the network. The chart's series are one kind of result;
 * the per-session table loads through a loader of its own with the same rules.
 */
export class ConsumptionLoader<T = ConsumptionView> {
  private readonly cache = new Map<string, T>();
  private inFlight: AbortController | undefined;

  constructor(
    private readonly fetcher: ConsumptionFetcher<T>,
    private readonly now: () => number = Date.now,
  ) {}

  resolve(selection: RangeSelection): ResolvedRange {
    return resolveRange(selection, this.now());
  }

  async load(
    selection: RangeSelection,
    onProgress: (progress: LoadProgress) => void,
    options: { readonly refresh?: boolean } = {},
  ): Promise<LoadOutcome<T>> {
    const range = this.resolve(selection);
    this.inFlight?.abort(new SupersededError());
    if (options.refresh) this.cache.delete(range.key);
    const cached = this.cache.get(range.key);
    if (cached) {
      this.inFlight = undefined;
      return { kind: 'data', view: cached, cached: true };
    }
    const controller = new AbortController();
    this.inFlight = controller;
    try {
      const view = await this.fetcher(range, controller.signal, onProgress);
      if (controller.signal.aborted) return { kind: 'superseded' };
      this.cache.set(range.key, view);
      return { kind: 'data', view, cached: false };
    } catch (error) {
      // A cancelled load surfaces as whatever the HTTP layer throws on abort; the signal tells the truth.
      if (controller.signal.aborted && controller.signal.reason instanceof SupersededError)
        return { kind: 'superseded' };
      throw error;
    } finally {
      if (this.inFlight === controller) this.inFlight = undefined;
    }
  }

  /**
   * Forgets cached ranges, e.g. after the token or the organization list changed. A load still running
   * was made for the old state, so it is superseded rather than cached when it ends.
   */
  clear(): void {
    this.inFlight?.abort(new SupersededError());
    this.inFlight = undefined;
    this.cache.clear();
  }

  dispose(): void {
    this.inFlight?.abort(new SupersededError());
    this.inFlight = undefined;
    this.cache.clear();
  }
}

export class SupersededError extends Error {
  constructor() {
    super('superseded by a newer request');
    this.name = 'SupersededError';
  }
}
