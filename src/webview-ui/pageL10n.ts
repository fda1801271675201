import * as l10n from '@vscode/l10n';

/**
 * Loads the translations the host put in the page's head. Imported first by each page, so that every
 * `l10n.t` the page calls afterwards finds them; in English the bundle is empty and each string is its own key.
 */
const block = document.getElementById('l10n-bundle');
const contents = block?.textContent ? (JSON.parse(block.textContent) as Record<string, string>) : {};
if (Object.keys(contents).length > 0) l10n.config({ contents });

/**
 * The display language the host wrote into `<html lang>`, for numbers and dates: a browser's own default can
 * differ from VS Code's display language.
 */
export function pageLocale(): string | undefined {
  return document.documentElement.lang || undefined;
}
