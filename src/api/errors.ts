/**
 * Every failure of a Devin API call becomes one `DevinApiError` whose `message` a person can act on.
 * Messages are built from the status, the endpoint's documented permission and the server's own
 * field messages; anything that looks like a credential is redacted before it reaches a message.
 */

import * as l10n from '@vscode/l10n';
import { redactSecrets } from '../core/redaction';
import { describeInvalidTokenCharacter } from '../core/tokenShape';

export type DevinErrorKind =
  | 'signedOut' // no token stored
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'notFound' // 404
  | 'conflict' // 409
  | 'badRequest' // 400
  | 'validation' // 422
  | 'rateLimited' // 429
  | 'server' // 5xx
  | 'network' // connection refused, reset, DNS...
  | 'timeout'
  | 'malformed' // a 2xx body we could not read
  | 'cancelled'
  | 'invalidSettings' // no request was sent: the settings point somewhere the token must not go
  | 'invalidToken'; // no request was sent: the token holds a character that cannot go in a header

export interface DevinApiErrorDetails {
  readonly kind: DevinErrorKind;
  readonly status?: number;
  /** `METHOD /path` without the host or the query, for messages and logs. */
  readonly endpoint?: string;
  /** The permission the call needs, per the API reference, when known. */
  readonly permission?: string;
  readonly retryAfterSeconds?: number;
  readonly serverMessage?: string;
  /**
   * The request was (or may have been) written and no answer was read: a timeout, a lost connection or a
   * cancellation after sending. For a POST the server may have done the work, so it must not be repeated blindly.
   */
  readonly outcomeUnknown?: boolean;
  /** For `malformed`: the body was JSON, but not of the shape the endpoint documents. */
  readonly unexpectedShape?: boolean;
  /** For `invalidSettings`: what is wrong, naming the setting. */
  readonly settingProblem?: string;
  /** For `invalidToken`: the first character of the token that cannot be part of a key, when known. */
  readonly tokenCharacter?: string;
}

export class DevinApiError extends Error {
  readonly kind: DevinErrorKind;
  readonly status?: number;
  readonly endpoint?: string;
  readonly permission?: string;
  readonly retryAfterSeconds?: number;
  readonly serverMessage?: string;
  readonly outcomeUnknown: boolean;
  readonly unexpectedShape?: boolean;

  constructor(details: DevinApiErrorDetails) {
    super(describeError(details));
    this.name = 'DevinApiError';
    this.kind = details.kind;
    this.status = details.status;
    this.endpoint = details.endpoint;
    this.permission = details.permission;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.serverMessage = details.serverMessage;
    this.outcomeUnknown = details.outcomeUnknown ?? false;
    this.unexpectedShape = details.unexpectedShape;
  }
}

export function isDevinApiError(error: unknown): error is DevinApiError {
  return error instanceof DevinApiError;
}

/** Devin may have carried out the request: it was sent, and the answer was lost. */
export function isOutcomeUnknown(error: unknown): error is DevinApiError {
  return error instanceof DevinApiError && error.outcomeUnknown;
}

/** Devin answered 2xx, so the request was carried out, but its body could not be read. */
export function isUnreadableSuccess(error: unknown): error is DevinApiError {
  return error instanceof DevinApiError && error.kind === 'malformed';
}

function describeError(details: DevinApiErrorDetails): string {
  if (details.outcomeUnknown) return describeUnknownOutcome(details.kind);
  const server = details.serverMessage ? ` ${l10n.t('The server said: {0}', details.serverMessage)}` : '';
  switch (details.kind) {
    case 'signedOut':
      return l10n.t('You are not signed in to Devin. Run "Devin: Sign In" and paste a cog_ API token.');
    case 'unauthorized':
      return l10n.t('Your Devin API token is invalid or has expired. Run "Devin: Sign In" with a new token.');
    case 'forbidden':
      return (
        (details.permission
          ? l10n.t(
              "Devin refused the request: This needs the {0} permission, which your token's role does not have. Ask an administrator to grant it, or use a token with a role that has it.",
              details.permission,
            )
          : l10n.t(
              "Devin refused the request: Your token's role does not have the permission this needs. Ask an administrator to grant it, or use a token with a role that has it.",
            )) + server
      );
    case 'notFound':
      return (
        (details.endpoint
          ? l10n.t(
              'Devin could not find that ({0}): it may have been deleted, or your token cannot see it. Check the organization and the API version setting (devin.apiVersion).',
              details.endpoint,
            )
          : l10n.t(
              'Devin could not find that: it may have been deleted, or your token cannot see it. Check the organization and the API version setting (devin.apiVersion).',
            )) + server
      );
    case 'conflict':
      return server
        ? l10n.t('Devin could not do that in the current state.') + server
        : l10n.t('Devin could not do that in the current state. Refresh and try again.');
    case 'badRequest':
      return l10n.t('Devin rejected the request as invalid.') + server;
    case 'validation':
      return details.serverMessage
        ? l10n.t('Devin rejected the request: {0}', details.serverMessage)
        : l10n.t('Devin rejected the request: some fields are invalid.');
    case 'rateLimited':
      return details.retryAfterSeconds !== undefined
        ? l10n.t(
            'Devin is rate limiting requests. Wait about {0} s and try again.',
            Math.ceil(details.retryAfterSeconds),
          )
        : l10n.t('Devin is rate limiting requests. Wait a minute and try again.');
    case 'server':
      return (
        l10n.t('The Devin API had an internal error (HTTP {0}). Try again in a moment.', details.status ?? '5xx') +
        server
      );
    case 'network':
      return l10n.t(
        'Could not reach the Devin API. Check your network, proxy (http.proxy) and the devin.apiBaseUrl setting.',
      );
    case 'timeout':
      return l10n.t(
        'The Devin API did not answer in time. Try again; if it keeps happening, check your network or proxy.',
      );
    case 'malformed': {
      const endpoint = details.endpoint ?? l10n.t('unknown endpoint');
      if (details.unexpectedShape)
        return l10n.t(
          'The Devin API answered in an unexpected shape ({0}), so its answer was not used. Check devin.apiBaseUrl and devin.apiVersion; if they are right, the API may have changed: check for an extension update.',
          endpoint,
        );
      return l10n.t(
        'The Devin API sent a response this extension could not read ({0}). Try again; if it persists, the API may have changed: check for an extension update.',
        endpoint,
      );
    }
    case 'cancelled':
      return l10n.t('The request was cancelled.');
    case 'invalidSettings':
      return details.settingProblem ?? l10n.t('The devin.apiBaseUrl setting is not valid; nothing was sent.');
    case 'invalidToken':
      return describeInvalidTokenCharacter(details.tokenCharacter);
  }
}

function describeUnknownOutcome(kind: DevinErrorKind): string {
  switch (kind) {
    case 'timeout':
      return l10n.t(
        'The Devin API did not answer in time after the request was sent, so Devin may have carried it out. It was not repeated automatically.',
      );
    case 'cancelled':
      return l10n.t(
        'The request was cancelled after it was sent, so Devin may have carried it out. It was not repeated automatically.',
      );
    default:
      return l10n.t(
        'The connection to the Devin API was lost after the request was sent, so Devin may have carried it out. It was not repeated automatically.',
      );
  }
}

export { redactSecrets };

const MAX_SERVER_MESSAGE_LENGTH = 500;

/**
 * Reads the human part of an error body. Devin answers with the legacy `{detail: string}`, FastAPI's
 * `{detail: [{loc, msg}]}` or RFC 9457 problem+json (`title`, `detail`, `errors`), so accept all three.
 */
export function extractServerMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return clip(plainText(body));
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  const parts: string[] = [];
  const detail = record.detail;
  if (Array.isArray(detail)) parts.push(...detail.map(describeFieldError).filter(isNonEmpty));
  if (Array.isArray(record.errors)) parts.push(...record.errors.map(describeFieldError).filter(isNonEmpty));
  // In problem+json a string `detail` beside `errors` summarises those same errors; saying both repeats each one.
  if (parts.length === 0 && typeof detail === 'string' && detail.trim()) parts.push(detail.trim());
  if (parts.length === 0 && typeof record.title === 'string') parts.push(record.title);
  if (parts.length === 0 && typeof record.message === 'string') parts.push(record.message);
  return clip(parts.length > 0 ? parts.join('; ') : undefined);
}

function describeFieldError(item: unknown): string | undefined {
  if (typeof item === 'string') return item;
  if (!item || typeof item !== 'object') return undefined;
  const record = item as Record<string, unknown>;
  const message =
    typeof record.msg === 'string'
      ? record.msg
      : typeof record.message === 'string'
        ? record.message
        : typeof record.detail === 'string'
          ? record.detail
          : undefined;
  if (!message) return undefined;
  const location = Array.isArray(record.loc)
    ? record.loc.filter((part) => part !== 'body' && part !== 'query').join('.')
    : typeof record.field === 'string'
      ? record.field
      : typeof record.pointer === 'string'
        ? record.pointer
        : '';
  return location ? `${location}: ${message}` : message;
}

/**
 * A body that is not JSON: usually a gateway's HTML error page (502, 503), whose markup means nothing in a
 * notification. Keeps the page's title (or its visible text) and drops the rest.
 */
function plainText(body: string): string | undefined {
  const text = body.trim();
  if (!/^<|<\/?(html|head|body|title|h1|div|p|center|pre)\b/i.test(text)) return text || undefined;
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1];
  const visible = (title ?? text)
    .replace(/<(script|style)\b[\s\S]*?(<\/\1\s*>|$)/gi, ' ')
    .replace(/<!--[\s\S]*?(-->|$)/g, ' ')
    .replace(/<[^>]*(>|$)/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_entity, name: string) => HTML_ENTITIES[name] ?? ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return visible || undefined;
}

const HTML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

function clip(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const safe = redactSecrets(text);
  return safe.length > MAX_SERVER_MESSAGE_LENGTH ? `${safe.slice(0, MAX_SERVER_MESSAGE_LENGTH)}…` : safe;
}

function isNonEmpty(value: string | undefined): value is string {
  return typeof value === 'string' && value.length > 0;
}
