import type { Fault, RecordedRequest } from '../sandbox/server';

/**
 * The columns of the fault matrix: each is one sandbox fault, aimed by the row at its command's main
 * request, together with how many times the client may repeat that request under it (the retry policy:
 * reads are retried twice after a 5xx, a lost connection or a timeout; anything is retried twice after a
 * 429 whose Retry-After is short; nothing else is repeated).
 */

/** One cell of either fault matrix, as written to its report: both reports share this shape. */
export interface CellResult {
  command: string;
  fault: string;
  ok: boolean;
  shown: string[];
  textKept: boolean | null;
  requests: { method: string; path: string; fault?: string }[];
  created: number;
  createdAfterRetry: number | null;
  failures: string[];
  expectedFailure: string | null;
  durationMs: number;
}

export interface MatrixFault {
  readonly id: string;
  /** The sandbox fault, without `match` and `times`, which the row supplies. */
  readonly fault: Fault;
  readonly allowedRepeats: (method: string) => number;
}

/** The client is given this long per request, so the timeout columns stay quick. */
export const CLIENT_TIMEOUT_SECONDS = 1;
const PAST_TIMEOUT_MS = CLIENT_TIMEOUT_SECONDS * 1000 + 2500;

const none = () => 0;
const readsTwice = (method: string) => (method === 'GET' ? 2 : 0);
const twice = () => 2;

export const MATRIX_FAULTS: readonly MatrixFault[] = [
  { id: '401', fault: { kind: 'status', status: 401 }, allowedRepeats: none },
  { id: '403', fault: { kind: 'status', status: 403 }, allowedRepeats: none },
  { id: '404', fault: { kind: 'status', status: 404 }, allowedRepeats: none },
  { id: '422 legacy', fault: { kind: 'status', status: 422 }, allowedRepeats: none },
  { id: '422 problem+json', fault: { kind: 'status', status: 422, shape: 'problem' }, allowedRepeats: none },
  { id: '429', fault: { kind: 'status', status: 429 }, allowedRepeats: twice },
  { id: '429 Retry-After 1', fault: { kind: 'status', status: 429, retryAfterSeconds: 1 }, allowedRepeats: twice },
  // Longer than the client waits for by itself: the user is told to wait instead.
  { id: '429 Retry-After 600', fault: { kind: 'status', status: 429, retryAfterSeconds: 600 }, allowedRepeats: none },
  { id: '500', fault: { kind: 'status', status: 500 }, allowedRepeats: readsTwice },
  { id: '502 HTML', fault: { kind: 'status', status: 502 }, allowedRepeats: readsTwice },
  { id: 'drop', fault: { kind: 'drop' }, allowedRepeats: readsTwice },
  { id: 'drop after write', fault: { kind: 'dropAfterHandler' }, allowedRepeats: readsTwice },
  { id: 'timeout', fault: { kind: 'slow', delayMs: PAST_TIMEOUT_MS }, allowedRepeats: readsTwice },
  {
    id: 'timeout after write',
    fault: { kind: 'timeoutAfterHandler', delayMs: PAST_TIMEOUT_MS },
    allowedRepeats: readsTwice,
  },
  { id: 'malformed', fault: { kind: 'malformed' }, allowedRepeats: none },
  { id: 'wrong shape', fault: { kind: 'wrong-shape' }, allowedRepeats: none },
  { id: 'token echoed', fault: { kind: 'echoToken', encoding: 'plain' }, allowedRepeats: none },
  { id: 'token echoed, URL-encoded', fault: { kind: 'echoToken', encoding: 'url' }, allowedRepeats: none },
  { id: 'token echoed, base64', fault: { kind: 'echoToken', encoding: 'base64' }, allowedRepeats: none },
];

/**
 * Cells that fail today because of a defect another change fixes. Each entry names the defect it waits
 * on; remove the entry once that fix is merged. A cell listed here still runs every check, and the
 * suite fails if a listed cell passes (so a stale entry cannot hide).
 */
export interface ExpectedFailure {
  readonly command: string | '*';
  readonly fault: string;
  readonly waitsOn: string;
  /** The defect shows only in some runs (a race), so a pass does not mean the entry is stale. */
  readonly racy?: boolean;
}

export const EXPECTED_FAILURES: readonly ExpectedFailure[] = [];

export function expectedFailure(command: string, fault: string): ExpectedFailure | undefined {
  return EXPECTED_FAILURES.find(
    (entry) => (entry.command === '*' || entry.command === command) && entry.fault === fault,
  );
}

/**
 * The one write that may follow a refused write: service users go to the specification's older
 * `/members/service-users` only when the current `/service-users` answers 404 (API reference §4.11, §8).
 */
function isDocumentedFallback(faulted: RecordedRequest, request: RecordedRequest, fault: MatrixFault): boolean {
  return (
    fault.id === '404' &&
    faulted.method === 'POST' &&
    faulted.path.endsWith('/service-users') &&
    request.method === 'POST' &&
    request.path === faulted.path.replace(/\/service-users$/, '/members/service-users')
  );
}

/** Requests after the faulted one that the policy does not allow, described for the report. */
export function unpermittedRequests(
  requests: readonly RecordedRequest[],
  fault: MatrixFault,
  alsoAllowed: (request: RecordedRequest) => boolean,
): string[] {
  const faultedAt = requests.findIndex((request) => request.fault !== undefined);
  if (faultedAt < 0) return [];
  const faulted = requests[faultedAt] as RecordedRequest;
  const after = requests.slice(faultedAt + 1);
  const problems: string[] = [];
  const repeats = after.filter((request) => request.method === faulted.method && request.path === faulted.path);
  const allowed = fault.allowedRepeats(faulted.method);
  if (repeats.length > allowed)
    problems.push(
      `${faulted.method} ${faulted.path} sent ${repeats.length + 1} times; the retry policy allows ${allowed + 1}`,
    );
  for (const request of after) {
    if (repeats.includes(request) || alsoAllowed(request) || isDocumentedFallback(faulted, request, fault)) continue;
    // Reads cannot duplicate work (a lookup before a retry, a refresh); writes after a failure can.
    if (request.method !== 'GET') problems.push(`unexpected ${request.method} ${request.path} after the fault`);
  }
  const reads = after.filter((request) => request.method === 'GET' && !repeats.includes(request));
  if (reads.length > 20) problems.push(`${reads.length} reads after the fault`);
  return problems;
}
