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

/** Statuses a `status` fault can answer with: the API's documented errors plus what gateways send. */
export const FAULT_STATUSES = [400, 401, 403, 404, 409, 422, 429, 500, 502, 503] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];

export type Fault = FaultCommon &
  (
    | {
        kind: 'status';
        status: FaultStatus;
        retryAfterSeconds?: number;
        body?: unknown;
        /** `problem` answers RFC 9457 problem+json (v3's shape); `legacy` the FastAPI `{detail}` (default). */
        shape?: 'legacy' | 'problem';
      }
    | { kind: 'slow'; delayMs: number }
    | { kind: 'malformed' }
    | { kind: 'drop' }
    | { kind: 'wrong-shape' }
    // The route ran and its work is done, then the answer is lost: the client cannot know the outcome.
    | { kind: 'dropAfterHandler' }
    | { kind: 'timeoutAfterHandler'; delayMs?: number }
    /** The work is done and a 200 arrives whose body cannot be read. */
    | { kind: 'malformedAfterHandler' }
    /** An error body that repeats the caller's token, as careless servers and proxies do. */
    | { kind: 'echoToken'; status?: FaultStatus; encoding?: 'plain' | 'url' | 'base64' | 'header' }
    /** `has_next_page: true` with no rows; `repeat` hands back the cursor it was given. */
    | { kind: 'emptyPageClaimsMore'; cursor?: 'repeat' | 'fresh' }
    /** A 200 page far larger than asked for: `items` rows padded out to about `bytes`. */
    | { kind: 'oversized'; items?: number; bytes?: number }
    /** The route's answer with one extra row whose `fields` are null (default: its ids and `message`). */
    | { kind: 'nullRow'; fields?: string[] }
    /**
     * Pages of `pageSize` rows (default 2) whatever was asked, each after the first beginning with the last row
     * of the page before: a list that changed while it was being paged.
     */
    | { kind: 'overlappingPages'; pageSize?: number }
    /** The route's answer dated `dateMs` by its `Date` header: a proxy's stale copy, a server whose clock broke. */
    | { kind: 'dateHeader'; dateMs: number }
  );

export const FAULT_KINDS = [
  'status',
  'slow',
  'malformed',
  'drop',
  'wrong-shape',
  'dropAfterHandler',
  'timeoutAfterHandler',
  'malformedAfterHandler',
  'echoToken',
  'emptyPageClaimsMore',
  'oversized',
  'nullRow',
  'overlappingPages',
  'dateHeader',
] as const satisfies readonly Fault['kind'][];

/** Faults applied around the route (to what it is asked, or to its answer) instead of replacing it. */
export type AfterHandlerFault = Extract<
  Fault,
  {
    kind:
      | 'dropAfterHandler'
      | 'timeoutAfterHandler'
      | 'malformedAfterHandler'
      | 'nullRow'
      | 'slow'
      | 'overlappingPages'
      | 'dateHeader';
  }
>;

export function runsHandler(fault: Fault): fault is AfterHandlerFault {
  return (
    fault.kind === 'dropAfterHandler' ||
    fault.kind === 'timeoutAfterHandler' ||
    fault.kind === 'malformedAfterHandler' ||
    fault.kind === 'nullRow' ||
    fault.kind === 'slow' ||
    fault.kind === 'overlappingPages' ||
    fault.kind === 'dateHeader'
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
  const optionalNumber = (key: string): number | undefined | string => {
    const value = raw[key];
    if (value === undefined || value === null) return undefined;
    return typeof value === 'number' && value >= 0 ? value : `${key} must be a non-negative number`;
  };
  const isStatus = (value: unknown): value is FaultStatus => FAULT_STATUSES.includes(value as FaultStatus);
  switch (raw.kind) {
    case 'status': {
      if (!isStatus(raw.status)) return `status must be one of ${FAULT_STATUSES.join(', ')}`;
      const fault: Fault = { ...common, kind: 'status', status: raw.status };
      if (typeof raw.retryAfterSeconds === 'number') fault.retryAfterSeconds = raw.retryAfterSeconds;
      if (raw.body !== undefined) fault.body = raw.body;
      if (raw.shape !== undefined && raw.shape !== 'legacy' && raw.shape !== 'problem')
        return 'shape must be "legacy" or "problem"';
      if (raw.shape) fault.shape = raw.shape;
      return fault;
    }
    case 'slow':
      if (typeof raw.delayMs !== 'number' || raw.delayMs < 0) return 'delayMs must be a non-negative number';
      return { ...common, kind: 'slow', delayMs: raw.delayMs };
    case 'malformed':
    case 'drop':
    case 'wrong-shape':
    case 'dropAfterHandler':
    case 'malformedAfterHandler':
      return { ...common, kind: raw.kind };
    case 'timeoutAfterHandler': {
      const delayMs = optionalNumber('delayMs');
      if (typeof delayMs === 'string') return delayMs;
      return { ...common, kind: 'timeoutAfterHandler', ...(delayMs !== undefined ? { delayMs } : {}) };
    }
    case 'echoToken': {
      if (raw.status !== undefined && !isStatus(raw.status))
        return `status must be one of ${FAULT_STATUSES.join(', ')}`;
      const encodings = ['plain', 'url', 'base64', 'header'];
      if (raw.encoding !== undefined && !encodings.includes(raw.encoding as string))
        return `encoding must be one of ${encodings.join(', ')}`;
      return {
        ...common,
        kind: 'echoToken',
        ...(raw.status !== undefined ? { status: raw.status as FaultStatus } : {}),
        ...(raw.encoding !== undefined ? { encoding: raw.encoding as 'plain' | 'url' | 'base64' | 'header' } : {}),
      };
    }
    case 'emptyPageClaimsMore':
      if (raw.cursor !== undefined && raw.cursor !== 'repeat' && raw.cursor !== 'fresh')
        return 'cursor must be "repeat" or "fresh"';
      return { ...common, kind: 'emptyPageClaimsMore', ...(raw.cursor ? { cursor: raw.cursor } : {}) };
    case 'oversized': {
      const items = optionalNumber('items');
      if (typeof items === 'string') return items;
      const bytes = optionalNumber('bytes');
      if (typeof bytes === 'string') return bytes;
      return {
        ...common,
        kind: 'oversized',
        ...(items !== undefined ? { items } : {}),
        ...(bytes !== undefined ? { bytes } : {}),
      };
    }
    case 'nullRow':
      if (raw.fields !== undefined && !(Array.isArray(raw.fields) && raw.fields.every((f) => typeof f === 'string')))
        return 'fields must be an array of strings';
      return { ...common, kind: 'nullRow', ...(raw.fields ? { fields: raw.fields as string[] } : {}) };
    case 'overlappingPages': {
      // One row a page, each beginning one row back, would never move on.
      if (raw.pageSize !== undefined && !(Number.isInteger(raw.pageSize) && (raw.pageSize as number) >= 2))
        return 'pageSize must be an integer of at least 2';
      return {
        ...common,
        kind: 'overlappingPages',
        ...(raw.pageSize !== undefined ? { pageSize: raw.pageSize as number } : {}),
      };
    }
    case 'dateHeader':
      if (typeof raw.dateMs !== 'number' || !Number.isFinite(raw.dateMs)) return 'dateMs must be a number (Unix ms)';
      return { ...common, kind: 'dateHeader', dateMs: raw.dateMs };
    default:
      return `kind must be one of ${FAULT_KINDS.join(', ')}`;
  }
}
