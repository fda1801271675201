import * as vscode from 'vscode';
import { statusLook } from '../core/sessionPresentation';
import type { SessionsTreeProvider } from './sessionsTree';
import { Command } from '../commandIds';

/**
 * A status bar entry counting the loaded sessions that wait for the user (a reply or an approval), so
 * a blocked Devin is noticed without the view open. Clicking it goes to Send Message, which lists
 * those sessions first. Hidden when none wait.
 */
export class WaitingSessionsStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'devin.waitingSessions',
    vscode.StatusBarAlignment.Left,
    50,
  );
  private readonly subscription: vscode.Disposable;

  constructor(private readonly tree: SessionsTreeProvider) {
    this.item.name = 'Devin: Sessions Waiting for You';
    this.item.command = Command.sendMessage;
    this.subscription = tree.onDidChangeSessions(() => this.update());
  }

  /** How many loaded sessions are waiting; also what the entry shows. */
  update(): number {
    const waiting = this.tree
      .knownSessions()
      .filter((session) => statusLook(session.status, session.statusDetail).needsUser);
    if (waiting.length === 0) {
      this.item.hide();
      return 0;
    }
    this.item.text = `$(comment-discussion) ${waiting.length}`;
    this.item.tooltip = `${waiting.length} Devin session${waiting.length === 1 ? ' is' : 's are'} waiting for you. Click to reply.`;
    this.item.accessibilityInformation = { label: this.item.tooltip };
    this.item.show();
    return waiting.length;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
