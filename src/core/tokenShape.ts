import * as l10n from '@vscode/l10n';
/** Checks the shape of a pasted token before any network call, with a message for each mistake. */

export type TokenProblem = 'empty' | 'legacyKey' | 'whitespace' | 'unexpectedPrefix';

/** Checks the shape of a pasted token before any network call. */
export function checkTokenShape(value: string): TokenProblem | undefined {
  const token = value.trim();
  if (!token) return 'empty';
  if (token.startsWith('apk_')) return 'legacyKey';
  if (/\s/.test(token)) return 'whitespace';
  if (!token.startsWith('cog_')) return 'unexpectedPrefix';
  return undefined;
}

export function describeTokenProblem(problem: TokenProblem): string {
  switch (problem) {
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
