import * as vscode from 'vscode';
import { DevinApiError } from '../api/errors';
import { listSessionsCreatedIn } from '../api/sessionsCreatedInRange';
import { Command } from '../commandIds';
import { ConsumptionLoader } from '../core/consumptionLoader';
import type { Session } from '../core/models';
import { shapeSessionUsage } from '../core/sessionUsageRows';
import type {
  HostToPage,
  RangeSelection,
  RenderedSessionsReport,
  SessionUsageState,
  SessionUsageView,
} from '../shared/consumptionProtocol';
import type { ConsumptionSource } from './consumptionSource';

/**
 * The consumption panel's per-session table, host side: its own loader (same cancellation, cache and
 * paging rules as the chart's) and its own messages, so a failure here shows inside the table and never
 * replaces the chart.
 */

interface SessionUsageResult {
  readonly view: SessionUsageView;
  /** What the table links to, by `orgId/sessionId`: the page may only open sessions listed here. */
  readonly sessions: ReadonlyMap<string, Session>;
}

export interface SessionTableDebugState {
  readonly lastPosted: Extract<HostToPage, { type: 'sessionUsage' }> | undefined;
  readonly lastRendered: RenderedSessionsReport | undefined;
  /** Grows with every report, so a test can wait for the next one. */
  readonly renderCount: number;
  /** Sessions opened from the table, as `orgId/sessionId`. */
  readonly opened: readonly string[];
}

export class SessionTableFeed {
  private readonly loader: ConsumptionLoader<SessionUsageResult>;
  private latestLoad = 0;
  private pendingKey: string | undefined;
  private shown: SessionUsageResult | undefined;
  private lastPosted: Extract<HostToPage, { type: 'sessionUsage' }> | undefined;
  private lastRendered: RenderedSessionsReport | undefined;
  private renderCount = 0;
  private readonly opened: string[] = [];

  constructor(
    source: ConsumptionSource,
    /** Returns the message as the page received it. */
    private readonly post: <M extends HostToPage>(message: M) => M,
  ) {
    this.loader = new ConsumptionLoader<SessionUsageResult>(async (range, signal, onProgress) => {
      const client = source.getClient();
      const scope = await source.getScope(signal);
      const organizations = scope.kind === 'enterprise' ? scope.organizations : [scope.organization];
      const listed = await listSessionsCreatedIn(
        client,
        { kind: scope.kind, organizations },
        { range, signal, onProgress },
      );
      return {
        view: shapeSessionUsage(range, listed, organizations),
        sessions: new Map(listed.sessions.map((session) => [keyOf(session.orgId, session.id), session])),
      };
    });
  }

  async load(range: RangeSelection, refresh: boolean): Promise<void> {
    let key: string;
    try {
      key = this.loader.resolve(range).key;
    } catch (error) {
      return this.send(range, { kind: 'error', message: describe(error), canRetry: false });
    }
    // A page reloaded while hidden says `ready` again; a load already running for that range answers it.
    if (!refresh && key === this.pendingKey) return this.send(range, { kind: 'loading', read: 0 });
    const load = ++this.latestLoad;
    this.pendingKey = key;
    this.send(range, { kind: 'loading', read: 0 });
    try {
      const outcome = await this.loader.load(
        range,
        (progress) => {
          if (load === this.latestLoad) this.send(range, { kind: 'loading', read: progress.completed });
        },
        { refresh },
      );
      if (outcome.kind === 'superseded' || load !== this.latestLoad) return;
      this.shown = outcome.view;
      this.send(range, { kind: 'data', usage: outcome.view.view });
    } catch (error) {
      if (load !== this.latestLoad) return;
      this.shown = undefined;
      this.send(range, { kind: 'error', message: describe(error), canRetry: true });
    } finally {
      if (load === this.latestLoad) this.pendingKey = undefined;
    }
  }

  /** Opens a session the table listed; anything else the page asks for is ignored. */
  async open(orgId: string, sessionId: string): Promise<boolean> {
    const session = this.shown?.sessions.get(keyOf(orgId, sessionId));
    if (!session) return false;
    this.opened.push(keyOf(orgId, sessionId));
    await vscode.commands.executeCommand(Command.openSession, session);
    return true;
  }

  rendered(report: RenderedSessionsReport): void {
    this.lastRendered = report;
    this.renderCount += 1;
  }

  /** The account changed: nothing listed for the previous one may be shown or opened again. */
  clear(): void {
    this.loader.clear();
    this.shown = undefined;
    this.pendingKey = undefined;
  }

  dispose(): void {
    this.loader.dispose();
    this.shown = undefined;
  }

  debugState(): SessionTableDebugState {
    return {
      lastPosted: this.lastPosted,
      lastRendered: this.lastRendered,
      renderCount: this.renderCount,
      opened: [...this.opened],
    };
  }

  private send(range: RangeSelection, state: SessionUsageState): void {
    this.lastPosted = this.post({ type: 'sessionUsage', range, state } as const);
  }
}

function keyOf(orgId: string, sessionId: string): string {
  return `${orgId}/${sessionId}`;
}

function describe(error: unknown): string {
  if (error instanceof DevinApiError) return error.message;
  return error instanceof Error
    ? vscode.l10n.t('Could not load the sessions: {0}', error.message)
    : vscode.l10n.t('Could not load the sessions.');
}
