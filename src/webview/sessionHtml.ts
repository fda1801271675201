import { pageHead, type PageLocale, type ShellUris } from './consumptionHtml';

/**
 * The session page's HTML shell: static markup only. Titles, messages and everything else from the API
 * arrive by `postMessage`; the page writes plain values with `textContent` and Devin's Markdown through
 * markdown-it with HTML disabled. The CSP allows our stylesheet and the one script carrying this render's
 * nonce; images from the conversation are not loaded.
 */
export function sessionHtml(uris: ShellUris, nonce: string, locale: PageLocale): string {
  return `${pageHead(uris, nonce, 'Devin session', locale)}
<body>
<main class="session" aria-busy="true">
  <header class="header" id="header">
    <div class="title-row">
      <h1 id="title">Loading session…</h1>
      <span class="status" id="status" hidden><span class="status-dot" aria-hidden="true"></span><span id="status-label"></span></span>
    </div>
    <dl class="facts" id="facts"></dl>
    <ul class="pull-requests" id="pull-requests" aria-label="Pull requests" hidden></ul>
  </header>
  <section class="error" id="load-error" role="alert" hidden>
    <p id="load-error-message"></p>
    <button type="button" id="retry">Retry</button>
  </section>
  <section class="conversation" id="conversation" aria-label="Conversation">
    <p class="older" id="older" hidden><button type="button" id="load-older" class="link-button">Show earlier messages</button></p>
    <ol class="messages" id="messages" aria-live="polite"></ol>
    <p class="activity" id="activity" role="status" hidden><span class="spinner" aria-hidden="true"></span><span id="activity-text"></span></p>
  </section>
  <form class="reply" id="reply">
    <label class="visually-hidden" for="reply-text">Message to Devin</label>
    <textarea id="reply-text" rows="3" placeholder="Reply to Devin (Ctrl+Enter to send)"></textarea>
    <div class="reply-footer">
      <p class="reply-notice" id="reply-notice" role="status"></p>
      <button type="submit" id="send">Send</button>
    </div>
    <p class="send-error" id="send-error" role="alert" hidden></p>
  </form>
</main>
<script nonce="${nonce}" src="${uris.script}"></script>
</body>
</html>`;
}
