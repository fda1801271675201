// Translations load before anything below can ask for a string.
import { pageLocale } from './pageL10n';
import * as l10n from '@vscode/l10n';
import type {
  ChatMessageView,
  HostToPage,
  PageToHost,
  RenderedSession,
  SessionHeaderView,
  SessionPageState,
} from '../shared/sessionProtocol';
import { MAX_MESSAGE_LENGTH } from '../shared/sessionProtocol';
import { renderHeader } from './sessionHeader';
import { renderMarkdown } from './sessionMarkdown';

/**
 * The session page: a chat of the conversation and a reply box. The host fetches, polls and sends; the
 * page renders what it is given, keeps the user's scroll position and typed text, and reports what it drew.
 * The typed text and the session's ids live in `setState`, which brings both back after a reload.
 */

interface VsCodeApi {
  postMessage(message: PageToHost): void;
  getState(): unknown;
  setState(state: SessionPageState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`session page: #${id} is missing from the shell`);
  return element as T;
}

const ui = {
  main: document.querySelector('main') as HTMLElement,
  loadError: byId<HTMLElement>('load-error'),
  loadErrorMessage: byId<HTMLElement>('load-error-message'),
  retry: byId<HTMLButtonElement>('retry'),
  conversation: byId<HTMLElement>('conversation'),
  older: byId<HTMLElement>('older'),
  loadOlder: byId<HTMLButtonElement>('load-older'),
  messages: byId<HTMLOListElement>('messages'),
  activity: byId<HTMLElement>('activity'),
  activityText: byId<HTMLElement>('activity-text'),
  reply: byId<HTMLFormElement>('reply'),
  text: byId<HTMLTextAreaElement>('reply-text'),
  notice: byId<HTMLElement>('reply-notice'),
  send: byId<HTMLButtonElement>('send'),
  sendError: byId<HTMLElement>('send-error'),
};

/** Scrolled this close to an end counts as being at it. */
const EDGE_PX = 48;

let saved = restoreState(vscode.getState());
let header: SessionHeaderView | undefined;
let hasOlder = false;
let loadingOlder = false;
let sending: { readonly id: string; readonly text: string; readonly bubble: HTMLElement } | undefined;
let sendCounter = 0;

function restoreState(value: unknown): SessionPageState | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const state = value as Partial<SessionPageState>;
  if (typeof state.orgId !== 'string' || typeof state.sessionId !== 'string') return undefined;
  return {
    orgId: state.orgId,
    sessionId: state.sessionId,
    draft: typeof state.draft === 'string' ? state.draft : '',
    pending: typeof state.pending === 'string' ? state.pending : undefined,
  };
}

function saveState(): void {
  if (!saved) return;
  saved = { ...saved, draft: ui.text.value, pending: sending?.text };
  vscode.setState(saved);
}

// A message whose send the page never heard back about goes back in the box rather than being lost.
if (saved) {
  ui.text.value = [saved.pending, saved.draft].filter((part) => part).join('\n\n');
  saved = { ...saved, pending: undefined };
}

function post(message: PageToHost): void {
  vscode.postMessage(message);
}

window.addEventListener('message', (event: MessageEvent<HostToPage>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      saved = { orgId: message.orgId, sessionId: message.sessionId, draft: ui.text.value };
      saveState();
      return;
    case 'session':
      header = message.session;
      renderHeader(message.session);
      ui.loadError.hidden = true;
      updateActivity();
      updateReplyBox();
      break;
    case 'messages':
      showMessages(message.mode, message.messages, message.hasOlder);
      break;
    case 'loadError':
      ui.loadErrorMessage.textContent = message.message;
      ui.loadError.hidden = false;
      ui.main.setAttribute('aria-busy', 'false');
      break;
    case 'sendResult':
      finishSend(message);
      break;
    case 'debugInput':
      if (message.text !== undefined) {
        ui.text.value = message.text;
        ui.text.dispatchEvent(new Event('input'));
      }
      if (message.submit) submit();
      if (message.scrollTop !== undefined) ui.conversation.scrollTop = message.scrollTop;
      break;
  }
  scheduleReport();
});

function showMessages(mode: 'replace' | 'append' | 'prepend', messages: readonly ChatMessageView[], older: boolean) {
  const list = ui.messages;
  const scroller = ui.conversation;
  const atBottom = isAtBottom();
  if (mode === 'replace') {
    list.replaceChildren(...messages.map(messageElement));
    if (sending) list.append(sending.bubble);
    hasOlder = older;
    ui.main.setAttribute('aria-busy', 'false');
    scroller.scrollTop = scroller.scrollHeight;
  } else if (mode === 'prepend') {
    const heightBefore = scroller.scrollHeight;
    const topBefore = scroller.scrollTop;
    list.prepend(...messages.map(messageElement));
    hasOlder = older;
    loadingOlder = false;
    // Keep the message the user was reading where it was.
    scroller.scrollTop = topBefore + (scroller.scrollHeight - heightBefore);
  } else {
    for (const message of messages) {
      // A message listed again (one found after a lost answer) still confirms the bubble sent for it.
      if (message.source === 'user') confirmLocal(message.text);
      if (list.querySelector(`[data-id="${CSS.escape(message.id)}"]`)) continue;
      const element = messageElement(message);
      const firstLocal = list.querySelector('.message.local');
      list.insertBefore(element, firstLocal);
    }
    // Follow the conversation only when the user was already at its end; otherwise leave them reading.
    if (atBottom) scroller.scrollTop = scroller.scrollHeight;
  }
  ui.older.hidden = !hasOlder;
}

/** A sent message the API now lists replaces the local bubble that stood for it. */
function confirmLocal(text: string): void {
  for (const bubble of ui.messages.querySelectorAll<HTMLElement>('.message.local.sent')) {
    if (bubble.dataset.text === text) {
      bubble.remove();
      return;
    }
  }
}

function messageElement(message: ChatMessageView): HTMLElement {
  const item = document.createElement('li');
  const fromUser = message.source === 'user';
  item.className = `message ${fromUser ? 'from-user' : 'from-devin'}`;
  item.dataset.id = message.id;
  const meta = document.createElement('div');
  meta.className = 'meta';
  const author = document.createElement('span');
  author.className = 'author';
  author.textContent = fromUser
    ? l10n.t('You')
    : message.source === 'devin'
      ? 'Devin'
      : l10n.t('Devin ({0})', message.source);
  meta.append(author);
  if (message.createdAt !== undefined) {
    const time = document.createElement('time');
    const date = new Date(message.createdAt * 1000);
    time.dateTime = date.toISOString();
    time.textContent = date.toLocaleString(pageLocale(), { dateStyle: 'medium', timeStyle: 'short' });
    meta.append(time);
  }
  const body = document.createElement('div');
  body.className = 'body markdown';
  // markdown-it with HTML disabled escapes every tag in the text; see sessionMarkdown.ts.
  body.innerHTML = renderMarkdown(message.text);
  item.append(meta, body);
  return item;
}

function localBubble(text: string): HTMLElement {
  const item = messageElement({ id: '', source: 'user', text, createdAt: undefined });
  item.removeAttribute('data-id');
  item.classList.add('local', 'pending');
  item.dataset.text = text;
  const state = document.createElement('span');
  state.className = 'send-state';
  state.textContent = l10n.t('Sending…');
  item.querySelector('.meta')?.append(state);
  return item;
}

function isAtBottom(): boolean {
  const scroller = ui.conversation;
  return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < EDGE_PX;
}

function updateActivity(): void {
  const working = !!header?.working;
  const waiting = !!header?.waiting;
  ui.activity.hidden = !working && !waiting;
  ui.activity.dataset.kind = working ? 'working' : waiting ? 'waiting' : 'none';
  ui.activityText.textContent = working
    ? l10n.t('Devin is working…')
    : waiting
      ? l10n.t('Devin is waiting for you')
      : '';
}

function updateReplyBox(): void {
  const reason = header?.replyDisabledReason;
  ui.text.disabled = !!reason;
  ui.send.disabled = !header || !!reason || !!sending;
  ui.send.textContent = sending ? l10n.t('Sending…') : l10n.t('Send');
  ui.reply.classList.toggle('disabled', !!reason);
  ui.notice.textContent = !header
    ? l10n.t('You can reply once the session has loaded; what you type is kept.')
    : (reason ?? header.replyHint ?? l10n.t('Ctrl+Enter sends; Enter starts a new line.'));
}

function submit(): void {
  const text = ui.text.value;
  if (!header || header.replyDisabledReason || sending) return;
  if (!text.trim()) {
    ui.sendError.textContent = l10n.t('Write a message first.');
    ui.sendError.hidden = false;
    return;
  }
  if (text.length > MAX_MESSAGE_LENGTH) {
    ui.sendError.textContent = l10n.t(
      'This message is too long ({0} characters; at most {1}).',
      text.length.toLocaleString(pageLocale()),
      MAX_MESSAGE_LENGTH.toLocaleString(pageLocale()),
    );
    ui.sendError.hidden = false;
    return;
  }
  sendCounter += 1;
  sending = { id: `send-${Date.now().toString(36)}-${sendCounter}`, text, bubble: localBubble(text) };
  ui.messages.append(sending.bubble);
  ui.conversation.scrollTop = ui.conversation.scrollHeight;
  ui.text.value = '';
  ui.sendError.hidden = true;
  saveState();
  updateReplyBox();
  post({ type: 'send', sendId: sending.id, text });
  scheduleReport();
}

function finishSend(result: Extract<HostToPage, { type: 'sendResult' }>): void {
  if (!sending || sending.id !== result.sendId) return;
  const { text, bubble } = sending;
  sending = undefined;
  if (result.ok) {
    bubble.classList.replace('pending', 'sent');
    const state = bubble.querySelector('.send-state');
    if (state) state.textContent = l10n.t('Sent');
  } else {
    bubble.remove();
    // Nothing typed is lost: the failed text goes back on top of whatever was typed meanwhile.
    ui.text.value = ui.text.value ? `${text}\n\n${ui.text.value}` : text;
    ui.sendError.textContent = result.error;
    ui.sendError.hidden = false;
  }
  saveState();
  updateReplyBox();
}

ui.reply.addEventListener('submit', (event) => {
  event.preventDefault();
  submit();
});

ui.text.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    submit();
  }
});

let draftTimer: ReturnType<typeof setTimeout> | undefined;
ui.text.addEventListener('input', () => {
  saveState();
  clearTimeout(draftTimer);
  draftTimer = setTimeout(scheduleReport, 150);
});

function requestOlder(): void {
  const first = ui.messages.querySelector<HTMLElement>('.message[data-id]');
  if (!hasOlder || loadingOlder || !first?.dataset.id) return;
  loadingOlder = true;
  post({ type: 'loadOlder', beforeId: first.dataset.id });
}

ui.loadOlder.addEventListener('click', requestOlder);
ui.conversation.addEventListener('scroll', () => {
  if (ui.conversation.scrollTop < EDGE_PX) requestOlder();
  scheduleReport();
});

ui.retry.addEventListener('click', () => post({ type: 'retry' }));

function openLinkFrom(event: Event): void {
  const target = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-href]') : null;
  if (!target?.dataset.href) return;
  event.preventDefault();
  post({ type: 'openLink', url: target.dataset.href });
}

document.addEventListener('click', openLinkFrom);
document.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !(event.target instanceof HTMLTextAreaElement)) openLinkFrom(event);
});

let reportQueued = false;
function scheduleReport(): void {
  if (reportQueued) return;
  reportQueued = true;
  requestAnimationFrame(() => {
    reportQueued = false;
    post({ type: 'rendered', report: report() });
  });
}

function report(): RenderedSession {
  const scroller = ui.conversation;
  return {
    title: document.getElementById('title')?.textContent ?? '',
    statusLabel: document.getElementById('status-label')?.textContent ?? '',
    activity: ui.activity.hidden ? 'none' : ui.activity.dataset.kind === 'working' ? 'working' : 'waiting',
    messageIds: [...ui.messages.querySelectorAll<HTMLElement>('.message[data-id]')].map(
      (element) => element.dataset.id ?? '',
    ),
    pendingTexts: [...ui.messages.querySelectorAll<HTMLElement>('.message.local')].map(
      (element) => element.dataset.text ?? '',
    ),
    hasOlder,
    draft: ui.text.value,
    replyEnabled: !ui.text.disabled,
    replyNotice: ui.notice.textContent ?? '',
    sendError: ui.sendError.hidden ? '' : (ui.sendError.textContent ?? ''),
    loadError: ui.loadError.hidden ? '' : (ui.loadErrorMessage.textContent ?? ''),
    codeBlocks: ui.messages.querySelectorAll('pre > code').length,
    links: [...document.querySelectorAll<HTMLElement>('[data-href]')].map((link) => link.dataset.href ?? ''),
    scrollTop: Math.round(scroller.scrollTop),
    scrollHeight: Math.round(scroller.scrollHeight),
    atBottom: isAtBottom(),
  };
}

updateReplyBox();
ui.text.focus();
post({ type: 'ready' });
