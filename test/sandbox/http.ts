// Request context, error types and query/body helpers shared by every route module.

import type { Principal } from './auth';
import type { Store } from './data';

export type ApiVersion = 'v3' | 'v3beta1';
export type Query = Record<string, string | string[]>;

export interface Ctx {
  version: ApiVersion;
  method: string;
  /** Path without the version prefix, e.g. "/organizations/org-x/sessions". */
  path: string;
  params: Record<string, string>;
  query: Query;
  body: unknown;
  bodyInvalid: boolean;
  principal: Principal;
  store: Store;
  nowMs: number;
  /** `http://127.0.0.1:PORT` as the client addressed it, for absolute URLs in responses. */
  origin?: string;
  /** The body as received and its content type, for the one multipart endpoint (uploads). */
  rawBody?: string;
  contentType?: string;
}

export interface Reply {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** An error with a ready-made body; the server renders it as-is. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly contentType = 'application/json',
  ) {
    super(`HTTP ${status}`);
  }
}

export interface FieldError {
  loc: (string | number)[];
  msg: string;
  type: string;
  input?: unknown;
}

/** Rendered per API version: FastAPI `{detail:[...]}` on v3beta1, problem+json with `errors` on v3. */
export class ValidationFailure extends Error {
  constructor(readonly errors: FieldError[]) {
    super('validation failed');
  }
}

export function problem(status: number, title: string, detail: string, instance?: string): ApiError {
  return new ApiError(status, { type: 'about:blank', title, status, detail, instance }, 'application/problem+json');
}

export function legacy(status: number, detail: string): ApiError {
  return new ApiError(status, { detail });
}

export function invalid(loc: (string | number)[], msg: string, type: string, input?: unknown): ValidationFailure {
  return new ValidationFailure([{ loc, msg, type, ...(input === undefined ? {} : { input }) }]);
}

export function renderValidation(version: ApiVersion, errors: FieldError[], instance: string): ApiError {
  if (version === 'v3beta1') return new ApiError(422, { detail: errors });
  const detail = errors.map((e) => `${e.loc.join('.')}: ${e.msg}`).join('; ');
  return new ApiError(
    422,
    { type: 'about:blank', title: 'Validation Error', status: 422, detail, instance, errors },
    'application/problem+json',
  );
}

// ---- query helpers ----

export function one(query: Query, key: string): string | undefined {
  const v = query[key];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** Accepts both repeated keys (`a=1&a=2`) and comma-separated values (`a=1,2`), as real clients send both. */
export function list(query: Query, key: string): string[] | undefined {
  const v = query[key];
  if (v === undefined) return undefined;
  const parts = (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(','));
  return parts.map((s) => s.trim()).filter((s) => s.length > 0);
}

export function intParam(query: Query, key: string): number | undefined {
  const raw = one(query, key);
  if (raw === undefined || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw.trim())) {
    throw invalid(
      ['query', key],
      'Input should be a valid integer, unable to parse string as an integer',
      'int_parsing',
      raw,
    );
  }
  return Number(raw);
}

export function boolParam(query: Query, key: string): boolean | undefined {
  const raw = one(query, key);
  if (raw === undefined || raw === '') return undefined;
  const v = raw.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  throw invalid(['query', key], 'Input should be a valid boolean, unable to interpret input', 'bool_parsing', raw);
}

// ---- paging ----

export interface Page<T> {
  items: T[];
  end_cursor: string | null;
  has_next_page: boolean;
  total: number;
}

export function parseFirst(query: Query): number {
  const first = intParam(query, 'first');
  if (first === undefined) return 100;
  if (first < 1)
    throw invalid(
      ['query', 'first'],
      'Input should be greater than or equal to 1',
      'greater_than_equal',
      one(query, 'first'),
    );
  if (first > 200)
    throw invalid(
      ['query', 'first'],
      'Input should be less than or equal to 200',
      'less_than_equal',
      one(query, 'first'),
    );
  return first;
}

export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ v: 1, o: offset })).toString('base64');
}

export function decodeCursor(cursor: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { v?: unknown; o?: unknown };
    if (parsed.v === 1 && typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // fall through: any undecodable cursor is a client error
  }
  return undefined;
}

/** Cursor paging over an already filtered and ordered array. */
export function paginate<T, R = T>(query: Query, all: readonly T[], map?: (item: T) => R): Page<R> {
  const first = parseFirst(query);
  const after = one(query, 'after');
  let offset = 0;
  if (after !== undefined && after !== '') {
    const decoded = decodeCursor(after);
    if (decoded === undefined) throw invalid(['query', 'after'], 'Invalid pagination cursor', 'value_error', after);
    offset = decoded;
  }
  const slice = all.slice(offset, offset + first);
  const next = offset + slice.length;
  const hasNext = next < all.length;
  return {
    items: map ? slice.map(map) : (slice as unknown as R[]),
    end_cursor: hasNext ? encodeCursor(next) : null,
    has_next_page: hasNext,
    total: all.length,
  };
}

// ---- body helpers ----

export function bodyObject(ctx: Ctx): Record<string, unknown> {
  if (ctx.bodyInvalid) throw invalid(['body', 0], 'JSON decode error', 'json_invalid');
  if (ctx.body === undefined) throw invalid(['body'], 'Field required', 'missing');
  if (typeof ctx.body !== 'object' || ctx.body === null || Array.isArray(ctx.body)) {
    throw invalid(
      ['body'],
      'Input should be a valid dictionary or object to extract fields from',
      'model_attributes_type',
      ctx.body,
    );
  }
  return ctx.body as Record<string, unknown>;
}

/** Collects errors for required non-blank string fields so a 422 lists all of them at once. */
export function requireStrings(body: Record<string, unknown>, fields: string[]): void {
  const errors: FieldError[] = [];
  for (const f of fields) {
    const v = body[f];
    if (v === undefined || v === null) errors.push({ loc: ['body', f], msg: 'Field required', type: 'missing' });
    else if (typeof v !== 'string')
      errors.push({ loc: ['body', f], msg: 'Input should be a valid string', type: 'string_type', input: v });
    else if (v.trim().length === 0)
      errors.push({
        loc: ['body', f],
        msg: 'String should have at least 1 character',
        type: 'string_too_short',
        input: v,
      });
  }
  if (errors.length > 0) throw new ValidationFailure(errors);
}

export function optionalInt(body: Record<string, unknown>, field: string): number | null | undefined {
  const v = body[field];
  if (v === undefined || v === null) return v as null | undefined;
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw invalid(['body', field], 'Input should be a valid integer', 'int_type', v);
  return v;
}

export function optionalStringArray(body: Record<string, unknown>, field: string): string[] | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    throw invalid(['body', field], 'Input should be a valid list of strings', 'list_type', v);
  }
  return v as string[];
}

export const sec = (ms: number): number => Math.floor(ms / 1000);
