import * as vscode from 'vscode';
import type { Session } from '../core/models';
import { statusLook } from '../core/sessionPresentation';
import type { SessionStore } from '../store/sessionStore';
import { Command } from '../commandIds';

/**
 * A status bar entry with the sessions waiting for the user and those running, across every organization
 * the store knows (the poller keeps them current while the view is hidden). Clicking lists the waiting ones.
 * Hidden when neither kind exists.
 */
export class SessionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('devin.sessionsStatus', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[];
  private counts = { waiting: 0, running: 0 };

  constructor(private readonly store: SessionStore) {
    this.item.name = vscode.l10n.t('Devin: Sessions');
    this.item.command = Command.showWaitingSessions;
    this.subscriptions = [
      store.onDidChangeSessions(() => this.update()),
      store.onDidChangeOrganizations(() => this.update()),
    ];
  }

  /** What the entry shows; also recounts. */
  update(): { waiting: number; running: number; text: string | undefined } {
    const sessions = this.store.knownSessions().filter((session) => !session.isArchived);
    const waiting = sessions.filter(needsUser).length;
    const running = sessions.filter(
      (session) => statusLook(session.status, session.statusDetail).tone === 'working',
    ).length;
    this.counts = { waiting, running };
    if (waiting === 0 && running === 0) {
      this.item.hide();
      return { ...this.counts, text: undefined };
    }
    this.item.text = `$(comment-discussion) ${waiting}  $(sync) ${running}`;
    const counts =
      waiting === 1
        ? vscode.l10n.t('1 Devin session waiting for you, {0} running.', running)
        : vscode.l10n.t('{0} Devin sessions waiting for you, {1} running.', waiting, running);
    this.item.tooltip = waiting ? `${counts} ${vscode.l10n.t('Click to list the waiting ones.')}` : counts;
    this.item.accessibilityInformation = { label: this.item.tooltip };
    this.item.show();
    return { ...this.counts, text: this.item.text };
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }
}

export function needsUser(session: Session): boolean {
  return !session.isArchived && statusLook(session.status, session.statusDetail).needsUser;
}
