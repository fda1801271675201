import * as vscode from 'vscode';
import type { DevinSettings } from '../config';
import { statusLook } from '../core/sessionPresentation';
import { describeFreshness, describeOrganizationLimit } from '../store/freshness';
import type { SessionPoller } from '../store/sessionPoller';
import type { SessionStore } from '../store/sessionStore';
import type { DevinNode } from './nodes';
import { needsUser } from './sessionStatusBar';

/**
 * Decides how often the poller runs. While the sessions view or a session panel is visible and the window
 * focused: every `devin.autoRefreshSeconds`. Otherwise only when notifications are on and some session is
 * watched (started here, open in a panel, or waiting for the user): every `devin.backgroundRefreshSeconds`.
 * Otherwise not at all: every request counts against the rate limit. Tells the store which organizations
 * are expanded (without the enterprise session list, those are the ones polled). Also shows, above the rows,
 * how old they are while the API cannot be reached, and that the organizations list was cut.
 */
export class LiveUpdates implements vscode.Disposable {
  private readonly visibleSurfaces = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private ageTimer: NodeJS.Timeout | undefined;
  private intervalsForTests: { foreground: number; background: number } | undefined;

  constructor(
    private readonly store: SessionStore,
    private readonly poller: SessionPoller,
    private readonly treeView: vscode.TreeView<DevinNode>,
    private readonly settings: () => Pick<
      DevinSettings,
      'autoRefreshSeconds' | 'backgroundRefreshSeconds' | 'notifications'
    >,
    private readonly isMuted: (sessionId: string) => boolean,
  ) {
    this.disposables.push(
      treeView.onDidChangeVisibility(() => this.update()),
      treeView.onDidExpandElement(({ element }) => {
        if (element.kind === 'organization') store.setOrganizationExpanded(element.organization.id, true);
      }),
      treeView.onDidCollapseElement(({ element }) => {
        if (element.kind === 'organization') store.setOrganizationExpanded(element.organization.id, false);
      }),
      store.onDidChangeOrganizations(() => this.showFreshness()),
      vscode.window.onDidChangeWindowState(() => this.update()),
      store.onDidChangeWatched(() => this.update()),
      store.onDidChangeSessions(() => this.update()),
      store.onDidChangeFreshness(() => this.showFreshness()),
      store.onDidChangeViewState(() => {
        this.update();
        this.showFreshness();
      }),
    );
    this.update();
  }

  /**
   * A panel showing sessions says whether it is visible; while one is (and the window is focused) the
   * foreground cadence applies as for the view. Dispose the result when the panel closes.
   */
  setSurfaceVisible(surfaceId: string, visible: boolean): vscode.Disposable {
    if (visible) this.visibleSurfaces.add(surfaceId);
    else this.visibleSurfaces.delete(surfaceId);
    this.update();
    return { dispose: () => this.visibleSurfaces.delete(surfaceId) && this.update() };
  }

  /** Integration tests only: cadences below the settings' minimums, so a test waits seconds, not minutes. */
  setIntervalsForTests(intervals: { foreground: number; background: number } | undefined): void {
    this.intervalsForTests = intervals;
    this.update();
  }

  /** Which cadence applies now, in seconds; 0 means no polling. */
  currentIntervalSeconds(): number {
    if (this.store.viewState === 'signedOut') return 0;
    const settings = this.settings();
    const foreground = this.intervalsForTests?.foreground ?? settings.autoRefreshSeconds;
    const background = this.intervalsForTests?.background ?? settings.backgroundRefreshSeconds;
    const shown = (this.treeView.visible || this.visibleSurfaces.size > 0) && vscode.window.state.focused;
    if (shown && foreground > 0) return foreground;
    if (settings.notifications !== 'off' && background > 0 && this.hasWatchedSession()) return background;
    return 0;
  }

  update(): void {
    this.poller.setIntervalSeconds(this.currentIntervalSeconds());
  }

  dispose(): void {
    clearInterval(this.ageTimer);
    for (const disposable of this.disposables) disposable.dispose();
  }

  private hasWatchedSession(): boolean {
    const stillGoing = (id: string) => {
      const session = this.store.session(id);
      return !session || !['done', 'idle', 'failed'].includes(statusLook(session.status, session.statusDetail).tone);
    };
    return (
      this.store.watchedSessionIds().some(stillGoing) ||
      this.store.knownSessions().some((session) => needsUser(session) && !this.isMuted(session.id))
    );
  }

  private showFreshness(): void {
    const state = this.store.viewState;
    const stale = describeFreshness(this.store.freshness, Date.now());
    const failed =
      state === 'error' || state === 'tokenRejected' || state === 'invalidSettings'
        ? this.store.viewStateMessage
        : undefined;
    const cut = this.store.organizationsTruncated
      ? describeOrganizationLimit(this.store.knownOrganizations().length, vscode.env.language)
      : undefined;
    this.treeView.message = [stale ?? failed, cut].filter(Boolean).join(' · ') || undefined;
    // While stale, the age in the message has to keep moving.
    if (stale && !this.ageTimer) this.ageTimer = setInterval(() => this.showFreshness(), 30_000);
    if (!stale && this.ageTimer) {
      clearInterval(this.ageTimer);
      this.ageTimer = undefined;
    }
  }
}
