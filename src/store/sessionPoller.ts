import type { SessionListQuery } from '../api/client';
import { usableNextCursor } from '../core/paging';
import { isDevinApiError } from '../api/errors';
import type { Organization, Page, Session } from '../core/models';
import { nextWatermark, seenAlready } from './pollWatermark';
import type { ConnectionProblem, SessionStore } from './sessionStore';

/**
 * Keeps the store current by asking only for what changed: `updated_after` on the enterprise session list
 * (one request per tick) when the token may read it, else on the lists of the organizations someone here looks
 * at, a few per tick, taking turns. Ticks never overlap; failures of any kind stretch the interval up to a
 * ceiling, a `Retry-After` is waited out, and the store keeps its data (with the problem noted) while the API is
 * away. Reads made beside the ticks (an open panel's) go through the same back-off.
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
  /** Requests one tick may make when each organization has to be asked on its own. */
  readonly maxRequestsPerTick?: number;
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

/** With each organization asked on its own, 5,000 of them must not mean 5,000 requests a tick. */
const DEFAULT_MAX_REQUESTS_PER_TICK = 10;
/** The back-off of reads beside the ticks while the poller itself is off. */
const IDLE_BACKOFF_BASE_MS = 15_000;

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
  /** The tick each organization was last asked in, so organizations beyond one tick's budget take turns. */
  private readonly askedInTick = new Map<string, number>();
  private ticks = 0;
  /** Complete reads of changes, of every organization at once and per organization (for `readsCovering`). */
  private enterpriseReads = 0;
  private readonly orgReads = new Map<string, number>();
  private lastFailure: unknown;
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

  /** Unix ms before which nothing is to be asked of the API (failures stretch the wait; a Retry-After sets it). */
  get holdOffUntil(): number | undefined {
    if (this.failures === 0) return undefined;
    const until = this.retryAt(this.intervalMs || IDLE_BACKOFF_BASE_MS);
    return until > this.clock.now() ? until : undefined;
  }

  /**
   * How many complete reads of changes covered the organization so far. A reader that saw this number grow
   * since it last looked knows the store's picture of the organization's sessions is as new as a read of its own.
   */
  readsCovering(orgId: string): number {
    return this.enterpriseReads + (this.orgReads.get(orgId) ?? 0);
  }

  /**
   * A read beside the ticks (an open panel's), which checks `holdOffUntil` before it reads on its own schedule.
   * A failure that says the API is away or busy stretches the same back-off (a `Retry-After` holds the ticks
   * too); a success after such a failure says the API answers again, and the ticks resume their pace.
   */
  async readBeside<T>(read: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await read();
    } catch (error) {
      if (isTransient(error)) {
        // Two reads that failed together (a panel reads the session and its messages at once) count once.
        if (this.holdOffUntil === undefined) this.failures++;
        this.noteFailure(error);
        this.schedule();
      }
      throw error;
    }
    if (this.failures > 0 && isTransient(this.lastFailure)) {
      this.failures = 0;
      this.notBefore = 0;
      this.lastFailure = undefined;
      this.store.setProblem(undefined);
      this.schedule();
    }
    return result;
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
    return this.retryAt(this.intervalMs);
  }

  private retryAt(intervalMs: number): number {
    const base = intervalMs * 2 ** Math.min(this.failures, 16);
    const delay = Math.min(base, Math.max(intervalMs, this.options.maxBackoffMs ?? 15 * 60_000));
    return Math.max((this.lastTickAt ?? this.clock.now()) + delay, this.notBefore);
  }

  /** Records a failure (already counted) and tells the store; the next tick waits for `nextAt`. */
  private noteFailure(error: unknown): ConnectionProblem {
    const retryAfterSeconds = isDevinApiError(error) ? error.retryAfterSeconds : undefined;
    const now = this.clock.now();
    if (retryAfterSeconds !== undefined) this.notBefore = Math.max(this.notBefore, now + retryAfterSeconds * 1000);
    this.lastTickAt = now;
    this.lastFailure = error;
    const problem = describeProblem(error, this.nextAt());
    this.store.setProblem(problem);
    if (problem.kind === 'tokenRejected') this.store.setState('tokenRejected', problem.message, error);
    return problem;
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
    this.ticks++;
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
      this.lastFailure = undefined;
      this.store.markUpdated();
      return { ...counter, ok: true };
    } catch (error) {
      // Signed out between ticks: there is nothing to poll and nothing has failed.
      if (isDevinApiError(error) && error.kind === 'signedOut') return { ...counter, ok: true, skipped: 'signedOut' };
      this.failures++;
      const problem = this.noteFailure(error);
      this.options.log?.(
        `Checking for session changes failed (${this.failures} in a row); next try in ${Math.round((this.nextAt() - this.clock.now()) / 1000)} s. ${problem.message}`,
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
  private async pollEnterprise(counter: Counter): Promise<boolean> {
    try {
      const client = this.client();
      const read = await this.pollList(
        (query) => client.listEnterpriseSessions(query),
        this.enterpriseWatermark,
        counter,
      );
      this.enterpriseWatermark = read.watermark;
      if (read.complete) this.enterpriseReads++;
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

  private async pollOrganizations(organizations: readonly Organization[], counter: Counter): Promise<void> {
    const budget = {
      left: Math.max(0, (this.options.maxRequestsPerTick ?? DEFAULT_MAX_REQUESTS_PER_TICK) - counter.requests),
    };
    const queue = this.organizationsToAsk(organizations, budget.left);
    const client = this.client();
    const worker = async (): Promise<void> => {
      for (let organization = queue.shift(); organization && budget.left > 0; organization = queue.shift()) {
        const orgId = organization.id;
        this.askedInTick.set(orgId, this.ticks);
        try {
          const read = await this.pollList(
            (query) => client.listSessions(orgId, query),
            this.orgWatermarks.get(orgId),
            counter,
            budget,
          );
          this.orgWatermarks.set(orgId, read.watermark);
          if (read.complete) this.orgReads.set(orgId, (this.orgReads.get(orgId) ?? 0) + 1);
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
   * Every organization when they all fit in one tick's budget. Otherwise only those someone here looks at
   * (expanded in the tree, or holding a watched session), least recently asked first, so they take turns.
   */
  private organizationsToAsk(organizations: readonly Organization[], budget: number): Organization[] {
    const pollable = (organization: Organization) => !this.unpollable.has(organization.id);
    let candidates = organizations.filter(pollable);
    if (candidates.length > budget) {
      const inView = this.store.organizationsInView();
      candidates = [...inView].map((orgId) => this.store.organizationOrId(orgId)).filter(pollable);
    }
    const turn = (organization: Organization) => this.askedInTick.get(organization.id) ?? -1;
    return candidates.sort((a, b) => turn(a) - turn(b)).slice(0, budget);
  }

  /**
   * One list, from the watermark on. The first call (no watermark) reads the newest sessions as a baseline:
   * what is true then is not news. Rows read again in the watermark's overlap, unchanged, are left out, so a
   * change is news once.
   */
  private async pollList(
    list: (query: SessionListQuery) => Promise<Page<Session>>,
    watermark: number | undefined,
    counter: Counter,
    budget?: { left: number },
  ): Promise<{ readonly watermark: number; readonly complete: boolean }> {
    const first = this.options.pageSize ?? 100;
    const found: Session[] = [];
    const startedAt = this.clock.now();
    let answeredAt: number | undefined;
    let after: string | undefined;
    let pages = 0;
    do {
      counter.requests++;
      if (budget) budget.left--;
      const page = await list({ first, after, updatedAfter: watermark });
      answeredAt ??= page.answeredAt;
      found.push(...page.items);
      after = usableNextCursor(page, after);
      pages++;
    } while (
      watermark !== undefined &&
      after &&
      pages < (this.options.maxPagesPerTick ?? 10) &&
      (budget === undefined || budget.left > 0)
    );
    const unsubscribe = this.store.onDidChangeSessions((change) => (counter.changed += change.changed.length));
    try {
      if (watermark === undefined) this.store.merge(found, 'load');
      else
        this.store.merge(
          found.filter((session) => !seenAlready(this.store.session(session.id), session)),
          'poll',
        );
    } finally {
      unsubscribe.dispose();
    }
    // The baseline reads one page on purpose; a read of changes that stopped with pages left is incomplete.
    const truncated = watermark !== undefined && after !== undefined;
    return {
      watermark: nextWatermark(watermark, { startedAt, answeredAt, sessions: found, truncated }),
      complete: watermark !== undefined && !truncated,
    };
  }
}

interface Counter {
  requests: number;
  changed: number;
}

/** The API is away or busy, rather than refusing this one request. */
function isTransient(error: unknown): boolean {
  return isDevinApiError(error) && ['rateLimited', 'server', 'network', 'timeout'].includes(error.kind);
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
