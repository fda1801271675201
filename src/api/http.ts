import * as l10n from '@vscode/l10n';
import type { Dispatcher } from 'undici';
import { invalidTokenCharacter } from '../core/tokenShape';
import { DevinApiError, extractServerMessage, type DevinErrorKind } from './errors';
import type * as UndiciTransport from './undiciTransport';

/**
 * The HTTP layer under the Devin client: one pooled connection agent (or the user's proxy), bearer
 * auth from a token source, timeouts, cancellation, and a bounded retry policy. It knows nothing of
 * endpoints; it turns every failure into a `DevinApiError`.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | readonly string[] | undefined | null;

export interface HttpRequest {
  readonly method: HttpMethod;
  /** Path after the host, starting with `/`, e.g. `/v3/organizations/org-1/sessions`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  /** The permission named in a 403 message when the server does not say. */
  readonly permission?: string;
  /** Sent as `multipart/form-data` instead of a JSON body (attachment uploads). */
  readonly upload?: MultipartFile;
  /** Told when a 2xx answer was dated by the server (its `Date` header, Unix ms). */
  readonly onAnswerDate?: (unixMs: number) => void;
}

export interface MultipartFile {
  readonly field: string;
  readonly fileName: string;
  readonly bytes: Uint8Array;
  readonly contentType?: string;
}

export interface RetryPolicy {
  /** Extra attempts after a 5xx, network error or timeout; only for GET, which is safe to repeat. */
  readonly readRetries: number;
  /** Extra attempts after a 429; any method, since a rate-limited request was not carried out. */
  readonly rateLimitRetries: number;
  readonly baseDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the error goes to the user instead. */
  readonly maxRetryAfterSeconds: number;
}

export interface HttpClientOptions {
  readonly baseUrl: string;
  readonly getToken: () => Promise<string | undefined>;
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** `http://host:port` of a proxy (VS Code's `http.proxy`), or undefined for direct connections. */
  readonly proxyUrl?: string;
  /**
   * `false` skips certificate checks on proxied connections only (VS Code's `http.proxyStrictSSL`, for proxies
   * that re-sign TLS); a direct connection always checks the certificate, since nothing stands between it and
   * the host that receives the token.
   */
  readonly rejectUnauthorized?: boolean;
  readonly userAgent?: string;
  /** Injectable so tests need not wait for real back-off delays. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  /** A body longer than this is not read to the end; the request fails with a `ResponseTooLargeError`. */
  readonly maxResponseBytes?: number;
}

// undici is most of the extension's code and takes tens of milliseconds to evaluate, and nothing before the first
// request needs it: the view's first paint and every command's input step run without it. The shipped build puts it
// in a file of its own (dist/undici.js), so activation neither evaluates nor even reads it; it is required here.
let transport: typeof UndiciTransport | undefined;
function undici(): typeof UndiciTransport {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (transport ??= require('./undiciTransport') as typeof UndiciTransport);
}

/**
 * Encodes an upload as `multipart/form-data` bytes with the platform's own FormData encoder (Response), so the
 * request is an ordinary byte body with its boundary in the content type, whatever dispatcher sends it.
 */
async function multipartBody(upload: MultipartFile): Promise<{ bytes: Uint8Array; contentType: string }> {
  const form = new FormData();
  const blob = new Blob([upload.bytes.slice()], { type: upload.contentType ?? 'application/octet-stream' });
  form.append(upload.field, blob, upload.fileName);
  const encoded = new Response(form);
  const contentType = encoded.headers.get('content-type') ?? 'multipart/form-data';
  return { bytes: new Uint8Array(await encoded.arrayBuffer()), contentType };
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  readRetries: 2,
  rateLimitRetries: 2,
  baseDelayMs: 500,
  maxRetryAfterSeconds: 30,
};
const DEFAULT_TIMEOUT_MS = 30_000;
/** Far above any real page (200 sessions are well under 1 MB), far below what would hurt the extension host. */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export class HttpClient {
  private dispatcherInstance: Dispatcher | undefined;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  readonly baseUrl: string;

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.sleep = options.sleep ?? abortableSleep;
    this.random = options.random ?? Math.random;
  }

  /** One pooled agent (or the user's proxy), made on the first request. */
  private get dispatcher(): Dispatcher {
    if (!this.dispatcherInstance) {
      const { Agent, ProxyAgent } = undici();
      const options = this.options;
      const tls = options.rejectUnauthorized === false ? { rejectUnauthorized: false } : undefined;
      this.dispatcherInstance = options.proxyUrl
        ? new ProxyAgent({ uri: options.proxyUrl, requestTls: tls, proxyTls: tls })
        : new Agent({ keepAliveTimeout: 30_000, connections: 8 });
    }
    return this.dispatcherInstance;
  }

  async requestJson(req: HttpRequest): Promise<unknown> {
    const token = await this.options.getToken();
    if (!token) throw new DevinApiError({ kind: 'signedOut' });
    const endpoint = `${req.method} ${req.path}`;
    let readRetriesLeft = req.method === 'GET' ? this.retry.readRetries : 0;
    let rateLimitRetriesLeft = this.retry.rateLimitRetries;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(req, token, endpoint);
      } catch (error) {
        if (!(error instanceof DevinApiError)) throw error;
        let delayMs: number | undefined;
        if (error.kind === 'rateLimited' && rateLimitRetriesLeft > 0) {
          const retryAfter = error.retryAfterSeconds;
          if (retryAfter !== undefined && retryAfter > this.retry.maxRetryAfterSeconds) throw error;
          rateLimitRetriesLeft--;
          delayMs = retryAfter !== undefined ? retryAfter * 1000 : this.backoff(attempt);
        } else if (isRetryableRead(error.kind) && readRetriesLeft > 0) {
          readRetriesLeft--;
          delayMs = this.backoff(attempt);
        }
        if (delayMs === undefined) throw error;
        await this.sleep(delayMs, req.signal).catch(() => {
          throw new DevinApiError({ kind: 'cancelled', endpoint });
        });
      }
    }
  }

  /**
   * Downloads a file the API links to (attachments). The token goes only to the API's own host, and never
   * along a redirect: the API answers with 307 to a presigned storage URL that must not see it.
   */
  async requestBytes(
    url: string,
    options: { readonly signal?: AbortSignal; readonly permission?: string; readonly maxBytes?: number } = {},
  ): Promise<{ readonly bytes: Uint8Array; readonly contentType: string | undefined }> {
    const token = await this.options.getToken();
    if (!token) throw new DevinApiError({ kind: 'signedOut' });
    let target = new URL(url, this.baseUrl);
    const endpoint = `GET ${target.pathname}`;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    for (let hop = 0; hop < 5; hop++) {
      const authorized = hop === 0 && target.origin === new URL(this.baseUrl).origin;
      let response: Dispatcher.ResponseData;
      try {
        response = await this.dispatcher.request({
          origin: target.origin,
          path: target.pathname + target.search,
          method: 'GET',
          signal,
          headers: {
            'user-agent': this.options.userAgent ?? 'devin-vscode',
            ...(authorized ? { authorization: `Bearer ${token}` } : {}),
          },
          headersTimeout: this.timeoutMs,
          bodyTimeout: this.timeoutMs,
        });
      } catch (error) {
        if (authorized && isInvalidHeader(error, 'authorization')) throw invalidTokenError(token, endpoint);
        throw transportError(error, endpoint, options.signal, timeout, false);
      }
      const status = response.statusCode;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && typeof location === 'string') {
        await response.body.dump();
        target = new URL(location, target);
        continue;
      }
      const ok = status >= 200 && status < 300;
      const limitBytes = options.maxBytes ?? this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
      let body: Buffer;
      try {
        body = ok
          ? await readCapped(response, limitBytes, () => new ResponseTooLargeError(endpoint, limitBytes, 'file'))
          : await readCapped(response, MAX_ERROR_BODY_BYTES);
      } catch (error) {
        if (error instanceof ResponseTooLargeError) throw error;
        throw transportError(error, endpoint, options.signal, timeout, false);
      }
      if (ok) {
        const contentType = response.headers['content-type'];
        return {
          bytes: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
          contentType: typeof contentType === 'string' ? contentType : undefined,
        };
      }
      const text = body.toString('utf8');
      const parsed = parseJson(text);
      throw new DevinApiError({
        kind: kindForStatus(status),
        status,
        endpoint,
        permission: authorized ? options.permission : undefined,
        serverMessage: extractServerMessage(parsed === PARSE_FAILED ? text.slice(0, 200) : parsed),
      });
    }
    throw new DevinApiError({ kind: 'malformed', endpoint });
  }

  async close(): Promise<void> {
    await this.dispatcherInstance?.close();
  }

  /** Exponential back-off with full jitter, so many windows retrying do not stampede together. */
  private backoff(attempt: number): number {
    const ceiling = this.retry.baseDelayMs * 2 ** attempt;
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  private async attempt(req: HttpRequest, token: string, endpoint: string): Promise<unknown> {
    if (req.signal?.aborted) throw new DevinApiError({ kind: 'cancelled', endpoint });
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    let response: Dispatcher.ResponseData;
    const multipart = req.upload ? await multipartBody(req.upload) : undefined;
    try {
      const url = new URL(this.baseUrl + req.path + encodeQuery(req.query));
      response = await this.dispatcher.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: req.method,
        signal,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          'user-agent': this.options.userAgent ?? 'devin-vscode',
          ...(multipart
            ? { 'content-type': multipart.contentType }
            : req.body !== undefined
              ? { 'content-type': 'application/json' }
              : {}),
        },
        body: multipart ? multipart.bytes : req.body !== undefined ? JSON.stringify(req.body) : undefined,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
    } catch (error) {
      // Refused before anything was written: the request certainly did not reach the server.
      if (isInvalidHeader(error, 'authorization')) throw invalidTokenError(token, endpoint);
      throw transportError(error, endpoint, req.signal, timeout, req.method !== 'GET' && mayHaveBeenSent(error));
    }
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    const limitBytes = this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    let text: string;
    try {
      const body = ok
        ? await readCapped(response, limitBytes, () => new ResponseTooLargeError(endpoint, limitBytes))
        : await readCapped(response, MAX_ERROR_BODY_BYTES);
      text = body.toString('utf8');
    } catch (error) {
      if (error instanceof ResponseTooLargeError) throw error;
      // The status line arrived: for a write, a 2xx says the work was done even though its body was lost.
      // A read is simply repeated.
      if (req.method !== 'GET' && response.statusCode >= 200 && response.statusCode < 300)
        throw new DevinApiError({ kind: 'malformed', status: response.statusCode, endpoint });
      throw transportError(error, endpoint, req.signal, timeout, false);
    }
    const parsed = parseJson(text);
    const status = response.statusCode;
    if (status >= 200 && status < 300) {
      const date = Date.parse(String(response.headers.date ?? ''));
      if (!Number.isNaN(date)) req.onAnswerDate?.(date);
      if (text.trim() === '') return null;
      if (parsed === PARSE_FAILED) throw new DevinApiError({ kind: 'malformed', status, endpoint });
      return parsed;
    }
    throw new DevinApiError({
      kind: kindForStatus(status),
      status,
      endpoint,
      permission: req.permission,
      retryAfterSeconds: status === 429 ? parseRetryAfter(response.headers['retry-after']) : undefined,
      serverMessage: extractServerMessage(parsed === PARSE_FAILED ? text.slice(0, 200) : parsed),
    });
  }
}

/** A response body that passed the size limit; reading stops there and the connection is dropped. */
export class ResponseTooLargeError extends DevinApiError {
  constructor(endpoint: string, limitBytes: number, what: 'response' | 'file' = 'response') {
    super({ kind: 'malformed', endpoint });
    this.name = 'ResponseTooLargeError';
    const megabytes = Math.round(limitBytes / (1024 * 1024));
    this.message =
      what === 'file'
        ? l10n.t('The file is larger than {0} MB, so it was not downloaded ({1}).', megabytes, endpoint)
        : l10n.t(
            'The Devin API sent more than {0} MB for one response ({1}), so it was not read. If this keeps happening, check devin.apiBaseUrl points at the Devin API.',
            megabytes,
            endpoint,
          );
  }
}

/** Enough of an error body for the server's message; the rest of a gateway's page or a dump is never read. */
export const MAX_ERROR_BODY_BYTES = 8 * 1024;

/**
 * Reads a body up to `limitBytes` and drops the connection as soon as it goes past: with `tooLarge` the read
 * fails with that error (a body that must be whole), without it the first `limitBytes` are kept (an error body,
 * read only for its message). A declared length past the limit is not read at all.
 */
async function readCapped(
  response: Dispatcher.ResponseData,
  limitBytes: number,
  tooLarge?: () => Error,
): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    if (tooLarge && declared > limitBytes) throw tooLarge();
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      received += chunk.length;
      if (received > limitBytes) {
        if (tooLarge) throw tooLarge();
        drop(response);
        return Buffer.concat(chunks).subarray(0, limitBytes);
      }
    }
  } catch (error) {
    drop(response);
    throw error;
  }
  return Buffer.concat(chunks);
}

/** Dropping the connection is the point; the stream's own abort error is expected and not news. */
function drop(response: Dispatcher.ResponseData): void {
  response.body.on('error', () => undefined);
  response.body.destroy();
}

function isRetryableRead(kind: DevinErrorKind): boolean {
  return kind === 'server' || kind === 'network' || kind === 'timeout';
}

function kindForStatus(status: number): DevinErrorKind {
  switch (status) {
    case 400:
      return 'badRequest';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'notFound';
    case 409:
      return 'conflict';
    case 422:
      return 'validation';
    case 429:
      return 'rateLimited';
    default:
      return status >= 500 ? 'server' : 'badRequest';
  }
}

function transportError(
  error: unknown,
  endpoint: string,
  userSignal: AbortSignal | undefined,
  timeout: AbortSignal,
  outcomeUnknown: boolean,
): DevinApiError {
  if (userSignal?.aborted) return new DevinApiError({ kind: 'cancelled', endpoint, outcomeUnknown });
  const code = errorCode(error);
  if (
    timeout.aborted ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return new DevinApiError({ kind: 'timeout', endpoint, outcomeUnknown });
  }
  return new DevinApiError({ kind: 'network', endpoint, outcomeUnknown });
}

/** Failures that happen before a connection exists, so the request certainly never reached the server. */
const NEVER_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Anything else (a reset, a timeout waiting for headers, a cancellation) may have come after the write. */
function mayHaveBeenSent(error: unknown): boolean {
  const code = errorCode(error);
  if (code === undefined) return true;
  return !NEVER_SENT_CODES.has(code) && !/CERT|TLS|SSL/.test(code);
}

/** undici refuses a header value holding a character HTTP does not allow (`invalid authorization header`). */
function isInvalidHeader(error: unknown, header: string): boolean {
  return (
    errorCode(error) === 'UND_ERR_INVALID_ARG' &&
    error instanceof Error &&
    error.message.toLowerCase() === `invalid ${header} header`
  );
}

function invalidTokenError(token: string, endpoint: string): DevinApiError {
  return new DevinApiError({ kind: 'invalidToken', endpoint, tokenCharacter: invalidTokenCharacter(token) });
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown; cause?: { code?: unknown } } | undefined)?.code;
  if (typeof code === 'string') return code;
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return typeof cause === 'string' ? cause : undefined;
}

/** `Retry-After` is either delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/** Arrays go as repeated keys (`tags=a&tags=b`), which is what the FastAPI server parses natively. */
export function encodeQuery(query: Readonly<Record<string, QueryValue>> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, item);
    else params.append(key, String(value));
  }
  const encoded = params.toString();
  return encoded ? `?${encoded}` : '';
}

const PARSE_FAILED = Symbol('parse-failed');

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return PARSE_FAILED;
  }
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
