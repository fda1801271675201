import * as l10n from '@vscode/l10n';
/**
 * Links that come from the server (session pages, pull requests) are opened in the system browser or shown
 * as links in hovers. Only `https:` qualifies: a `file:`, `command:`, `vscode:` or custom-scheme URL from a
 * compromised or impersonated server would run a program or an editor command instead of opening a page.
 */
export function safeExternalUrl(raw: string | undefined | null): string | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  // `https://trusted.example@evil.example/` reads as the first host and goes to the second.
  if (url.protocol !== 'https:' || !url.hostname || url.username || url.password) return undefined;
  return url.href;
}

/** Why a server link was not opened, without repeating the link (which could be long or misleading). */
export function describeUnsafeUrl(raw: string | undefined | null, what: string): string {
  const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(raw ?? '')?.[1]?.toLowerCase();
  if (!raw?.trim())
    return l10n.t('The {0} link from Devin was not opened: it is empty. Only https:// links are opened.', what);
  if (scheme && scheme !== 'https')
    return l10n.t(
      'The {0} link from Devin was not opened: it uses {1}: instead of https:. Only https:// links are opened.',
      what,
      scheme,
    );
  return l10n.t(
    'The {0} link from Devin was not opened: it is not a valid https:// address. Only https:// links are opened.',
    what,
  );
}
