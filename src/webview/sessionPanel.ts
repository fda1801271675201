import * as vscode from 'vscode';
import { deliverMessage } from '../actions/deliverMessage';
import { readSessionPage, sessionPageFailure } from '../actions/sessionPageLoad';
import type { KeptText } from '../actions/uncertainSend';
import { Command } from '../commandIds';
import { errorMessage } from '../ui/feedback';
import { Conversation } from '../core/conversation';
import { isSessionRef, toDevinId, type Session, type SessionRef } from '../core/models';
import { sessionLabel } from '../core/sessionPresentation';
import { chatMessageView, replyDisabledReason, sessionHeaderView, sessionIsSettled } from '../core/sessionView';
import type { HostToPage, PageToHost, RenderedSession } from '../shared/sessionProtocol';
import { sessionOfRow } from '../views/nodes';
import { createNonce } from './consumptionHtml';
import { createPanel, PanelHost } from './panelHost';
import { sessionHtml } from './sessionHtml';
import { parsePageMessage } from './sessionMessages';
import { safeExternalUrl } from '../core/externalUrl';
import { pickSession } from '../ui/sessionPicker';
import type { SessionPanelSource } from './sessionPanelSource';

export const SESSION_VIEW_TYPE = 'devin.session';
/** Not in the manifest and registered only in test mode: the integration tests read the panels through it. */
export const SESSION_DEBUG_COMMAND = 'devin.session.debugState';

/** How often an open, visible panel looks for new messages while Devin may still write. */
const DEFAULT_POLL_MS = 15_000;
/** Messages the page gets at first, and per "Show earlier messages". */
const WINDOW_SIZE = 50;

export interface SessionDebugState {
  readonly open: boolean;
  readonly visible: boolean;
  readonly sessionId: string | undefined;
  readonly polling: boolean;
  readonly lastRendered: RenderedSession | undefined;
  /** Grows with every `rendered` report, so a test can wait for the next one. */
  readonly renderCount: number;
  readonly pageLoads: number;
  /** The tab's title, and the last message of each type as the page received it. */
  readonly title: string;
  readonly posted: readonly HostToPage[];
}

/**
 * Debug command argument. `simulate` is handled as if the page had sent it (validated the same way);
 * `input` puts text in the page's reply box as a person would (`submit` then sends it with Ctrl+Enter), or
 * scrolls the conversation to `scrollTop`.
 */
export interface SessionDebugRequest {
  readonly sessionId?: string;
  readonly simulate?: unknown;
  readonly input?: { readonly text?: string; readonly submit?: boolean; readonly scrollTop?: number };
  readonly pollIntervalMs?: number;
}

export function registerSessionPanel(
  context: vscode.ExtensionContext,
  source: SessionPanelSource,
  log: vscode.LogOutputChannel,
): vscode.Disposable[] {
  const panels = new Map<string, SessionPanel>();
  let lastActive: SessionPanel | undefined;
  let pollIntervalMs = DEFAULT_POLL_MS;

  const adopt = (panel: vscode.WebviewPanel, target: SessionRef) => {
    const key = keyOf(target);
    panels.get(key)?.dispose();
    const created = new SessionPanel(panel, context.extensionUri, source, target, log, () => pollIntervalMs);
    panels.set(key, created);
    lastActive = created;
    panel.onDidChangeViewState(() => {
      if (panel.active) lastActive = created;
    });
    panel.onDidDispose(() => {
      if (panels.get(key) === created) panels.delete(key);
      if (lastActive === created) lastActive = undefined;
    });
    return created;
  };

  /** From a session row, a session, `{ orgId, sessionId }`, or else the user's pick. */
  const open = async (target?: unknown): Promise<boolean> => {
    let known = sessionOfRow(target) ?? (isSession(target) ? target : undefined);
    if (!known && target === undefined)
      known = await pickSession(log, () => source.recentSessions(), {
        title: vscode.l10n.t('Devin: Open Session'),
        includeEnded: true,
      });
    const resolved = known ? { orgId: known.orgId, sessionId: known.id } : sessionRefOf(target);
    if (!resolved) return false;
    const existing = panels.get(keyOf(resolved));
    if (existing) {
      existing.reveal();
      return true;
    }
    const panel = createPanel(
      SESSION_VIEW_TYPE,
      known ? sessionLabel(known) : vscode.l10n.t('Devin Session'),
      webviewOptions(context.extensionUri),
    );
    adopt(panel, resolved);
    return true;
  };

  return [
    vscode.commands.registerCommand(Command.openSession, open),
    // The page saves its session's ids with setState; the serializer gets them back after a window reload.
    vscode.window.registerWebviewPanelSerializer(SESSION_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        const target = sessionRefOf(state);
        if (!target) {
          panel.dispose();
          return;
        }
        adopt(panel, target);
      },
    }),
    ...(context.extensionMode === vscode.ExtensionMode.Test
      ? [
          vscode.commands.registerCommand(SESSION_DEBUG_COMMAND, (request?: SessionDebugRequest): SessionDebugState => {
            if (request?.pollIntervalMs !== undefined) {
              pollIntervalMs = request.pollIntervalMs;
              for (const panel of panels.values()) panel.restartPolling();
            }
            const panel = request?.sessionId
              ? [...panels.values()].find((candidate) => candidate.sessionId === toDevinId(request.sessionId ?? ''))
              : lastActive;
            if (request?.simulate !== undefined) panel?.receive(request.simulate);
            if (request?.input) panel?.post({ type: 'debugInput', ...request.input });
            return (
              panel?.debugState() ?? {
                open: false,
                visible: false,
                sessionId: undefined,
                polling: false,
                lastRendered: undefined,
                renderCount: 0,
                pageLoads: 0,
                title: '',
                posted: [],
              }
            );
          }),
        ]
      : []),
    { dispose: () => [...panels.values()].forEach((panel) => panel.dispose()) },
  ];
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  // No retainContextWhenHidden: the host keeps the conversation and the page keeps its draft in setState.
  return {
    enableScripts: true,
    enableFindWidget: true,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(extensionUri, 'media'),
    ],
  };
}

function keyOf(target: SessionRef): string {
  return `${target.orgId}/${toDevinId(target.sessionId)}`;
}

function isSession(value: unknown): value is Session {
  return !!value && typeof value === 'object' && 'status' in value && 'orgId' in value && 'id' in value;
}

/** Ids given by a command's caller or saved by the page (setState), when both are there. */
function sessionRefOf(value: unknown): SessionRef | undefined {
  return isSessionRef(value) && value.orgId && value.sessionId
    ? { orgId: value.orgId, sessionId: toDevinId(value.sessionId) }
    : undefined;
}

class SessionPanel {
  readonly sessionId: string;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly conversation: Conversation;
  private readonly host: PanelHost<HostToPage>;
  private session: Session | undefined;
  private organizationName: string;
  private loading: Promise<void> | undefined;
  /** What the last failed load said, shown again to a page that (re)loads after it. */
  private loadError: string | undefined;
  private loadFailed = false;
  private sending = false;
  /** A message whose answer was lost: sending the same text again first looks for it in the conversation. */
  private uncertainSend: { readonly text: string; readonly since: number } | undefined;
  private ticking = false;
  private readonly tracking: { setVisible(visible: boolean): void; dispose(): void } | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly abort = new AbortController();
  private lastRendered: RenderedSession | undefined;
  private renderCount = 0;
  private pageLoads = 0;
  private disposed = false;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly source: SessionPanelSource,
    private readonly target: SessionRef,
    private readonly log: vscode.LogOutputChannel,
    private readonly pollIntervalMs: () => number,
  ) {
    this.sessionId = toDevinId(target.sessionId);
    this.host = new PanelHost(panel);
    this.organizationName = target.orgId;
    this.conversation = new Conversation((after, signal) =>
      source.listMessages(target.orgId, this.sessionId, after, signal),
    );
    this.tracking = source.track?.(this.sessionId);
    this.tracking?.setVisible(panel.visible);
    panel.webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'devin.svg');
    this.render();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidChangeViewState(() => {
        this.tracking?.setVisible(panel.visible);
        this.restartPolling();
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    if (source.onDidChangeSession)
      this.disposables.push(
        source.onDidChangeSession((session) => {
          if (session.orgId === target.orgId && session.id === this.sessionId) this.showSession(session);
        }),
      );
    void this.load();
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Everything from the page (or the debug command acting for it) comes through here, validated. */
  receive(message: unknown): void {
    const parsed = parsePageMessage(message);
    if (!parsed) {
      this.log.warn('Session panel: ignored a message from the page that is not part of the protocol.');
      return;
    }
    void this.handle(parsed);
  }

  debugState(): SessionDebugState {
    return {
      open: !this.disposed,
      visible: this.panel.visible,
      sessionId: this.sessionId,
      polling: this.timer !== undefined,
      lastRendered: this.lastRendered,
      renderCount: this.renderCount,
      pageLoads: this.pageLoads,
      title: this.panel.title,
      posted: this.host.posted(),
    };
  }

  /** Polls only while someone can see the panel and Devin may still write; stops once the session settles. */
  restartPolling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.disposed || !this.panel.visible || !this.session || sessionIsSettled(this.session)) return;
    this.timer = setInterval(() => void this.tick(), this.pollIntervalMs());
  }

  post(message: HostToPage): void {
    if (this.disposed) return;
    this.host.post(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.tracking?.dispose();
    if (this.timer) clearInterval(this.timer);
    this.abort.abort();
    this.panel.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private async handle(message: PageToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.pageLoads += 1;
        this.post({ type: 'init', orgId: this.target.orgId, sessionId: this.sessionId });
        // A load under way sends everything when it ends; what was posted before the page listened is lost.
        if (this.loading) return;
        // A failed load is shown again, not repeated: the page offers Retry, and only the user sends it again.
        if (this.loadFailed && this.loadError) return this.post({ type: 'loadError', message: this.loadError });
        if (!this.session) return this.load();
        return this.sendAll();
      case 'retry':
        return this.load();
      case 'loadOlder':
        return this.loadOlder(message.beforeId);
      case 'send':
        return this.send(message.sendId, message.text);
      case 'openLink':
        return this.openLink(message.url);
      case 'rendered':
        this.lastRendered = message.report;
        this.renderCount += 1;
        return;
    }
  }

  private render(): void {
    const webview = this.panel.webview;
    const asset = (...segments: string[]) =>
      webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...segments)).toString();
    webview.html = sessionHtml(
      {
        cspSource: webview.cspSource,
        script: asset('dist', 'webview', 'session.js'),
        stylesheet: asset('media', 'session.css'),
      },
      createNonce(),
      { language: vscode.env.language, bundle: vscode.l10n.bundle },
    );
  }

  private load(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const { session, organizationName } = await readSessionPage(
          this.source,
          this.conversation,
          { orgId: this.target.orgId, sessionId: this.sessionId },
          this.abort.signal,
        );
        this.organizationName = organizationName;
        this.loadFailed = false;
        this.session = session;
        this.host.setTitle(sessionLabel(session));
        this.sendAll();
      } catch (error) {
        if (this.disposed) return;
        this.loadFailed = true;
        const message = sessionPageFailure(error);
        this.loadError = message;
        this.log.error(message);
        this.post({ type: 'loadError', message });
      } finally {
        this.loading = undefined;
        this.restartPolling();
      }
    })();
    return this.loading;
  }

  /** The page's whole picture, after it (re)loads. */
  private sendAll(): void {
    if (!this.session) return;
    this.showSession(this.session);
    const latest = this.conversation.latest(WINDOW_SIZE);
    this.post({
      type: 'messages',
      mode: 'replace',
      messages: latest.messages.map(chatMessageView),
      hasOlder: latest.hasOlder,
    });
  }

  private showSession(session: Session): void {
    const settledBefore = this.session ? sessionIsSettled(this.session) : true;
    this.session = session;
    this.host.setTitle(sessionLabel(session));
    const nowSeconds = Math.floor(Date.now() / 1000);
    this.post({
      type: 'session',
      session: sessionHeaderView(session, this.organizationName, nowSeconds),
    });
    if (settledBefore !== sessionIsSettled(session)) this.restartPolling();
  }

  /** Messages before the page's oldest; those no longer held are read again from the API. */
  private async loadOlder(beforeId: string): Promise<void> {
    try {
      const older = await this.conversation.olderThan(beforeId, WINDOW_SIZE, this.abort.signal);
      this.post({
        type: 'messages',
        mode: 'prepend',
        messages: older.messages.map(chatMessageView),
        hasOlder: older.hasOlder,
      });
    } catch (error) {
      if (this.disposed) return;
      const message = vscode.l10n.t('Could not load earlier messages: {0}', errorMessage(error));
      this.log.warn(message);
      void vscode.window.showWarningMessage(message);
      // Nothing added, and the page offers to try again.
      this.post({ type: 'messages', mode: 'prepend', messages: [], hasOlder: true });
    }
  }

  /** One look for changes: the session (status, ACUs, pull requests) and messages after the last one read. */
  private async tick(): Promise<void> {
    // While the API is waited for (failures, a Retry-After), the check is skipped rather than sent and refused.
    if (this.ticking || this.disposed || !this.conversation.isLoaded || this.source.backingOff?.()) return;
    this.ticking = true;
    try {
      const [session, added] = await Promise.all([
        this.source.getSession(this.target.orgId, this.sessionId, this.abort.signal),
        this.conversation.fetchNew(this.abort.signal),
      ]);
      this.showSession(session);
      if (added.length > 0)
        this.post({ type: 'messages', mode: 'append', messages: added.map(chatMessageView), hasOlder: false });
    } catch (error) {
      // The next tick tries again; the page keeps what it has.
      if (!this.disposed) this.log.warn(`Session panel: could not check for new messages: ${errorMessage(error)}`);
    } finally {
      this.ticking = false;
    }
  }

  private async send(sendId: string, text: string): Promise<void> {
    const refuse = (error: string) => this.post({ type: 'sendResult', sendId, ok: false, error });
    if (this.sending) return refuse(vscode.l10n.t('A message is still being sent. Wait for it, then send this one.'));
    if (!text.trim()) return refuse(vscode.l10n.t('Write a message first.'));
    const blocked = this.session ? replyDisabledReason(this.session) : vscode.l10n.t('The session has not loaded yet.');
    if (blocked) return refuse(blocked);
    this.sending = true;
    try {
      const outcome = await deliverMessage(
        // The reply box shows the send; no other progress.
        { progress: (_options, task) => task(() => undefined, new AbortController().signal), now: () => Date.now() },
        this.source,
        { orgId: this.target.orgId, sessionId: this.sessionId },
        text,
        this.keptInReplyBox(text),
      );
      if (outcome.kind === 'found') {
        this.log.info('Session panel: the message whose answer was lost had arrived; not sent again.');
        await this.confirmSent(sendId);
        // Already in the conversation: naming it again lets the page replace the bubble that stood for it.
        this.post({ type: 'messages', mode: 'append', messages: [chatMessageView(outcome.message)], hasOlder: false });
        return;
      }
      // A 2xx whose answer describing the session could not be read still delivered the message.
      if (outcome.kind === 'created' || outcome.kind === 'createdButUnreadable') return await this.confirmSent(sendId);
      const error = outcome.kind === 'failed' ? outcome.error : undefined;
      const unknown = outcome.kind === 'failed' && outcome.outcomeUnknown;
      const message = unknown
        ? vscode.l10n.t(
            'Your message may have been delivered (it is kept in the reply box; sending it again first checks the conversation): {0}',
            errorMessage(error),
          )
        : vscode.l10n.t('Could not send your message (it is kept in the reply box): {0}', errorMessage(error));
      this.log.error(message);
      refuse(message);
      // If it did arrive, the conversation shows it now rather than at the next tick.
      if (unknown) await this.tick();
    } finally {
      this.sending = false;
    }
  }

  /** The text stays in the page's reply box; only a lost answer is remembered, so sending it again looks first. */
  private keptInReplyBox(text: string): KeptText {
    return {
      uncertainSince: this.uncertainSend?.text === text ? this.uncertainSend.since : undefined,
      keep: async ({ uncertainSince }) => {
        if (uncertainSince !== undefined) this.uncertainSend = { text, since: uncertainSince };
        return undefined;
      },
      forget: async () => {
        this.uncertainSend = undefined;
      },
    };
  }

  private async confirmSent(sendId: string): Promise<void> {
    this.post({ type: 'sendResult', sendId, ok: true });
    // The message shows as confirmed once the API lists it; look now rather than at the next tick.
    await this.tick();
    this.restartPolling();
  }

  private async openLink(url: string): Promise<void> {
    const safe = safeExternalUrl(url);
    if (!safe) {
      this.log.warn('Session panel: refused to open a link that is not https.');
      void vscode.window.showWarningMessage(vscode.l10n.t('Only https links open from a Devin session.'));
      return;
    }
    await vscode.env.openExternal(vscode.Uri.parse(safe, true));
  }
}
