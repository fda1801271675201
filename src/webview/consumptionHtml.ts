import * as l10n from '@vscode/l10n';

/**
 * The consumption page's HTML shell. Only static markup lives here: every value from the API reaches
 * the page later by `postMessage` and is written with `textContent`, so nothing in this string is
 * ever built from data. The CSP allows our stylesheet and font files and only the script carrying
 * this render's nonce; inline handlers and style attributes are refused.
 */
export interface ShellUris {
  readonly cspSource: string;
  readonly script: string;
  readonly stylesheet: string;
}

/**
 * A fresh nonce per render: a nonce that repeats across renders would let an old injected script run. Web Crypto's
 * global loads on first use, where importing node:crypto would cost every activation a few milliseconds.
 */
export function createNonce(): string {
  return Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(18))).toString('base64');
}

/** The display language and its translated strings, which the page reads before it draws anything. */
export interface PageLocale {
  readonly language: string;
  /** `vscode.l10n.bundle`: undefined in English, where every string is its own key. */
  readonly bundle: Record<string, string> | undefined;
}

/**
 * The translations as an inert JSON block: `type="application/json"` is never run, so the CSP is untouched, and
 * `<` is escaped so that no translated text can close the element.
 */
function bundleBlock(locale: PageLocale): string {
  const json = JSON.stringify(locale.bundle ?? {}).replace(/</g, '\\u003c');
  return `<script type="application/json" id="l10n-bundle">${json}</script>`;
}

/**
 * The head every panel page shares: a CSP that allows nothing but our stylesheet, fonts and images and the one
 * script carrying this render's nonce.
 */
export function pageHead(uris: ShellUris, nonce: string, title: string, locale: PageLocale): string {
  const csp = [
    "default-src 'none'",
    `img-src ${uris.cspSource}`,
    `style-src ${uris.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${uris.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${escapeAttribute(locale.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${uris.stylesheet}">
<title>${escapeHtml(title)}</title>
${bundleBlock(locale)}
</head>`;
}

function escapeAttribute(value: string): string {
  return value.replace(/[^A-Za-z0-9-]/g, '');
}

/** Translated text goes into markup and attributes: a translation must not be able to add either. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character] as string,
  );
}

export function consumptionHtml(uris: ShellUris, nonce: string, locale: PageLocale): string {
  return `${pageHead(uris, nonce, l10n.t('Devin ACU consumption'), locale)}
<body>
<main class="consumption" aria-busy="true">
  <header class="toolbar">
    <h1 id="heading">${escapeHtml(l10n.t('ACU consumption'))}</h1>
    <div class="ranges" role="group" aria-label="${escapeHtml(l10n.t('Date range'))}">
      <button type="button" class="range" data-days="7" aria-pressed="false">${escapeHtml(l10n.t('{0} days', 7))}</button>
      <button type="button" class="range" data-days="30" aria-pressed="false">${escapeHtml(l10n.t('{0} days', 30))}</button>
      <button type="button" class="range" data-days="90" aria-pressed="false">${escapeHtml(l10n.t('{0} days', 90))}</button>
    </div>
    <form class="custom-range" id="custom-range" aria-label="${escapeHtml(l10n.t('Custom date range'))}">
      <label>${escapeHtml(l10n.t('From'))} <input type="date" id="range-start" required></label>
      <label>${escapeHtml(l10n.t('To'))} <input type="date" id="range-end" required></label>
      <button type="submit">${escapeHtml(l10n.t('Apply'))}</button>
    </form>
    <label class="split"><input type="checkbox" id="split-by-product"> ${escapeHtml(l10n.t('Split by product'))}</label>
    <div class="actions">
      <button type="button" id="export-csv">${escapeHtml(l10n.t('Export CSV…'))}</button>
      <button type="button" id="copy-csv">${escapeHtml(l10n.t('Copy CSV'))}</button>
    </div>
  </header>
  <section class="budget" id="budget" hidden>
    <label for="budget-meter" id="budget-text"></label>
    <meter id="budget-meter" min="0" max="100" low="80" high="100" optimum="0"></meter>
  </section>
  <p class="status" id="status" role="status" aria-live="polite"></p>
  <progress id="progress" hidden></progress>
  <section class="error" id="error" role="alert" hidden>
    <p id="error-message"></p>
    <button type="button" id="retry">${escapeHtml(l10n.t('Retry'))}</button>
  </section>
  <section class="empty" id="empty" hidden>
    <p>${escapeHtml(l10n.t('No ACUs were consumed in this range.'))}</p>
  </section>
  <section class="summary" id="summary" hidden>
    <p class="total"><span class="total-label">${escapeHtml(l10n.t('Total'))}</span> <strong id="total"></strong> <span>${escapeHtml(l10n.t('ACUs'))}</span> <span class="range-label" id="range-label"></span></p>
    <div class="chart">
      <canvas id="chart" role="img" aria-describedby="table-caption"></canvas>
    </div>
    <table id="table">
      <caption id="table-caption"></caption>
      <thead><tr id="table-head"></tr></thead>
      <tbody id="table-body"></tbody>
      <tfoot><tr id="table-foot"></tr></tfoot>
    </table>
  </section>
  <section class="sessions" id="sessions" aria-labelledby="sessions-heading" hidden>
    <h2 id="sessions-heading"></h2>
    <p class="status" id="sessions-status" role="status" aria-live="polite"></p>
    <progress id="sessions-progress" hidden></progress>
    <div class="error" id="sessions-error" role="alert" hidden>
      <p id="sessions-error-message"></p>
      <button type="button" id="sessions-retry"></button>
    </div>
    <p class="empty" id="sessions-empty" hidden></p>
    <table id="sessions-table" hidden>
      <caption id="sessions-caption"></caption>
      <thead><tr id="sessions-head"></tr></thead>
      <tbody id="sessions-body"></tbody>
      <tfoot><tr id="sessions-foot"></tr></tfoot>
    </table>
    <p class="notes" id="sessions-notes"></p>
    <button type="button" id="sessions-show-all" hidden></button>
  </section>
</main>
<script nonce="${nonce}" src="${uris.script}"></script>
</body>
</html>`;
}
