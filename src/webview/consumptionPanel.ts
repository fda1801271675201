import * as os from 'node:os';
import * as vscode from 'vscode';
import { DevinApiError } from '../api/errors';
import { consumptionToCsv, suggestedCsvFileName } from '../core/consumptionCsv';
import { ConsumptionLoader } from '../core/consumptionLoader';
import {
  type BudgetView,
  type ConsumptionView,
  type DebugControl,
  type HostToPage,
  type PageToHost,
  type RangeSelection,
  type RenderedReport,
} from '../shared/consumptionProtocol';
import { consumptionHtml, createNonce } from './consumptionHtml';
import { parseConsumptionPageMessage } from './consumptionMessages';
import { createPanel, PanelHost } from './panelHost';
import { SessionTableFeed, type SessionTableDebugState } from './consumptionSessions';
import {
  consumptionFetcher,
  describeConsumptionFailure,
  readBudgetView,
  type ConsumptionSource,
} from './consumptionSource';

export type { ConsumptionScope, ConsumptionSource } from './consumptionSource';
import { Command } from '../commandIds';

export const CONSUMPTION_VIEW_TYPE = 'devin.consumption';
export const SHOW_CONSUMPTION_COMMAND = Command.showConsumption;
/** Not in the manifest and registered only in test mode: the integration tests read the panel through it. */
export const CONSUMPTION_DEBUG_COMMAND = 'devin.consumption.debugState';

export interface ConsumptionDebugState {
  readonly open: boolean;
  readonly visible: boolean;
  readonly lastPosted: HostToPage | undefined;
  readonly lastRendered: RenderedReport | undefined;
  /** Grows with every `rendered` report, so a test can wait for the next one. */
  readonly renderCount: number;
  /** What the page drew for the billing cycle, once it has. */
  readonly budgetShown?: { readonly value: number | null; readonly text: string };
  /** The per-session table, whose messages are kept apart from the chart's `lastPosted`. */
  readonly sessions?: SessionTableDebugState;
}

/**
 * Debug command argument: nothing for a snapshot, a message to handle as if the page had sent it, or a
 * control for the page to click as a person would.
 */
export type ConsumptionDebugRequest = { readonly simulate?: PageToHost; readonly click?: DebugControl } | undefined;

export function registerConsumptionPanel(
  context: vscode.ExtensionContext,
  source: ConsumptionSource,
): vscode.Disposable[] {
  let current: ConsumptionPanel | undefined;
  const adopt = (panel: vscode.WebviewPanel) => {
    current?.dispose();
    const created = new ConsumptionPanel(panel, context.extensionUri, source);
    current = created;
    panel.onDidDispose(() => {
      if (current === created) current = undefined;
    });
  };
  return [
    vscode.commands.registerCommand(SHOW_CONSUMPTION_COMMAND, () => {
      if (current) return current.reveal();
      const panel = createPanel(
        CONSUMPTION_VIEW_TYPE,
        vscode.l10n.t('Devin ACU Consumption'),
        webviewOptions(context.extensionUri),
      );
      adopt(panel);
    }),
    // The page keeps its own range in getState(), so the serializer only has to rebuild the shell.
    vscode.window.registerWebviewPanelSerializer(CONSUMPTION_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => adopt(panel),
    }),
    // A test hook, registered only when VS Code runs the extension under its integration tests.
    ...(context.extensionMode === vscode.ExtensionMode.Test
      ? [
          vscode.commands.registerCommand(
            CONSUMPTION_DEBUG_COMMAND,
            (request?: ConsumptionDebugRequest): ConsumptionDebugState => {
              if (request?.simulate) void current?.handle(request.simulate);
              if (request?.click) current?.click(request.click);
              return (
                current?.debugState() ?? {
                  open: false,
                  visible: false,
                  lastPosted: undefined,
                  lastRendered: undefined,
                  renderCount: 0,
                }
              );
            },
          ),
        ]
      : []),
    { dispose: () => current?.dispose() },
  ];
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  // No retainContextWhenHidden: the page is cheap to rebuild from the host's cache and its own state.
  return {
    enableScripts: true,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(extensionUri, 'media'),
    ],
  };
}

class ConsumptionPanel {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly loader: ConsumptionLoader;
  private readonly host: PanelHost<HostToPage>;
  private lastPosted: HostToPage | undefined;
  private lastRendered: RenderedReport | undefined;
  private renderCount = 0;
  private shown: { readonly range: RangeSelection; readonly view: ConsumptionView } | undefined;
  private pendingKey: string | undefined;
  private lastRange: RangeSelection | undefined;
  private latestLoad = 0;
  private disposed = false;
  private budgetShown: { readonly value: number | null; readonly text: string } | undefined;
  private budget: Promise<BudgetView | null> | undefined;
  private readonly sessions: SessionTableFeed;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly source: ConsumptionSource,
  ) {
    this.loader = new ConsumptionLoader(consumptionFetcher(source));
    this.host = new PanelHost(panel);
    this.sessions = new SessionTableFeed(source, (message) => this.postAside(message));
    panel.webview.options = webviewOptions(extensionUri);
    this.render();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => {
        // The page is a separate, less trusted program: ignore anything outside the protocol.
        const parsed = parseConsumptionPageMessage(message);
        if (parsed) void this.handle(parsed);
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    if (source.onDidChangeAccount) this.disposables.push(source.onDidChangeAccount(() => this.accountChanged()));
  }

  /** Nothing fetched for the previous account may be shown again: forget it and load the range anew. */
  private accountChanged(): void {
    this.loader.clear();
    this.sessions.clear();
    this.shown = undefined;
    this.pendingKey = undefined;
    if (this.lastRange) {
      void this.load(this.lastRange, true);
      void this.sessions.load(this.lastRange, true);
    }
  }

  reveal(): void {
    this.panel.reveal();
  }

  async handle(message: PageToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        void this.loadBudget(false);
        void this.sessions.load(message.range, false);
        return this.load(message.range, false);
      case 'setRange':
        void this.sessions.load(message.range, false);
        return this.load(message.range, false);
      case 'retry':
        // Retry reads again everything the panel shows.
        void this.loadBudget(true);
        void this.sessions.load(message.range, true);
        return this.load(message.range, true);
      case 'retrySessions':
        return this.sessions.load(message.range, true);
      case 'openSession':
        await this.sessions.open(message.orgId, message.sessionId);
        return;
      case 'sessionsRendered':
        this.sessions.rendered(message.report);
        return;
      case 'exportCsv':
        return this.exportCsv(message.splitByProduct);
      case 'copyCsv':
        return this.copyCsv(message.splitByProduct);
      case 'rendered':
        this.lastRendered = message.report;
        this.renderCount += 1;
        return;
      case 'budgetShown':
        this.budgetShown = { value: message.value, text: message.text };
        return;
    }
  }

  /**
   * Beside the chart, never in its way: read once per panel (again on Retry), and sent apart from the
   * chart's own messages so it never stands in for the chart's state.
   */
  private async loadBudget(refresh: boolean): Promise<void> {
    if (!this.source.getCycleBudget) return;
    if (refresh || !this.budget) this.budget = this.readBudget();
    const budget = await this.budget;
    this.postAside({ type: 'budget', budget });
  }

  private readBudget(): Promise<BudgetView | null> {
    return readBudgetView(this.source, Math.floor(Date.now() / 1000));
  }

  debugState(): ConsumptionDebugState {
    return {
      open: !this.disposed,
      visible: this.panel.visible,
      lastPosted: this.lastPosted,
      lastRendered: this.lastRendered,
      renderCount: this.renderCount,
      budgetShown: this.budgetShown,
      sessions: this.sessions.debugState(),
    };
  }

  /** Test mode only (the debug command): asks the page to click one of its controls. */
  click(control: DebugControl): void {
    this.postAside({ type: 'debugClick', control });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.loader.dispose();
    this.sessions.dispose();
    this.panel.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private render(): void {
    const webview = this.panel.webview;
    const asset = (...segments: string[]) =>
      webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...segments)).toString();
    webview.html = consumptionHtml(
      {
        cspSource: webview.cspSource,
        script: asset('dist', 'webview', 'consumption.js'),
        stylesheet: asset('media', 'consumption.css'),
      },
      createNonce(),
      { language: vscode.env.language, bundle: vscode.l10n.bundle },
    );
  }

  private async load(range: RangeSelection, refresh: boolean): Promise<void> {
    this.lastRange = range;
    let key: string;
    try {
      key = this.loader.resolve(range).key;
    } catch (error) {
      return this.post({
        type: 'error',
        range,
        message: describeConsumptionFailure(error),
        kind: 'badRequest',
        canRetry: false,
      });
    }
    // A page reloaded while hidden says `ready` again; let a load already running for that range finish.
    if (!refresh && key === this.pendingKey) return this.post({ type: 'loading', range, completed: 0, total: 0 });
    const load = ++this.latestLoad;
    this.pendingKey = key;
    this.post({ type: 'loading', range, completed: 0, total: 0 });
    try {
      const outcome = await this.loader.load(
        range,
        (progress) => {
          if (load === this.latestLoad) this.post({ type: 'loading', range, ...progress });
        },
        { refresh },
      );
      if (outcome.kind === 'superseded' || load !== this.latestLoad) return;
      this.shown = { range, view: outcome.view };
      this.post({ type: 'data', range, view: outcome.view });
    } catch (error) {
      if (load !== this.latestLoad) return;
      this.shown = undefined;
      this.post({
        type: 'error',
        range,
        message: describeConsumptionFailure(error),
        kind: error instanceof DevinApiError ? error.kind : 'unknown',
        canRetry: true,
      });
    } finally {
      if (load === this.latestLoad) this.pendingKey = undefined;
    }
  }

  private async exportCsv(splitByProduct: boolean): Promise<void> {
    const view = this.shown?.view;
    if (!view) return this.post({ type: 'notice', message: vscode.l10n.t('Nothing to export yet.') });
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(folder, suggestedCsvFileName(view)),
      filters: { [vscode.l10n.t('CSV')]: ['csv'] },
      saveLabel: vscode.l10n.t('Export'),
      title: vscode.l10n.t('Export ACU consumption as CSV'),
    });
    if (!target) return;
    try {
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(consumptionToCsv(view, splitByProduct)));
      this.post({
        type: 'notice',
        message: vscode.l10n.t('Exported to {0}.', vscode.workspace.asRelativePath(target)),
      });
    } catch (error) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('Could not write the CSV file: {0}', describeConsumptionFailure(error)),
      );
    }
  }

  private async copyCsv(splitByProduct: boolean): Promise<void> {
    const view = this.shown?.view;
    if (!view) return this.post({ type: 'notice', message: vscode.l10n.t('Nothing to copy yet.') });
    await vscode.env.clipboard.writeText(consumptionToCsv(view, splitByProduct));
    const rows = view.organizations.length * view.days.length;
    this.post({
      type: 'notice',
      message: rows === 1 ? vscode.l10n.t('Copied 1 row as CSV.') : vscode.l10n.t('Copied {0} rows as CSV.', rows),
    });
  }

  private post(message: HostToPage): void {
    if (this.disposed) return;
    this.lastPosted = this.host.post(message);
  }

  /**
   * Posts without becoming `lastPosted`, which stays the chart's state (strings, the session table). Returns
   * the message as the page received it.
   */
  private postAside<M extends HostToPage>(message: M): M {
    return this.disposed ? message : this.host.post(message);
  }
}
