import * as vscode from 'vscode';
import { RefreshSchedule } from '../core/refreshSchedule';
import type { DevinNode } from './nodes';
import type { SessionsTreeProvider } from './sessionsTree';

/**
 * Re-reads the sessions on screen every `devin.autoRefreshSeconds`, only while the view is visible and
 * the window focused: nobody reads a hidden tree, and every poll counts against the rate limit.
 * Failures stretch the interval (see `RefreshSchedule`) instead of surfacing a notification each time.
 */
export class AutoRefresh implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private schedule: RefreshSchedule;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly tree: SessionsTreeProvider,
    private readonly view: vscode.TreeView<DevinNode>,
    private readonly intervalSeconds: () => number,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.schedule = new RefreshSchedule(intervalSeconds());
    this.disposables.push(
      view.onDidChangeVisibility(() => this.reschedule()),
      vscode.window.onDidChangeWindowState(() => this.reschedule()),
    );
    this.reschedule();
  }

  /** The interval setting changed. */
  restart(): void {
    this.schedule = new RefreshSchedule(this.intervalSeconds());
    this.reschedule();
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const disposable of this.disposables) disposable.dispose();
  }

  private reschedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.schedule.enabled || !this.view.visible || !vscode.window.state.focused) return;
    this.timer = setTimeout(() => void this.tick(), this.schedule.nextDelayMs());
  }

  private async tick(): Promise<void> {
    try {
      if (this.tree.viewState === 'ready') await this.tree.refreshLoadedSessions();
      else if (this.tree.viewState === 'unreachable') this.tree.refresh();
      this.schedule.recordSuccess();
    } catch (error) {
      this.schedule.recordFailure();
      this.log.warn(
        `Automatic refresh failed (${this.schedule.failures} in a row); next try in ${Math.round(this.schedule.nextDelayMs() / 1000)} s. ${error instanceof Error ? error.message : ''}`,
      );
    }
    this.reschedule();
  }
}
