import * as l10n from '@vscode/l10n';
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
  // Each message names the setting ({0}), the value as typed ({1}) and an example of a good value ({2}).
  const args = [API_BASE_URL_SETTING, quoted(text), DEFAULT_API_BASE_URL] as const;
  const invalid = (problem: string): ApiBaseUrl => ({ ok: false, problem });
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text))
    return invalid(
      l10n.t(
        'The {0} setting {1} has no scheme: it must start with https://. Nothing was sent; fix the setting (for example {2}).',
        ...args,
      ),
    );
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return invalid(
      l10n.t('The {0} setting {1} is not a valid URL. Nothing was sent; fix the setting (for example {2}).', ...args),
    );
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname.toLowerCase());
  if (url.protocol === 'http:' && !loopback)
    return invalid(
      l10n.t(
        'The {0} setting {1} uses plain http:// to another machine, which would send your token unencrypted: use https:// (http:// is allowed only for 127.0.0.1, ::1 and localhost). Nothing was sent; fix the setting (for example {2}).',
        ...args,
      ),
    );
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return invalid(
      l10n.t(
        'The {0} setting {1} uses the {3} scheme: only https:// is supported. Nothing was sent; fix the setting (for example {2}).',
        ...args,
        url.protocol.replace(/:$/, ''),
      ),
    );
  if (!url.hostname)
    return invalid(
      l10n.t('The {0} setting {1} has no host name. Nothing was sent; fix the setting (for example {2}).', ...args),
    );
  if (url.username || url.password)
    return invalid(
      l10n.t(
        'The {0} setting {1} contains a user name or password: remove them from the URL. Nothing was sent; fix the setting (for example {2}).',
        ...args,
      ),
    );
  if (url.search || text.includes('?'))
    return invalid(
      l10n.t(
        'The {0} setting {1} contains a query (?…): remove it. Nothing was sent; fix the setting (for example {2}).',
        ...args,
      ),
    );
  if (url.hash || text.includes('#'))
    return invalid(
      l10n.t(
        'The {0} setting {1} contains a fragment (#…): remove it. Nothing was sent; fix the setting (for example {2}).',
        ...args,
      ),
    );
  // A base URL that already ends in a version (copied from the docs) would double it in every path.
  const path = url.pathname.replace(/\/+$/, '').replace(/\/(v3beta1|v3|v2|v1)$/, '');
  return { ok: true, baseUrl: `${url.origin}${path}`, origin: url.origin };
}

/** The value as typed, but never its credentials: a `user:password@` part is the one thing not to echo. */
function quoted(text: string): string {
  const shown = text.replace(/\/\/[^/@]*@/, '//…@');
  return `"${shown.length > 100 ? `${shown.slice(0, 100)}…` : shown}"`;
}
