// The Devin API sandbox: a real HTTP server on 127.0.0.1 that answers like the Devin REST API
// (/v3 and /v3beta1) with seeded data, real auth and injectable faults. Test-only; never bundled.

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveAuth, unauthorized, type AuthLabel } from './auth';
import { Store } from './data';
import { FaultController, parseFault, runsHandler, type AfterHandlerFault, type Fault } from './faults';
import {
  ApiError,
  ValidationFailure,
  decodeCursor,
  encodeCursor,
  one,
  renderValidation,
  type ApiVersion,
  type Ctx,
  type Query,
} from './http';
import { Router } from './router';
import { consumptionRoutes } from './routes/consumption';
import { sessionCreationControl, sessionFieldsControl, sessionMessageControl } from './routes/control';
import { enterpriseRoutes } from './routes/enterprise';
import { knowledgeRoutes } from './routes/knowledge';
import { serviceUserRoutes } from './routes/service-users';
import { sessionRoutes } from './routes/sessions';
import { enterpriseSessionRoutes } from './routes/enterprise-sessions';
import { sessionControl } from './sessionControl';
import { seedScaled, seedStore } from './seed';
import { attachmentFile, sessionLookupRoutes } from './routes/session-actions';
import { SANDBOX_TOKENS, type SandboxTokens } from './tokens';
import { checkWriteBody, isBetaOnly } from './writeSchemas';
import { roleRoutes } from './routes/roles';
import { scheduleRoutes } from './routes/schedules';
import { acuLimitRoutes } from './routes/acuLimits';

export { FaultController } from './faults';
export type { Fault } from './faults';
export { FAULT_KINDS, FAULT_STATUSES } from './faults';
export { SANDBOX_TOKENS, SANDBOX_ORG_IDS, SANDBOX_ORG_SERVICE_USER_ORG_ID, SANDBOX_MEMBER_ORG_IDS } from './tokens';
export type { SandboxTokens } from './tokens';
export { SANDBOX_SCHEDULE_IDS } from './seed-schedules';

export interface SandboxOptions {
  /** 0 = random free port (default) */
  port?: number;
  /** ms clock; inject one to fast-forward session progress */
  now?: () => number;
  /** how long each step of a created session's progress takes, default 4000 ms */
  sessionStepMs?: number;
  /** instead of the usual seed: this many organizations with this many sessions each (benchmarks) */
  scale?: { organizations: number; sessionsPerOrganization: number };
  /** false: answers carry no `Date` header (some proxies strip it); otherwise it reads the injected clock */
  dateHeader?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** without query string */
  path: string;
  query: Record<string, string | string[]>;
  /** parsed JSON, or undefined when absent or unparsable */
  body: unknown;
  /** which principal the request authenticated as; tokens themselves are never recorded */
  authorized: AuthLabel;
  /** the injected fault this request met, if any */
  fault?: Fault['kind'];
  /** size of the response body in bytes, once it was sent */
  responseBytes?: number;
}

/** How many of each kind of object the sandbox holds, to count what a client action created. */
export interface Inventory {
  organizations: number;
  sessions: number;
  /** messages sent by users, prompts included */
  userMessages: number;
  notes: number;
  principals: number;
  schedules: number;
  /** sessions per organization id */
  sessionsByOrg: Record<string, number>;
}

export interface Sandbox {
  /** e.g. "http://127.0.0.1:43123" — no trailing slash, no version prefix */
  baseUrl: string;
  tokens: SandboxTokens;
  faults: FaultController;
  /** every API request received, in order (control requests under /_sandbox excluded) */
  requests: RecordedRequest[];
  /** restore seeded data, clear faults and recorded requests */
  reset(): void;
  inventory(): Inventory;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 5 * 1024 * 1024;

const router = new Router().add([
  ...enterpriseRoutes,
  ...consumptionRoutes,
  ...serviceUserRoutes,
  ...sessionRoutes,
  ...knowledgeRoutes,
  ...enterpriseSessionRoutes,
  ...sessionLookupRoutes,
  ...roleRoutes,
  ...scheduleRoutes,
  ...acuLimitRoutes,
]);

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const now = options.now ?? Date.now;
  // a zero step would divide ACU growth by zero
  const stepMs = Math.max(1, options.sessionStepMs ?? 4000);
  const startMs = now();
  const faults = new FaultController();
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const freshStore = (): Store => {
    const s = new Store(startMs, stepMs);
    if (options.scale) seedScaled(s, options.scale.organizations, options.scale.sessionsPerOrganization);
    else seedStore(s);
    return s;
  };
  let store = freshStore();

  const reset = (): void => {
    store = freshStore();
    faults.clear();
    requests.length = 0;
  };

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const rawUrl = req.url ?? '/';
    const url = new URL(rawUrl, 'http://sandbox.invalid');
    // The server's own clock, the one its `updated_at` values come from, as a real server's `Date` is.
    if (options.dateHeader === false) res.sendDate = false;
    else res.setHeader('date', new Date(now()).toUTCString());
    const text = await readBody(req);
    if (text === undefined) return send(res, 413, { detail: 'Request body too large' });
    let body: unknown;
    let bodyInvalid = false;
    if (text.trim().length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        bodyInvalid = true;
      }
    }
    if (url.pathname === '/_sandbox' || url.pathname.startsWith('/_sandbox/')) {
      return control(method, url.pathname, body, bodyInvalid, res);
    }
    // The "presigned" attachment URLs a download redirects to: no bearer token wanted, like S3.
    if (url.pathname.startsWith('/_files/')) {
      if (req.headers.authorization) return send(res, 400, { detail: 'Only one auth mechanism allowed' });
      const file = attachmentFile(store, decodeURIComponent(url.pathname.slice('/_files/'.length)));
      if (!file || url.searchParams.get('X-Amz-Signature') === null) return send(res, 403, { detail: 'AccessDenied' });
      return sendRaw(res, 200, file.content_type ?? 'application/octet-stream', file.content);
    }

    const auth = resolveAuth(req.headers.authorization, store, now());
    const label: AuthLabel = 'principal' in auth ? auth.principal.label : auth.error === 'none' ? 'none' : 'invalid';
    const recorded: RecordedRequest = {
      method,
      path: url.pathname,
      query: parseQuery(url.searchParams),
      body: bodyInvalid ? undefined : body,
      authorized: label,
    };
    requests.push(recorded);
    res.once('finish', () => (recorded.responseBytes = sentBytes.get(res)));

    const fault = faults.take(method, rawUrl);
    if (fault) recorded.fault = fault.kind;
    if (fault && !runsHandler(fault)) return applyFault(fault, req, res, parseQuery(url.searchParams));
    if (fault?.kind === 'slow') {
      await delay(fault.delayMs);
      if (res.destroyed || res.writableEnded) return;
    }
    const query = parseQuery(url.searchParams);
    if (fault?.kind === 'overlappingPages') overlapPages(query, fault.pageSize ?? 2);
    const afterHandler = fault && fault.kind !== 'slow' && fault.kind !== 'overlappingPages' ? fault : undefined;

    const m = /^\/(v3beta1|v3)(\/.*)?$/.exec(url.pathname);
    if (!m) return send(res, 404, { detail: 'Not Found' });
    const version = m[1] as ApiVersion;
    const path = m[2] ?? '/';
    if (isBetaOnly(version, path)) return send(res, 404, { detail: 'Not Found' });
    const match = router.match(method, path);
    if (match === undefined) return send(res, 404, { detail: 'Not Found' });
    if (match === 'method-not-allowed') return send(res, 405, { detail: 'Method Not Allowed' });
    if ('error' in auth) return sendError(res, unauthorized(auth.error), { 'www-authenticate': 'Bearer' });

    const ctx: Ctx = {
      version,
      method,
      path,
      params: match.params,
      query,
      body,
      bodyInvalid,
      principal: auth.principal,
      store,
      nowMs: now(),
      origin: `http://${req.headers.host ?? '127.0.0.1'}`,
      rawBody: text,
      contentType: req.headers['content-type'],
    };
    let answer: Answer;
    try {
      checkWriteBody(version, method, path, body);
      const reply = match.handler(ctx);
      answer = { status: reply.status ?? 200, body: reply.body, headers: reply.headers };
    } catch (err) {
      const error =
        err instanceof ValidationFailure
          ? renderValidation(version, err.errors, url.pathname)
          : err instanceof ApiError
            ? err
            : undefined;
      if (!error) console.error('[sandbox] handler crashed', err);
      answer = error
        ? { status: error.status, body: error.body, contentType: error.contentType }
        : { status: 500, body: { detail: 'Internal Server Error' } };
    }
    if (afterHandler) return answerAfterHandler(afterHandler, answer, req, res);
    sendRaw(res, answer.status, answer.contentType ?? 'application/json', JSON.stringify(answer.body), answer.headers);
  }

  /** The route has run and its work is kept; what reaches the client is spoiled. */
  async function answerAfterHandler(
    fault: Exclude<AfterHandlerFault, { kind: 'slow' | 'overlappingPages' }>,
    answer: Answer,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    // An error answer is sent as it is: only the answer to work that was done can be lost.
    const succeeded = answer.status >= 200 && answer.status < 300;
    switch (fault.kind) {
      case 'dropAfterHandler':
        if (!succeeded) break;
        req.socket.destroy();
        return;
      case 'malformedAfterHandler':
        if (!succeeded) break;
        return sendRaw(res, 200, 'application/json', '{"session_id": "devin-');
      case 'timeoutAfterHandler':
        if (!succeeded) break;
        // Long enough to outlast any client timeout; the socket is released when the client gives up.
        await delay(fault.delayMs ?? 120_000);
        break;
      case 'nullRow':
        answer = { ...answer, body: withNullRow(answer.body, fault.fields) };
        break;
      case 'dateHeader':
        answer = { ...answer, headers: { ...answer.headers, date: new Date(fault.dateMs).toUTCString() } };
        break;
    }
    sendRaw(res, answer.status, answer.contentType ?? 'application/json', JSON.stringify(answer.body), answer.headers);
  }

  function control(method: string, path: string, body: unknown, bodyInvalid: boolean, res: http.ServerResponse): void {
    const route = `${method} ${path.replace(/\/$/, '')}`;
    // Adding a message (optionally moving the status) answers with the message's event id; status changes and
    // scripted steps go to the general session control.
    const message = sessionMessageControl(method, path, bodyInvalid ? undefined : body, store, now());
    if (message) return send(res, message.status ?? 200, message.body);
    const created = sessionCreationControl(method, path, bodyInvalid ? undefined : body, store, now());
    if (created) return send(res, created.status ?? 200, created.body);
    const reshaped = sessionFieldsControl(method, path, bodyInvalid ? undefined : body, store, now());
    if (reshaped) return send(res, reshaped.status ?? 200, reshaped.body);
    const steered = sessionControl(store, method, path, body, now());
    if (steered) return send(res, steered.status, steered.body);
    switch (route) {
      case 'GET /_sandbox/health':
        return send(res, 200, { ok: true });
      case 'GET /_sandbox/requests':
        return send(res, 200, requests);
      case 'DELETE /_sandbox/requests':
        requests.length = 0;
        return send(res, 200, { ok: true });
      case 'GET /_sandbox/faults':
        return send(res, 200, faults.list());
      case 'POST /_sandbox/faults': {
        const parsed = bodyInvalid ? 'body is not valid JSON' : parseFault(body);
        if (typeof parsed === 'string') return send(res, 400, { detail: parsed });
        faults.inject(parsed);
        return send(res, 200, { ok: true, faults: faults.list() });
      }
      case 'DELETE /_sandbox/faults':
        faults.clear();
        return send(res, 200, { ok: true });
      case 'POST /_sandbox/reset':
        reset();
        return send(res, 200, { ok: true });
      default:
        return send(res, 404, { detail: `Unknown sandbox control route: ${route}` });
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error('[sandbox] request failed', err);
      if (!res.headersSent && !res.destroyed) send(res, 500, { detail: 'Internal Server Error' });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    tokens: SANDBOX_TOKENS,
    faults,
    requests,
    reset,
    inventory: () => ({
      organizations: store.orgs.size,
      sessions: store.sessions.size,
      userMessages: [...store.sessions.values()].reduce(
        (sum, session) => sum + session.messages.filter((message) => message.source === 'user').length,
        0,
      ),
      notes: store.notes.size,
      principals: store.principals.size,
      schedules: store.schedules.size,
      sessionsByOrg: [...store.sessions.values()].reduce<Record<string, number>>((counts, session) => {
        counts[session.org_id] = (counts[session.org_id] ?? 0) + 1;
        return counts;
      }, {}),
    }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  contentType?: string;
}

let freshCursors = 0;

function applyFault(
  fault: Exclude<Fault, AfterHandlerFault>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  query: Query,
): void {
  switch (fault.kind) {
    case 'drop':
      req.socket.destroy();
      return;
    case 'malformed':
      return sendRaw(res, 200, 'application/json', '{"items": [{"session_id": "devin-');
    case 'wrong-shape':
      return send(res, 200, { items: 'nope', end_cursor: 42, has_next_page: 'maybe' });
    case 'status': {
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      if (fault.body !== undefined) return send(res, fault.status, fault.body, headers);
      // gateways answer 502/503 with HTML, so clients must not assume a JSON error body
      if (fault.status === 502 || fault.status === 503) {
        const title = fault.status === 502 ? '502 Bad Gateway' : '503 Service Temporarily Unavailable';
        return sendRaw(
          res,
          fault.status,
          'text/html',
          `<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`,
          headers,
        );
      }
      if (fault.status === 422) {
        const errors = [{ loc: ['body', 'prompt'], msg: 'Field required', type: 'missing' }];
        if (fault.shape === 'problem')
          return sendRaw(
            res,
            422,
            'application/problem+json',
            JSON.stringify({
              type: 'about:blank',
              title: 'Validation Error',
              status: 422,
              detail: 'body.prompt: Field required',
              errors,
            }),
            headers,
          );
        return send(res, 422, { detail: errors }, headers);
      }
      const detail = STATUS_DETAILS[fault.status];
      if (fault.shape === 'problem')
        return sendRaw(
          res,
          fault.status,
          'application/problem+json',
          JSON.stringify({ type: 'about:blank', title: detail, status: fault.status, detail }),
          headers,
        );
      return send(res, fault.status, { detail }, headers);
    }
    case 'echoToken': {
      const header = String(req.headers.authorization ?? '');
      const token = header.replace(/^Bearer\s+/i, '');
      const echoed =
        fault.encoding === 'url'
          ? encodeURIComponent(header)
          : fault.encoding === 'base64'
            ? Buffer.from(token).toString('base64')
            : fault.encoding === 'header'
              ? `Authorization: ${header}`
              : token;
      return send(res, fault.status ?? 400, { detail: `Request rejected for credential ${echoed}` });
    }
    case 'emptyPageClaimsMore': {
      const after = one(query, 'after');
      const cursor = fault.cursor === 'fresh' ? encodeCursor(1_000_000 + ++freshCursors) : (after ?? encodeCursor(0));
      return send(res, 200, { items: [], data: [], end_cursor: cursor, has_next_page: true, total: 1 });
    }
    case 'oversized':
      return sendRaw(
        res,
        200,
        'application/json',
        oversizedPage(fault.items ?? 20_000, fault.bytes ?? 9 * 1024 * 1024),
      );
  }
}

const STATUS_DETAILS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Could not validate credentials',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Rate limit exceeded. Please retry later.',
  500: 'Internal Server Error',
};

/** Session-shaped rows, each padded so that the whole page is about `bytes` long. */
function oversizedPage(items: number, bytes: number): string {
  const count = Math.max(1, Math.floor(items));
  const padding = 'x'.repeat(Math.max(0, Math.floor(bytes / count) - 160));
  const rows: string[] = [];
  for (let index = 0; index < count; index++) {
    const id = index.toString(16).padStart(32, '0');
    rows.push(
      JSON.stringify({
        session_id: `devin-${id}`,
        status: 'running',
        title: `Oversized ${index} ${padding}`,
        created_at: 1_700_000_000 + index,
        tags: [],
      }),
    );
  }
  return `{"items":[${rows.join(',')}],"end_cursor":null,"has_next_page":false,"total":${count}}`;
}

/** Asks the route for pages of `size` rows, each after the first beginning one row before where it would. */
function overlapPages(query: Query, size: number): void {
  query.first = String(size);
  const after = one(query, 'after');
  const offset = after === undefined ? undefined : decodeCursor(after);
  if (offset !== undefined && offset > 0) query.after = encodeCursor(offset - 1);
}

const ROW_LISTS = ['items', 'organizations', 'data'];

/** Adds a first row like the others but with `fields` null; by default every `*_id` and `message`. */
function withNullRow(body: unknown, fields: string[] | undefined): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const record = body as Record<string, unknown>;
  const key = ROW_LISTS.find((candidate) => Array.isArray(record[candidate]));
  if (!key) return body;
  const rows = record[key] as unknown[];
  const template = (rows[0] && typeof rows[0] === 'object' ? rows[0] : { session_id: 'x', message: 'x' }) as Record<
    string,
    unknown
  >;
  const nulled = Object.fromEntries(
    Object.entries(template).map(([name, value]) => [
      name,
      (fields ? fields.includes(name) : name.endsWith('_id') || name === 'message') ? null : value,
    ]),
  );
  for (const name of fields ?? []) nulled[name] = null;
  return { ...record, [key]: [nulled, ...rows] };
}

const sentBytes = new WeakMap<http.ServerResponse, number>();

function parseQuery(params: URLSearchParams): Query {
  const out: Query = {};
  for (const [key, value] of params) {
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else out[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendError(res: http.ServerResponse, err: ApiError, headers?: Record<string, string>): void {
  sendRaw(res, err.status, err.contentType, JSON.stringify(err.body), headers);
}

function send(res: http.ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  sendRaw(res, status, 'application/json', JSON.stringify(body), headers);
}

function sendRaw(
  res: http.ServerResponse,
  status: number,
  contentType: string,
  text: string,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed || res.headersSent) return;
  sentBytes.set(res, Buffer.byteLength(text));
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
