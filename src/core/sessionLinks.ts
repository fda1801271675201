import * as l10n from '@vscode/l10n';
/**
 * Session references people paste or click: `devin-…` ids, bare 32-hex ids, Devin web app URLs and
 * this extension's own editor links. Free of `vscode` so the parsing is testable in plain Node.
 */

export const EXTENSION_AUTHORITY = 'devin-vscode.devin-vscode';
export const SESSION_URI_PATH = '/session';

export interface SessionReference {
  /** Always in the `devin-…` form. */
  readonly sessionId: string;
  /** Known only from editor links (or when the caller names it). */
  readonly orgId?: string;
}

export type ParsedSessionReference = SessionReference | { readonly error: string };

const DEVIN_ID = /^devin-[A-Za-z0-9]{6,64}$/i;
const BARE_HEX_ID = /^[0-9a-f]{32}$/i;
const ORG_ID = /^[A-Za-z0-9_-]{1,128}$/;

function help(): string {
  return l10n.t(
    'Paste a session ID (devin-…, or its 32 hexadecimal characters) or the link to a session in the Devin app.',
  );
}

function notASession(text: string): string {
  return `${l10n.t('"{0}" is not a Devin session ID or link.', clip(text))} ${help()}`;
}

/** Reads what the user typed or pasted; the answer says what is wrong when it is not a session. */
export function parseSessionReference(text: string): ParsedSessionReference {
  const trimmed = text.trim().replace(/^<(.*)>$/, '$1');
  if (!trimmed) return { error: help() };
  const asId = sessionIdFrom(trimmed);
  if (asId) return { sessionId: asId };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { error: notASession(trimmed) };
  }
  if (url.hostname.toLowerCase() === EXTENSION_AUTHORITY && url.pathname === SESSION_URI_PATH)
    return parseSessionUriQuery(url.search.slice(1));
  if (url.protocol === 'https:' || url.protocol === 'http:') {
    // The web app shows a session at /sessions/<id> (also under an organization prefix on some deployments).
    const segments = url.pathname.split('/').filter(Boolean);
    const index = segments.lastIndexOf('sessions');
    const candidate = index >= 0 ? segments[index + 1] : undefined;
    const decoded = candidate !== undefined ? decodeSegment(candidate) : undefined;
    if (decoded === null)
      return {
        error: `${l10n.t('That link is damaged: it has a "%" that is not followed by two hexadecimal digits. Copy it again.')} ${help()}`,
      };
    const sessionId = decoded ? sessionIdFrom(decoded) : undefined;
    if (sessionId) return { sessionId };
    return {
      error: `${l10n.t('That link does not point to a Devin session (expected …/sessions/<id>).')} ${help()}`,
    };
  }
  return { error: notASession(trimmed) };
}

/** The query of `vscode://devin-vscode.devin-vscode/session?id=…&org=…`. */
export function parseSessionUriQuery(query: string): ParsedSessionReference {
  const params = new URLSearchParams(query);
  const id = params.get('id') ?? '';
  const sessionId = sessionIdFrom(id.trim());
  if (!sessionId) return { error: l10n.t('The link names no valid Devin session ("{0}").', clip(id)) };
  const org = params.get('org')?.trim();
  if (org && !ORG_ID.test(org)) return { error: l10n.t('The link names no valid organization ("{0}").', clip(org)) };
  return org ? { sessionId, orgId: org } : { sessionId };
}

/** A link that opens the session in this extension (`uriScheme` is `vscode`, `vscode-insiders`, …). */
export function editorSessionLink(uriScheme: string, sessionId: string, orgId: string | undefined): string {
  const query = new URLSearchParams({ id: sessionId, ...(orgId ? { org: orgId } : {}) });
  return `${uriScheme}://${EXTENSION_AUTHORITY}${SESSION_URI_PATH}?${query.toString()}`;
}

function sessionIdFrom(text: string): string | undefined {
  if (DEVIN_ID.test(text)) return `devin-${text.slice('devin-'.length).toLowerCase()}`;
  if (BARE_HEX_ID.test(text)) return `devin-${text.toLowerCase()}`;
  return undefined;
}

/** A path segment with its %-escapes decoded; null when a stray `%` makes it undecodable. */
function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
