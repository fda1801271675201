// Injected failures let tests exercise the client's retry, timeout and parsing paths against a real
// socket instead of mocks.

export interface FaultMatch {
  method?: string;
  /** Substring of the request URL (path plus query string). */
  pathIncludes?: string;
}

interface FaultCommon {
  match?: FaultMatch;
  /** How many matching requests the fault affects; default 1, Infinity allowed. */
  times?: number;
}

export type Fault = FaultCommon &
  (
    | { kind: 'status'; status: 401 | 403 | 429 | 500 | 502 | 503; retryAfterSeconds?: number; body?: unknown }
    | { kind: 'slow'; delayMs: number }
    | { kind: 'malformed' }
    | { kind: 'drop' }
    | { kind: 'wrong-shape' }
    | AfterHandlerFault
  );

/**
 * The route handler runs (the session, note or organization exists) and then its answer is lost: the
 * connection drops, no answer comes for `delayMs` before it drops, or a 200 arrives with an unreadable body.
 * Only successful replies are lost; a handler's error reply is sent as usual.
 */
export type AfterHandlerFault = FaultCommon &
  (
    { kind: 'dropAfterHandler' } | { kind: 'timeoutAfterHandler'; delayMs?: number } | { kind: 'malformedAfterHandler' }
  );

export function isAfterHandlerFault(fault: Fault): fault is AfterHandlerFault {
  return (
    fault.kind === 'dropAfterHandler' || fault.kind === 'timeoutAfterHandler' || fault.kind === 'malformedAfterHandler'
  );
}

interface ActiveFault {
  fault: Fault;
  remaining: number;
}

export class FaultController {
  private active: ActiveFault[] = [];

  inject(fault: Fault): void {
    const times = fault.times === undefined ? 1 : fault.times;
    if (!(times > 0)) throw new Error(`fault.times must be positive, got ${String(fault.times)}`);
    this.active.push({ fault: { ...fault }, remaining: times });
  }

  clear(): void {
    this.active = [];
  }

  /** Faults still waiting to fire, oldest first. */
  list(): Fault[] {
    return this.active.map((a) => ({ ...a.fault, times: a.remaining }));
  }

  /** Consumes one use of the oldest fault matching the request, if any. */
  take(method: string, url: string): Fault | undefined {
    const index = this.active.findIndex((a) => matches(a.fault.match, method, url));
    if (index < 0) return undefined;
    const entry = this.active[index] as ActiveFault;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.active.splice(index, 1);
    return entry.fault;
  }
}

function matches(match: FaultMatch | undefined, method: string, url: string): boolean {
  if (!match) return true;
  if (match.method && match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (match.pathIncludes && !url.includes(match.pathIncludes)) return false;
  return true;
}

const STATUSES = [429, 500, 502, 503];

/** Validates a fault received as JSON over the control API; JSON cannot carry Infinity, so accept a string. */
export function parseFault(input: unknown): Fault | string {
  if (typeof input !== 'object' || input === null) return 'fault must be a JSON object';
  const raw = input as Record<string, unknown>;
  const common: FaultCommon = {};
  if (raw.match !== undefined && raw.match !== null) {
    if (typeof raw.match !== 'object') return 'match must be an object';
    const m = raw.match as Record<string, unknown>;
    common.match = {};
    if (typeof m.method === 'string') common.match.method = m.method;
    if (typeof m.pathIncludes === 'string') common.match.pathIncludes = m.pathIncludes;
  }
  if (raw.times !== undefined && raw.times !== null) {
    const t = raw.times === 'Infinity' || raw.times === 'infinite' || raw.times === -1 ? Infinity : raw.times;
    if (typeof t !== 'number' || !(t > 0)) return 'times must be a positive number or "Infinity"';
    common.times = t;
  }
  switch (raw.kind) {
    case 'status': {
      if (typeof raw.status !== 'number' || !STATUSES.includes(raw.status))
        return 'status must be one of 429, 500, 502, 503';
      const fault: Fault = { ...common, kind: 'status', status: raw.status as 429 | 500 | 502 | 503 };
      if (typeof raw.retryAfterSeconds === 'number') fault.retryAfterSeconds = raw.retryAfterSeconds;
      if (raw.body !== undefined) fault.body = raw.body;
      return fault;
    }
    case 'slow':
      if (typeof raw.delayMs !== 'number' || raw.delayMs < 0) return 'delayMs must be a non-negative number';
      return { ...common, kind: 'slow', delayMs: raw.delayMs };
    case 'malformed':
    case 'drop':
    case 'wrong-shape':
      return { ...common, kind: raw.kind };
    case 'dropAfterHandler':
    case 'malformedAfterHandler':
      return { ...common, kind: raw.kind };
    case 'timeoutAfterHandler':
      if (raw.delayMs !== undefined && (typeof raw.delayMs !== 'number' || raw.delayMs < 0))
        return 'delayMs must be a non-negative number';
      return {
        ...common,
        kind: 'timeoutAfterHandler',
        ...(typeof raw.delayMs === 'number' ? { delayMs: raw.delayMs } : {}),
      };
    default:
      return 'kind must be one of status, slow, malformed, drop, wrong-shape, dropAfterHandler, timeoutAfterHandler, malformedAfterHandler';
  }
}
