import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { describeSkippedRows } from './api/rows';
import { DevinAccount } from './auth/account';
import { TokenStore } from './auth/tokenStore';
import { TokenPermissions } from './auth/permissions';
import { describeIdentity, registerAuthCommands } from './commands/authCommands';
import type { CommandContext } from './ui/commandContext';
import { Composer } from './ui/composer';
import { registerAdminCommands } from './commands/adminCommands';
import { registerAuditCommands } from './commands/auditCommands';
import { registerScheduleCommands } from './commands/scheduleCommands';
import { registerKnowledgeFiles } from './commands/knowledgeFileCommands';
import { registerCreateSessionCommands } from './commands/createSessionCommands';
import { registerKnowledgeCommands } from './commands/knowledgeCommands';
import { registerSessionCommands } from './commands/sessionCommands';
import { registerSessionActionCommands } from './commands/sessionActionCommands';
import { affectsConnection } from './config';
import { DraftStore, type Draft } from './core/drafts';
import { registerLiveCommands } from './commands/liveCommands';
import { SessionPoller } from './store/sessionPoller';
import { SessionStore } from './store/sessionStore';
import { OrgLists } from './store/orgLists';
import { listSchedules } from './api/schedules';
import { listAllNotes } from './actions/knowledgeFiles';
import { LiveUpdates } from './views/liveUpdates';
import { MutedSessions } from './views/mutedSessions';
import { SendGuard } from './core/sendGuard';
import type { DevinNode } from './views/nodes';
import { ReadonlyDocuments } from './views/readonlyDocuments';
import { redactingLog } from './views/redactingLog';
import { SessionNotifications, type ShownNotification } from './views/sessionNotifications';
import { SessionStatusBar } from './views/sessionStatusBar';
import { CycleUsageStatus } from './views/cycleUsageStatus';
import { fetchCycleBudget } from './api/cycleBudget';
import { SessionsTreeProvider } from './views/sessionsTree';
import { registerConsumptionPanel, type ConsumptionSource } from './webview/consumptionPanel';
import { registerSessionPanel } from './webview/sessionPanel';
import { sessionPanelSourceFromStore } from './webview/sessionPanelSource';
import { Command, ContextKey } from './commandIds';
import { DevinTestHooks } from './testHooks';

const DRAFTS_KEY = 'devin.unsentDrafts';

/** What the extension hands to other extensions and to its own integration tests. */
export interface DevinExtensionApi {
  readonly sessionsTree: Pick<
    SessionsTreeProvider,
    'getChildren' | 'getTreeItem' | 'viewState' | 'viewStateMessage' | 'knownOrganizations' | 'onDidChangeTreeData'
  >;
  readonly unsentDrafts: () => readonly Draft[];
  /** Recounts the sessions waiting for the user, as the status bar entry shows them. */
  readonly waitingSessionCount: () => number;
  /** What the `devin.can.*` context keys say for the signed-in token, once its permissions are known. */
  readonly tokenPermissions: () => Promise<Readonly<Record<string, boolean>> | undefined>;
  /** Reads the billing cycle again and says what the opt-in status bar item shows. */
  readonly cycleUsageStatus: () => Promise<{ visible: boolean; text: string; tooltip: string }>;
  /** Present only when VS Code runs the extension under its integration tests. */
  readonly testHooks?: DevinTestHooks;
  /** Organizations and sessions as the API last said, with change events. */
  readonly store: SessionStore;
  /** Panels that show sessions say when they are visible, so polling keeps them current. */
  readonly liveUpdates: Pick<LiveUpdates, 'setSurfaceVisible'>;
  /** Present only when VS Code runs the extension under its integration tests. */
  readonly testing?: DevinTestingApi;
}

export interface DevinTestingApi {
  /** Cadences below the settings' minimums (seconds), or undefined to go back to the settings. */
  setRefreshIntervals(intervals: { foreground: number; background: number } | undefined): void;
  currentRefreshSeconds(): number;
  pollNow(): Promise<unknown>;
  statusBar(): { waiting: number; running: number; text: string | undefined };
  notificationsShown(): readonly ShownNotification[];
  viewMessage(): string | undefined;
}

export function activate(context: vscode.ExtensionContext): DevinExtensionApi {
  // The vscode-free core translates through @vscode/l10n; give it the bundle VS Code chose for this display language.
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  const log = redactingLog(vscode.window.createOutputChannel('Devin', { log: true }));
  const version = (context.extension.packageJSON as { version?: string }).version ?? '0.0.0';
  const testHooks =
    context.extensionMode === vscode.ExtensionMode.Test ? new DevinTestHooks(context.secrets) : undefined;
  const tokens = new TokenStore(testHooks?.secrets ?? context.secrets);
  const account = new DevinAccount(
    tokens,
    `devin-vscode/${version} vscode/${vscode.version}`,
    testHooks?.approveOrigin,
    (report) => log.warn(describeSkippedRows(report)),
  );
  const store = new SessionStore({
    isSignedIn: () => account.isSignedIn(),
    getIdentity: () => account.getIdentity(),
    getClient: () => account.getClient(),
    configuredOrgId: () => account.settings().orgId,
    pageSize: () => account.settings().pageSize,
  });
  const muted = new MutedSessions(context.workspaceState);
  const permissions = new TokenPermissions(account, tokens);
  const schedules = new OrgLists((orgId) => listSchedules(account.getClient(), orgId));
  const knowledge = new OrgLists((orgId) => listAllNotes(account.getClient(), orgId));
  const tree = new SessionsTreeProvider(store, (sessionId) => muted.has(sessionId), Date.now, {
    schedules,
    knowledge,
    capabilities: () => permissions.snapshot(),
    onDidChangeCapabilities: permissions.onDidChange,
  });
  const treeView = vscode.window.createTreeView<DevinNode>('devin.sessions', {
    treeDataProvider: tree,
    showCollapseAll: true,
  });
  const drafts = new DraftStore({
    read: () => context.workspaceState.get<Draft[]>(DRAFTS_KEY, []),
    write: (all) => context.workspaceState.update(DRAFTS_KEY, all),
  });
  const composer = new Composer();
  const commandContext: CommandContext = {
    account,
    store,
    tree,
    treeView,
    drafts,
    log,
    globalState: context.globalState,
    composer,
    sendGuard: new SendGuard(),
    permissions,
  };
  const documents = new ReadonlyDocuments();
  const statusBar = new SessionStatusBar(store);
  const cycleUsage = new CycleUsageStatus(account, permissions, log);
  const poller = new SessionPoller(store, () => account.getClient(), undefined, {
    log: (message) => log.warn(message),
  });
  const notifications = new SessionNotifications(store, muted, () => account.settings().notifications);
  const live = new LiveUpdates(
    store,
    poller,
    treeView,
    () => account.settings(),
    (sessionId) => muted.has(sessionId),
  );

  context.subscriptions.push(
    log,
    tokens,
    account,
    store,
    schedules,
    knowledge,
    tree,
    treeView,
    { dispose: () => poller.dispose() },
    live,
    notifications,
    muted,
    composer,
    statusBar,
    permissions,
    cycleUsage,
    vscode.commands.registerCommand(Command.showLog, () => log.show()),
    ...registerAuthCommands(account, log),
    ...registerCreateSessionCommands(commandContext),
    ...registerSessionCommands(commandContext, documents),
    ...registerSessionActionCommands(commandContext),
    documents,
    vscode.workspace.registerTextDocumentContentProvider(ReadonlyDocuments.scheme, documents),
    ...registerAdminCommands(commandContext, documents),
    ...registerAuditCommands(commandContext, documents),
    ...registerScheduleCommands(commandContext),
    ...registerKnowledgeFiles(commandContext),
    ...registerKnowledgeCommands(commandContext, documents),
    ...registerConsumptionPanel(context, consumptionSource(account, store)),
    ...registerSessionPanel(context, sessionPanelSourceFromStore(account, store, live, poller), log),
    ...registerLiveCommands(store, muted, (orgId) => tree.redraw(orgId)),
    store.onDidChangeViewState((state) => {
      void vscode.commands.executeCommand('setContext', ContextKey.viewState, state);
      // A token stored in an earlier session is probed once the view has reached the API; a sign-in probes at once.
      if (state === 'ready' || state === 'noOrganizations' || state === 'needsOrgId') void permissions.refresh();
      showIdentity(account, treeView);
    }),
    account.onDidChange(() => {
      void updateSignedInContext(account, store);
      treeView.description = undefined;
      store.refresh();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsConnection(event)) account.reconnect();
      if (
        ['devin.autoRefreshSeconds', 'devin.backgroundRefreshSeconds', 'devin.notifications'].some((key) =>
          event.affectsConfiguration(key),
        )
      )
        live.update();
      if (event.affectsConfiguration('devin.pageSize')) store.refresh();
    }),
  );
  // Context keys only; the first API call happens when the view asks for its rows.
  void updateSignedInContext(account, store);
  const testing: DevinTestingApi | undefined =
    context.extensionMode === vscode.ExtensionMode.Test
      ? {
          setRefreshIntervals: (intervals) => live.setIntervalsForTests(intervals),
          currentRefreshSeconds: () => live.currentIntervalSeconds(),
          pollNow: () => poller.tick(),
          statusBar: () => statusBar.update(),
          notificationsShown: () => notifications.shown,
          viewMessage: () => treeView.message,
        }
      : undefined;
  return {
    sessionsTree: tree,
    unsentDrafts: () => drafts.list(),
    waitingSessionCount: () => statusBar.update().waiting,
    store,
    liveUpdates: live,
    testing,
    testHooks,
    tokenPermissions: async () => (await permissions.refresh()) && permissions.snapshot(),
    cycleUsageStatus: () => cycleUsage.update(),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

async function updateSignedInContext(account: DevinAccount, store: SessionStore): Promise<void> {
  const signedIn = await account.isSignedIn();
  await vscode.commands.executeCommand('setContext', ContextKey.signedIn, signedIn);
  await vscode.commands.executeCommand('setContext', ContextKey.viewState, signedIn ? store.viewState : 'signedOut');
}

/**
 * Whose consumption the panel shows: an organization-scoped token (or a configured `devin.orgId`)
 * sees its organization; an enterprise token sees every organization the tree lists.
 */
function consumptionSource(account: DevinAccount, store: SessionStore): ConsumptionSource {
  return {
    getClient: () => account.getClient(),
    onDidChangeAccount: account.onDidChange,
    getScope: async (signal) => {
      await account.requireSignedIn();
      const identity = await account.getIdentity(signal);
      const orgId = account.settings().orgId ?? identity.orgId;
      if (orgId) return { kind: 'organization', organization: store.organizationOrId(orgId) };
      return { kind: 'enterprise', organizations: [...(await store.loadOrganizations())] };
    },
    // Billing cycles and the ACU limit are enterprise-wide; an organization's panel has no bar.
    getCycleBudget: async (signal) => {
      const identity = await account.getIdentity(signal);
      if (account.settings().orgId ?? identity.orgId) return undefined;
      return fetchCycleBudget(account.getClient(), signal);
    },
  };
}

/** "Signed in as …" beside the view title, once the identity is known. */
function showIdentity(account: DevinAccount, treeView: vscode.TreeView<DevinNode>): void {
  const identity = account.cachedIdentity();
  treeView.description = identity ? describeIdentity(identity) : undefined;
}
