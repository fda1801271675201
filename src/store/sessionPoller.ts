import type { SessionListQuery } from '../api/client';
import { usableNextCursor } from '../core/paging';
import { isDevinApiError } from '../api/errors';
import type { Organization, Page, Session } from '../core/models';
import type { ConnectionProblem, SessionStore } from './sessionStore';

/**
 * Keeps the store current by asking only for what changed: `updated_after` on the enterprise session list
 * (one request per tick) when the token may read it, else on each organization's list (one request per
 * organization per tick). Ticks never overlap; failures of any kind stretch the interval up to a ceiling,
 * a `Retry-After` is waited out, and the store keeps its data (with the problem noted) while the API is away.
 */

export interface Clock {
  now(): number;
  setTimer(callback: () => void, ms: number): { cancel(): void };
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    return { cancel: () => clearTimeout(timer) };
  },
};

export interface PollClient {
  listSessions(orgId: string, query: SessionListQuery): Promise<Page<Session>>;
  listEnterpriseSessions(query: SessionListQuery): Promise<Page<Session>>;
}

export interface PollerOptions {
  /** Ceiling of the back-off after failures. */
  readonly maxBackoffMs?: number;
  /** Items per request when asking for changes (1–200). */
  readonly pageSize?: number;
  /** A burst of changes (after a long time offline) is followed this many pages into one tick at most. */
  readonly maxPagesPerTick?: number;
  readonly log?: (message: string) => void;
}

export interface TickReport {
  /** API requests the tick made. */
  readonly requests: number;
  /** Sessions that came back different from what the store had. */
  readonly changed: number;
  readonly ok: boolean;
  readonly skipped?: 'signedOut';
}

/** 0 turns polling off; anything else is at least `minimum`, since every poll counts against the rate limit. */
export function clampRefreshSeconds(value: unknown, fallback: number, minimum: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return fallback;
  return value === 0 ? 0 : Math.max(minimum, value);
}

/** Seconds of slack on the first watermark, for a server clock a little behind ours. */
const CLOCK_SLACK_SECONDS = 60;

export class SessionPoller {
  private intervalMs = 0;
  private timer: { cancel(): void } | undefined;
  private running: Promise<TickReport> | undefined;
  private failures = 0;
  private notBefore = 0;
  private lastTickAt: number | undefined;
  private generation = -1;
  private enterpriseWatermark: number | undefined;
  private readonly orgWatermarks = new Map<string, number>();
  private enterpriseUnavailable = false;
  private readonly unpollable = new Set<string>();
  private disposed = false;

  constructor(
    private readonly store: SessionStore,
    private readonly client: () => PollClient,
    private readonly clock: Clock = systemClock,
    private readonly options: PollerOptions = {},
  ) {}

  /** Failures since the last successful tick. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Unix ms of the next scheduled tick, or undefined when polling is off. */
  get nextTickAt(): number | undefined {
    return this.timer ? this.nextAt() : undefined;
  }

  get intervalSeconds(): number {
    return this.intervalMs / 1000;
  }

  /** 0 stops polling. A shorter interval than before takes effect at once (an overdue tick runs now). */
  setIntervalSeconds(seconds: number): void {
    const ms = Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : 0;
    if (ms === this.intervalMs) return;
    this.intervalMs = ms;
    this.schedule();
  }

  /** Runs a tick now, or joins the one in flight: two ticks never overlap. */
  tick(): Promise<TickReport> {
    this.running ??= this.runTick().finally(() => {
      this.running = undefined;
      this.schedule();
    });
    return this.running;
  }

  /** Resolves when no tick is in flight. */
  async whenIdle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  dispose(): void {
    this.disposed = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private nextAt(): number {
    const base = this.intervalMs * 2 ** Math.min(this.failures, 16);
    const delay = Math.min(base, Math.max(this.intervalMs, this.options.maxBackoffMs ?? 15 * 60_000));
    return Math.max((this.lastTickAt ?? this.clock.now()) + delay, this.notBefore);
  }

  private schedule(): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.disposed || this.intervalMs <= 0 || this.running) return;
    if (this.lastTickAt === undefined) this.lastTickAt = this.clock.now();
    const delay = Math.max(0, this.nextAt() - this.clock.now());
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      void this.tick();
    }, delay);
  }

  private async runTick(): Promise<TickReport> {
    const counter = { requests: 0, changed: 0 };
    try {
      if (this.store.generation !== this.generation) this.forgetWatermarks();
      if (this.store.viewState === 'signedOut') return { ...counter, ok: true, skipped: 'signedOut' };
      let organizations = this.store.knownOrganizations();
      if (this.store.viewState !== 'ready' && this.store.viewState !== 'noOrganizations') {
        // The organizations never loaded (API down at start, rate limited): retrying them is this tick's work.
        counter.requests++;
        organizations = await this.store.loadOrganizations();
      }
      let done = false;
      if (this.store.scope === 'enterprise' && !this.enterpriseUnavailable) done = await this.pollEnterprise(counter);
      if (!done) await this.pollOrganizations(organizations, counter);
      this.failures = 0;
      this.notBefore = 0;
      this.store.markUpdated();
      return { ...counter, ok: true };
    } catch (error) {
      // Signed out between ticks: there is nothing to poll and nothing has failed.
      if (isDevinApiError(error) && error.kind === 'signedOut') return { ...counter, ok: true, skipped: 'signedOut' };
      this.failures++;
      const retryAfterSeconds = isDevinApiError(error) ? error.retryAfterSeconds : undefined;
      const now = this.clock.now();
      this.notBefore = retryAfterSeconds !== undefined ? now + retryAfterSeconds * 1000 : 0;
      this.lastTickAt = now;
      const problem = describeProblem(error, this.nextAt());
      this.store.setProblem(problem);
      if (problem.kind === 'tokenRejected') this.store.setState('tokenRejected', problem.message, error);
      this.options.log?.(
        `Checking for session changes failed (${this.failures} in a row); next try in ${Math.round((this.nextAt() - now) / 1000)} s. ${problem.message}`,
      );
      return { ...counter, ok: false };
    } finally {
      this.lastTickAt = this.clock.now();
    }
  }

  private forgetWatermarks(): void {
    this.generation = this.store.generation;
    this.enterpriseWatermark = undefined;
    this.orgWatermarks.clear();
    this.enterpriseUnavailable = false;
    this.unpollable.clear();
  }

  /** False when the token may not read the enterprise list, so the caller falls back to each organization. */
  private async pollEnterprise(counter: { requests: number; changed: number }): Promise<boolean> {
    try {
      const client = this.client();
      this.enterpriseWatermark = await this.pollList(
        (query) => client.listEnterpriseSessions(query),
        this.enterpriseWatermark,
        counter,
      );
      return true;
    } catch (error) {
      if (isDevinApiError(error) && (error.kind === 'forbidden' || error.kind === 'notFound')) {
        this.enterpriseUnavailable = true;
        this.options.log?.('The token cannot list enterprise sessions; checking each organization instead.');
        return false;
      }
      throw error;
    }
  }

  private async pollOrganizations(
    organizations: readonly Organization[],
    counter: { requests: number; changed: number },
  ): Promise<void> {
    const queue = organizations.filter((organization) => !this.unpollable.has(organization.id));
    const client = this.client();
    const worker = async (): Promise<void> => {
      for (let organization = queue.shift(); organization; organization = queue.shift()) {
        const orgId = organization.id;
        try {
          const watermark = await this.pollList(
            (query) => client.listSessions(orgId, query),
            this.orgWatermarks.get(orgId),
            counter,
          );
          this.orgWatermarks.set(orgId, watermark);
        } catch (error) {
          // One organization the token lost access to must not stop the others from being watched.
          if (!(isDevinApiError(error) && (error.kind === 'forbidden' || error.kind === 'notFound'))) throw error;
          this.unpollable.add(orgId);
          this.options.log?.(`Stopped checking ${organization.name} for changes: ${error.message}`);
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
  }

  /**
   * One list, from the watermark on. The first call (no watermark) reads the newest sessions as a baseline:
   * what is true then is not news. `updated_after` is inclusive, so the newest session is seen again each tick
   * and recognised as unchanged; that costs one row and never misses an update made in the same second.
   */
  private async pollList(
    list: (query: SessionListQuery) => Promise<Page<Session>>,
    watermark: number | undefined,
    counter: { requests: number; changed: number },
  ): Promise<number> {
    const first = this.options.pageSize ?? 100;
    const found: Session[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      counter.requests++;
      const page = await list({ first, after, updatedAfter: watermark });
      found.push(...page.items);
      after = usableNextCursor(page, after);
      pages++;
    } while (watermark !== undefined && after && pages < (this.options.maxPagesPerTick ?? 10));
    const unsubscribe = this.store.onDidChangeSessions((change) => (counter.changed += change.changed.length));
    try {
      this.store.merge(found, watermark === undefined ? 'load' : 'poll');
    } finally {
      unsubscribe.dispose();
    }
    const newest = Math.max(...found.map((session) => session.updatedAt ?? 0), 0);
    return Math.max(watermark ?? Math.floor(this.clock.now() / 1000) - CLOCK_SLACK_SECONDS, newest);
  }
}

function describeProblem(error: unknown, retryAt: number): ConnectionProblem {
  const message = error instanceof Error ? error.message : String(error);
  if (!isDevinApiError(error)) return { kind: 'error', message, retryAt };
  switch (error.kind) {
    case 'rateLimited':
      return { kind: 'rateLimited', message, retryAt };
    case 'unauthorized':
      return { kind: 'tokenRejected', message, retryAt };
    case 'network':
    case 'timeout':
    case 'server':
      return { kind: 'offline', message, retryAt };
    default:
      return { kind: 'error', message, retryAt };
  }
}
