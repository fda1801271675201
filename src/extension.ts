import * as vscode from 'vscode';
import { describeSkippedRows } from './api/rows';
import { DevinAccount } from './auth/account';
import { TokenStore } from './auth/tokenStore';
import { describeIdentity, registerAuthCommands } from './commands/authCommands';
import type { CommandContext } from './commands/commandContext';
import { Composer } from './commands/composer';
import { registerAdminCommands } from './commands/adminCommands';
import { registerCreateSessionCommands } from './commands/createSessionCommands';
import { registerKnowledgeCommands } from './commands/knowledgeCommands';
import { registerSessionCommands } from './commands/sessionCommands';
import { affectsConnection } from './config';
import { DraftStore, type Draft } from './core/drafts';
import { AutoRefresh } from './views/autoRefresh';
import type { DevinNode } from './views/nodes';
import { ReadonlyDocuments } from './views/readonlyDocuments';
import { redactingLog } from './views/redactingLog';
import { WaitingSessionsStatus } from './views/waitingStatus';
import { SessionsTreeProvider } from './views/sessionsTree';
import { registerConsumptionPanel, type ConsumptionSource } from './webview/consumptionPanel';
import { registerSessionPanel } from './webview/sessionPanel';
import { sessionPanelSourceFromClient } from './webview/sessionPanelSource';
import { Command, ContextKey } from './commandIds';
import { DevinTestHooks } from './testHooks';

const DRAFTS_KEY = 'devin.unsentDrafts';

/** What the extension hands to other extensions and to its own integration tests. */
export interface DevinExtensionApi {
  readonly sessionsTree: Pick<
    SessionsTreeProvider,
    'getChildren' | 'getTreeItem' | 'viewState' | 'viewStateMessage' | 'knownOrganizations'
  >;
  readonly unsentDrafts: () => readonly Draft[];
  /** Recounts the sessions waiting for the user, as the status bar entry shows them. */
  readonly waitingSessionCount: () => number;
  /** Present only when VS Code runs the extension under its integration tests. */
  readonly testHooks?: DevinTestHooks;
}

export function activate(context: vscode.ExtensionContext): DevinExtensionApi {
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
  const tree = new SessionsTreeProvider(account);
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
    tree,
    treeView,
    drafts,
    log,
    globalState: context.globalState,
    composer,
  };
  const documents = new ReadonlyDocuments();
  const waitingStatus = new WaitingSessionsStatus(tree);
  const autoRefresh = new AutoRefresh(tree, treeView, () => account.settings().autoRefreshSeconds, log);

  context.subscriptions.push(
    log,
    tokens,
    account,
    tree,
    treeView,
    autoRefresh,
    composer,
    waitingStatus,
    vscode.commands.registerCommand(Command.showLog, () => log.show()),
    ...registerAuthCommands(account, log),
    ...registerCreateSessionCommands(commandContext),
    ...registerSessionCommands(commandContext, documents),
    documents,
    vscode.workspace.registerTextDocumentContentProvider(ReadonlyDocuments.scheme, documents),
    ...registerAdminCommands(commandContext, documents),
    ...registerKnowledgeCommands(commandContext, documents),
    ...registerConsumptionPanel(context, consumptionSource(account, tree)),
    ...registerSessionPanel(context, sessionPanelSourceFromClient(account, tree), log),
    tree.onDidChangeState((state) => {
      void vscode.commands.executeCommand('setContext', ContextKey.viewState, state);
      treeView.message =
        state === 'error' || state === 'tokenRejected' || state === 'invalidSettings'
          ? tree.viewStateMessage
          : undefined;
      showIdentity(account, treeView);
    }),
    account.onDidChange(() => {
      void updateSignedInContext(account, tree);
      treeView.description = undefined;
      tree.refresh();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsConnection(event)) account.reconnect();
      if (event.affectsConfiguration('devin.autoRefreshSeconds')) autoRefresh.restart();
      if (event.affectsConfiguration('devin.pageSize')) tree.refresh();
    }),
  );
  // Context keys only; the first API call happens when the view asks for its rows.
  void updateSignedInContext(account, tree);
  return {
    sessionsTree: tree,
    unsentDrafts: () => drafts.list(),
    waitingSessionCount: () => waitingStatus.update(),
    testHooks,
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

async function updateSignedInContext(account: DevinAccount, tree: SessionsTreeProvider): Promise<void> {
  const signedIn = await account.isSignedIn();
  await vscode.commands.executeCommand('setContext', ContextKey.signedIn, signedIn);
  await vscode.commands.executeCommand('setContext', ContextKey.viewState, signedIn ? tree.viewState : 'signedOut');
}

/**
 * Whose consumption the panel shows: an organization-scoped token (or a configured `devin.orgId`)
 * sees its organization; an enterprise token sees every organization the tree lists.
 */
function consumptionSource(account: DevinAccount, tree: SessionsTreeProvider): ConsumptionSource {
  return {
    getClient: () => account.getClient(),
    getScope: async (signal) => {
      await account.requireSignedIn();
      const identity = await account.getIdentity(signal);
      const orgId = account.settings().orgId ?? identity.orgId;
      if (orgId) return { kind: 'organization', organization: tree.organizationOrId(orgId) };
      return { kind: 'enterprise', organizations: await tree.loadOrganizations() };
    },
  };
}

/** "Signed in as …" beside the view title, once the identity is known. */
function showIdentity(account: DevinAccount, treeView: vscode.TreeView<DevinNode>): void {
  const identity = account.cachedIdentity();
  treeView.description = identity ? describeIdentity(identity) : undefined;
}
