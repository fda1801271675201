/**
 * Where the token may be sent. `devin.apiBaseUrl` decides which host receives `Authorization: Bearer cog_…`,
 * so it is checked before any request: HTTPS anywhere, plain HTTP only to this machine (the local sandbox, a
 * port-forward), and nothing that would put other data in the URL.
 */

export const DEFAULT_API_BASE_URL = 'https://api.devin.ai';
export const API_BASE_URL_SETTING = 'devin.apiBaseUrl';

export type ApiBaseUrl =
  | { readonly ok: true; readonly baseUrl: string; readonly origin: string }
  | { readonly ok: false; readonly problem: string };

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

export function parseApiBaseUrl(raw: string | undefined): ApiBaseUrl {
  const text = (raw ?? '').trim() || DEFAULT_API_BASE_URL;
  const invalid = (what: string): ApiBaseUrl => ({
    ok: false,
    problem: `The ${API_BASE_URL_SETTING} setting ${quoted(text)} ${what}. Nothing was sent; fix the setting (for example ${DEFAULT_API_BASE_URL}).`,
  });
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return invalid('has no scheme: it must start with https://');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return invalid('is not a valid URL');
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname.toLowerCase());
  if (url.protocol === 'http:' && !loopback)
    return invalid(
      'uses plain http:// to another machine, which would send your token unencrypted: use https:// (http:// is allowed only for 127.0.0.1, ::1 and localhost)',
    );
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return invalid(`uses the ${url.protocol.replace(/:$/, '')} scheme: only https:// is supported`);
  if (!url.hostname) return invalid('has no host name');
  if (url.username || url.password) return invalid('contains a user name or password: remove them from the URL');
  if (url.search || text.includes('?')) return invalid('contains a query (?…): remove it');
  if (url.hash || text.includes('#')) return invalid('contains a fragment (#…): remove it');
  // A base URL that already ends in a version (copied from the docs) would double it in every path.
  const path = url.pathname.replace(/\/+$/, '').replace(/\/(v3beta1|v3|v2|v1)$/, '');
  return { ok: true, baseUrl: `${url.origin}${path}`, origin: url.origin };
}

/** The value as typed, but never its credentials: a `user:password@` part is the one thing not to echo. */
function quoted(text: string): string {
  const shown = text.replace(/\/\/[^/@]*@/, '//…@');
  return `"${shown.length > 100 ? `${shown.slice(0, 100)}…` : shown}"`;
}
