import * as l10n from '@vscode/l10n';
/** Checks the shape of a pasted token before any network call, with a message for each mistake. */

export type TokenProblem = 'empty' | 'legacyKey' | 'invalidCharacter' | 'whitespace' | 'unexpectedPrefix';

/** Checks the shape of a pasted token before any network call. */
export function checkTokenShape(value: string): TokenProblem | undefined {
  const token = value.trim();
  if (!token) return 'empty';
  if (token.startsWith('apk_')) return 'legacyKey';
  if (invalidTokenCharacter(token) !== undefined) return 'invalidCharacter';
  if (/\s/.test(token)) return 'whitespace';
  if (!token.startsWith('cog_')) return 'unexpectedPrefix';
  return undefined;
}

/**
 * The first character of `token` that no key contains: keys are printable ASCII, and anything else (an ellipsis
 * a copy put in place of a cut-off end, a NUL, a line break, a non-breaking space) either cannot go in an HTTP
 * header at all or would only be rejected by the server. Plain spaces are left to the whitespace check.
 */
export function invalidTokenCharacter(token: string): string | undefined {
  return /[^\x20-\x7e]/u.exec(token)?.[0];
}

/** The message for a token holding `character` (see invalidTokenCharacter); said alike by Sign In and the client. */
export function describeInvalidTokenCharacter(character: string | undefined): string {
  if (character === undefined)
    return l10n.t('The token contains a character that cannot be part of a key; copy it again.');
  const code = `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  // An invisible character is named by its code alone: quoting it would show nothing, or break the line.
  const visible = /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(character);
  return l10n.t(
    'The token contains a character that cannot be part of a key ({0}); copy it again.',
    visible ? `"${character}" ${code}` : code,
  );
}

/** `value` is the token the problem was found in, to name the character for `invalidCharacter`. */
export function describeTokenProblem(problem: TokenProblem, value = ''): string {
  switch (problem) {
    case 'invalidCharacter':
      return describeInvalidTokenCharacter(invalidTokenCharacter(value.trim()));
    case 'empty':
      return l10n.t('Paste a Devin API token (it starts with cog_).');
    case 'legacyKey':
      return l10n.t(
        'This is a legacy apk_ key: it works only with Devin API v1 and is not accepted by v3. Create a service user or personal access token in Devin (Settings → Service users) and paste its cog_ token.',
      );
    case 'whitespace':
      return l10n.t('A token has no spaces or line breaks: check what was copied.');
    case 'unexpectedPrefix':
      return l10n.t('Devin v3 tokens start with cog_. Check that you copied the whole token.');
  }
}
