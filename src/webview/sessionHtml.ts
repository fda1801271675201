import * as l10n from '@vscode/l10n';
import { escapeHtml, pageHead, type PageLocale, type ShellUris } from './consumptionHtml';

/**
 * The session page's HTML shell: static markup only. Titles, messages and everything else from the API
 * arrive by `postMessage`; the page writes plain values with `textContent` and Devin's Markdown through
 * markdown-it with HTML disabled. The CSP allows our stylesheet and the one script carrying this render's
 * nonce; images from the conversation are not loaded.
 */
export function sessionHtml(uris: ShellUris, nonce: string, locale: PageLocale): string {
  return `${pageHead(uris, nonce, l10n.t('Devin session'), locale)}
<body>
<main class="session" aria-busy="true">
  <header class="header" id="header">
    <div class="title-row">
      <h1 id="title">${escapeHtml(l10n.t('Loading session…'))}</h1>
      <span class="status" id="status" hidden><span class="status-dot" aria-hidden="true"></span><span id="status-label"></span></span>
    </div>
    <dl class="facts" id="facts"></dl>
    <ul class="pull-requests" id="pull-requests" aria-label="${escapeHtml(l10n.t('Pull requests'))}" hidden></ul>
  </header>
  <section class="error" id="load-error" role="alert" hidden>
    <p id="load-error-message"></p>
    <button type="button" id="retry">${escapeHtml(l10n.t('Retry'))}</button>
  </section>
  <section class="conversation" id="conversation" aria-label="${escapeHtml(l10n.t('Conversation'))}">
    <p class="older" id="older" hidden><button type="button" id="load-older" class="link-button">${escapeHtml(l10n.t('Show earlier messages'))}</button></p>
    <ol class="messages" id="messages" aria-live="polite"></ol>
    <p class="activity" id="activity" role="status" hidden><span class="spinner" aria-hidden="true"></span><span id="activity-text"></span></p>
  </section>
  <form class="reply" id="reply">
    <label class="visually-hidden" for="reply-text">${escapeHtml(l10n.t('Message to Devin'))}</label>
    <textarea id="reply-text" rows="3" placeholder="${escapeHtml(l10n.t('Reply to Devin (Ctrl+Enter to send)'))}"></textarea>
    <div class="reply-footer">
      <p class="reply-notice" id="reply-notice" role="status"></p>
      <button type="submit" id="send">${escapeHtml(l10n.t('Send'))}</button>
    </div>
    <p class="send-error" id="send-error" role="alert" hidden></p>
  </form>
</main>
<script nonce="${nonce}" src="${uris.script}"></script>
</body>
</html>`;
}
