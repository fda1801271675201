import * as vscode from 'vscode';
import type { Session } from '../core/models';
import { sessionLabel } from '../core/sessionPresentation';
import { newsIn, summarizeNews, type NotificationLevel, type SessionNews } from '../store/sessionNews';
import type { SessionStore } from '../store/sessionStore';
import { Command } from '../commandIds';
import type { MutedSessions } from './mutedSessions';
import { openSession } from './openSession';

/** News that arrives within this long of the first piece is shown as one notification. */
const COALESCE_MS = 300;

export interface ShownNotification {
  readonly message: string;
  readonly sessionIds: readonly string[];
}

/**
 * Tells the user when a session needs them (and, at the `all` level, when one finishes, fails or opens a
 * pull request), from what the poller finds. Several at once become one notification.
 */
export class SessionNotifications implements vscode.Disposable {
  private pending: SessionNews[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly subscription: vscode.Disposable;
  /** What was shown, newest last; the integration tests read it (VS Code offers no way to list notifications). */
  readonly shown: ShownNotification[] = [];

  constructor(
    private readonly store: SessionStore,
    private readonly muted: MutedSessions,
    private readonly level: () => NotificationLevel,
  ) {
    this.subscription = store.onDidChangeSessions((change) => {
      const news = newsIn(change, this.level()).filter((item) => !this.muted.has(item.session.id));
      if (news.length === 0) return;
      this.pending.push(...news);
      this.timer ??= setTimeout(() => this.flush(), COALESCE_MS);
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscription.dispose();
  }

  private flush(): void {
    this.timer = undefined;
    // One piece of news per session: waiting for the user outranks the rest.
    const bySession = new Map<string, SessionNews>();
    for (const item of this.pending)
      if (!bySession.has(item.session.id) || item.kind === 'waiting') bySession.set(item.session.id, item);
    this.pending = [];
    const news = [...bySession.values()];
    if (news.length === 1) this.showOne(news[0] as SessionNews);
    else if (news.length > 1) this.showMany(news);
  }

  private showOne({ kind, session }: SessionNews): void {
    // {0}: the session's title, {1}: its organization.
    const label = sessionLabel(session, this.store.promptHint(session.id));
    const organization = this.store.organizationOrId(session.orgId).name;
    const message =
      kind === 'waiting'
        ? vscode.l10n.t('Devin is waiting for you in "{0}" ({1}).', label, organization)
        : kind === 'finished'
          ? vscode.l10n.t('Devin finished "{0}" ({1}).', label, organization)
          : kind === 'failed'
            ? vscode.l10n.t('Devin stopped with an error in "{0}" ({1}).', label, organization)
            : vscode.l10n.t('Devin opened a pull request in "{0}" ({1}).', label, organization);
    this.shown.push({ message, sessionIds: [session.id] });
    const reply = vscode.l10n.t('Reply');
    const open = vscode.l10n.t('Open');
    const mute = vscode.l10n.t('Mute');
    const actions = kind === 'waiting' ? [reply, open, mute] : [open, mute];
    const show = kind === 'failed' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(message, ...actions).then(async (choice) => {
      if (choice === open) await openSession(this.current(session));
      if (choice === reply)
        await vscode.commands.executeCommand(Command.sendMessage, { orgId: session.orgId, sessionId: session.id });
      if (choice === mute) await this.muted.mute(session.id);
    });
  }

  private showMany(news: readonly SessionNews[]): void {
    const message = `${summarizeNews(news)}.`;
    this.shown.push({ message, sessionIds: news.map((item) => item.session.id) });
    const showButton = vscode.l10n.t('Show');
    void vscode.window.showInformationMessage(message, showButton).then(async (choice) => {
      if (choice !== showButton) return;
      const picked = await vscode.window.showQuickPick(
        news.map(({ kind, session }) => ({
          label: sessionLabel(session, this.store.promptHint(session.id)),
          description: `${this.store.organizationOrId(session.orgId).name} · ${kindText(kind)}`,
          session,
        })),
        { title: message, placeHolder: vscode.l10n.t('Open a session') },
      );
      if (picked) await openSession(this.current(picked.session));
    });
  }

  /** The session as the store has it now: a click can come minutes after the notification. */
  private current(session: Session): Session {
    return this.store.session(session.id) ?? session;
  }
}

function kindText(kind: SessionNews['kind']): string {
  switch (kind) {
    case 'waiting':
      return vscode.l10n.t('waiting for you');
    case 'finished':
      return vscode.l10n.t('finished');
    case 'failed':
      return vscode.l10n.t('stopped with an error');
    case 'pullRequest':
      return vscode.l10n.t('opened a pull request');
  }
}
