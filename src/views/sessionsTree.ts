import * as vscode from 'vscode';
import { DevinApiError, isDevinApiError } from '../api/errors';
import type { DevinAccount } from '../auth/account';
import { organizationFromId, type Organization, type Session } from '../core/models';
import { collectPages, usableNextCursor } from '../core/paging';
import { ErrorNode, LoadMoreNode, OrganizationNode, PullRequestNode, SessionNode, type DevinNode } from './nodes';

/**
 * The `devin.sessions` tree: organizations at the root, their sessions (newest first, a page at a
 * time) below, pull requests under a session. Whole-view states (signed out, no organizations,
 * unreachable) are published as the `devin.viewState` context key for the welcome views.
 */

export type ViewState =
  | 'signedOut'
  | 'loading'
  | 'ready'
  | 'noOrganizations'
  | 'needsOrgId'
  | 'unreachable'
  | 'tokenRejected'
  | 'error'
  // devin.apiBaseUrl is unusable, or the user did not allow the token to go to it: nothing was sent.
  | 'invalidSettings';

interface OrganizationSessions {
  sessions: Session[];
  nodes: SessionNode[];
  nextCursor: string | undefined;
  total: number | undefined;
  loadingMore: boolean;
  error: string | undefined;
}

export class SessionsTreeProvider implements vscode.TreeDataProvider<DevinNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<DevinNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly stateChanged = new vscode.EventEmitter<ViewState>();
  readonly onDidChangeState = this.stateChanged.event;
  /** Fires whenever the loaded sessions change (a page arrives, a session is added, a refresh clears them). */
  private readonly sessionsChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeSessions = this.sessionsChanged.event;

  private state: ViewState = 'loading';
  private stateMessage: string | undefined;
  private organizations: OrganizationNode[] | undefined;
  private rootLoad: Promise<OrganizationNode[]> | undefined;
  private rootError: unknown;
  private readonly sessionsByOrg = new Map<string, OrganizationSessions>();
  private readonly sessionLoads = new Map<string, Promise<void>>();
  /** First prompt lines of sessions created here, for rows whose title Devin has not set yet. */
  private readonly promptHints = new Map<string, string>();
  private generation = 0;

  constructor(
    private readonly account: DevinAccount,
    private readonly now: () => number = Date.now,
  ) {}

  get viewState(): ViewState {
    return this.state;
  }

  /** The message that goes with a failed state, for the view's message line. */
  get viewStateMessage(): string | undefined {
    return this.stateMessage;
  }

  getTreeItem(node: DevinNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  getParent(node: DevinNode): DevinNode | undefined {
    if (node instanceof OrganizationNode) return undefined;
    if (node instanceof PullRequestNode)
      return this.sessionsByOrg
        .get(node.session.orgId)
        ?.nodes.find((candidate) => candidate.session.id === node.session.id);
    const orgId = node instanceof SessionNode ? node.session.orgId : node.organization.id;
    return this.organizations?.find((candidate) => candidate.organization.id === orgId);
  }

  async getChildren(node?: DevinNode): Promise<DevinNode[]> {
    if (!node) return this.getRoots();
    if (node instanceof OrganizationNode) return this.getSessionRows(node.organization);
    if (node instanceof SessionNode)
      return node.session.pullRequests.map((pr) => new PullRequestNode(node.session, pr));
    return [];
  }

  /** Organizations as currently known (empty before the first load). */
  knownOrganizations(): readonly Organization[] {
    return this.organizations?.map((node) => node.organization) ?? [];
  }

  /** Every session loaded so far, across organizations. */
  knownSessions(): readonly Session[] {
    return [...this.sessionsByOrg.values()].flatMap((entry) => entry.sessions);
  }

  /** Loads the organizations if needed (for commands that need them before the view was opened). */
  async loadOrganizations(): Promise<readonly Organization[]> {
    const roots = await this.getRoots();
    if (this.state === 'signedOut') throw new DevinApiError({ kind: 'signedOut' });
    // Rethrow the API's own error so callers can show its message (a 403 names the permission).
    if (this.state !== 'ready' && this.state !== 'noOrganizations')
      throw this.rootError ?? new Error(this.stateMessage ?? 'No organizations are available.');
    return roots.map((node) => node.organization);
  }

  /** Reloads everything, or just one organization's sessions. */
  refresh(orgId?: string): void {
    if (orgId !== undefined) {
      this.sessionsByOrg.delete(orgId);
      const orgNode = this.organizations?.find((candidate) => candidate.organization.id === orgId);
      this.changed.fire(orgNode);
      return;
    }
    this.generation++;
    this.organizations = undefined;
    this.rootLoad = undefined;
    this.sessionsByOrg.clear();
    this.sessionLoads.clear();
    this.changed.fire(undefined);
    this.sessionsChanged.fire();
  }

  /** Quietly re-reads the sessions already shown (auto-refresh), keeping how many were loaded. */
  async refreshLoadedSessions(): Promise<void> {
    const generation = this.generation;
    for (const [orgId, entry] of [...this.sessionsByOrg.entries()]) {
      const organization = this.organizations?.find((candidate) => candidate.organization.id === orgId);
      if (!organization) continue;
      const page = await this.account.getClient().listSessions(orgId, {
        first: Math.min(200, Math.max(this.account.settings().pageSize, entry.sessions.length)),
      });
      if (generation !== this.generation) return;
      this.setSessions(orgId, {
        ...entry,
        sessions: [...page.items],
        nextCursor: usableNextCursor(page, undefined),
        total: page.total,
        error: undefined,
      });
      this.changed.fire(organization);
    }
  }

  async loadMore(orgId: string): Promise<void> {
    const entry = this.sessionsByOrg.get(orgId);
    const organization = this.organizations?.find((candidate) => candidate.organization.id === orgId);
    if (!entry?.nextCursor || entry.loadingMore || !organization) return;
    entry.loadingMore = true;
    this.changed.fire(organization);
    try {
      const page = await this.account
        .getClient()
        .listSessions(orgId, { first: this.account.settings().pageSize, after: entry.nextCursor });
      const known = new Set(entry.sessions.map((session) => session.id));
      const fresh = page.items.filter((session) => !known.has(session.id));
      this.setSessions(orgId, {
        ...entry,
        sessions: [...entry.sessions, ...fresh],
        nextCursor: usableNextCursor(page, entry.nextCursor, fresh.length),
        total: page.total ?? entry.total,
        loadingMore: false,
      });
    } catch (error) {
      entry.loadingMore = false;
      throw error;
    } finally {
      this.changed.fire(organization);
    }
  }

  /** Shows a session the moment it is created, before any refresh; returns its row for `reveal`. */
  addOrUpdateSession(session: Session, promptFirstLine?: string): SessionNode | undefined {
    if (promptFirstLine) this.promptHints.set(session.id, promptFirstLine);
    const entry = this.sessionsByOrg.get(session.orgId);
    const organization = this.organizations?.find((candidate) => candidate.organization.id === session.orgId);
    if (!entry || !organization) return undefined;
    const others = entry.sessions.filter((existing) => existing.id !== session.id);
    const isNew = others.length === entry.sessions.length;
    const sessions = isNew
      ? [session, ...others]
      : entry.sessions.map((existing) => (existing.id === session.id ? session : existing));
    this.setSessions(session.orgId, {
      ...entry,
      sessions,
      total: entry.total !== undefined && isNew ? entry.total + 1 : entry.total,
    });
    this.changed.fire(organization);
    return this.sessionsByOrg.get(session.orgId)?.nodes.find((node) => node.session.id === session.id);
  }

  /** The organization as listed, or one named by its id when the list does not have it. */
  organizationOrId(orgId: string): Organization {
    return this.knownOrganizations().find((organization) => organization.id === orgId) ?? organizationFromId(orgId);
  }

  organizationNode(orgId: string): OrganizationNode | undefined {
    return this.organizations?.find((candidate) => candidate.organization.id === orgId);
  }

  dispose(): void {
    this.changed.dispose();
    this.stateChanged.dispose();
    this.sessionsChanged.dispose();
  }

  private getRoots(): Promise<OrganizationNode[]> {
    if (this.organizations) return Promise.resolve(this.organizations);
    this.rootLoad ??= this.loadRoots(this.generation);
    return this.rootLoad;
  }

  private async loadRoots(generation: number): Promise<OrganizationNode[]> {
    if (!(await this.account.isSignedIn())) {
      this.setState('signedOut');
      return [];
    }
    this.setState('loading');
    try {
      const organizations = await this.resolveOrganizations();
      if (generation !== this.generation) return this.getRoots();
      this.rootError = undefined;
      this.organizations = organizations.map((organization) => new OrganizationNode(organization));
      this.setState(this.organizations.length > 0 ? 'ready' : 'noOrganizations');
      return this.organizations;
    } catch (error) {
      if (generation !== this.generation) return this.getRoots();
      this.rootLoad = undefined;
      this.rootError = error;
      this.setState(
        stateForError(error),
        isDevinApiError(error) || error instanceof Error ? error.message : String(error),
      );
      return [];
    }
  }

  /**
   * Enterprise tokens list organizations. An organization-scoped token names its one organization in
   * the identity call; `devin.orgId` covers tokens that can do neither.
   */
  private async resolveOrganizations(): Promise<Organization[]> {
    const configuredOrgId = this.account.settings().orgId;
    // The identity call also proves the token and names the signed-in principal in the view. With a
    // configured organization its failure (other than a rejected token) must not hide the sessions.
    const identity = await this.account.getIdentity().catch((error: unknown) => {
      if (configuredOrgId && !(isDevinApiError(error) && error.kind === 'unauthorized')) return undefined;
      throw error;
    });
    if (configuredOrgId) return [organizationFromId(configuredOrgId)];
    if (identity?.orgId) return [organizationFromId(identity.orgId)];
    const client = this.account.getClient();
    const { items } = await collectPages((after) => client.listOrganizations({ first: 200, after }), 5000);
    return items.sort((a, b) => a.name.localeCompare(b.name));
  }

  private async getSessionRows(organization: Organization): Promise<DevinNode[]> {
    if (!this.sessionsByOrg.has(organization.id)) await this.loadFirstPage(organization);
    const entry = this.sessionsByOrg.get(organization.id);
    if (!entry) return [];
    if (entry.error) return [new ErrorNode(organization, entry.error)];
    const rows: DevinNode[] = [...entry.nodes];
    if (entry.nextCursor)
      rows.push(new LoadMoreNode(organization, entry.sessions.length, entry.total, entry.loadingMore));
    return rows;
  }

  private loadFirstPage(organization: Organization): Promise<void> {
    let load = this.sessionLoads.get(organization.id);
    if (!load) {
      load = (async () => {
        try {
          const page = await this.account
            .getClient()
            .listSessions(organization.id, { first: this.account.settings().pageSize });
          this.setSessions(organization.id, {
            sessions: [...page.items],
            nodes: [],
            nextCursor: usableNextCursor(page, undefined),
            total: page.total,
            loadingMore: false,
            error: undefined,
          });
        } catch (error) {
          this.setSessions(organization.id, {
            sessions: [],
            nodes: [],
            nextCursor: undefined,
            total: undefined,
            loadingMore: false,
            error: error instanceof Error ? error.message : String(error),
          });
          if (isDevinApiError(error) && error.kind === 'unauthorized') this.setState('tokenRejected', error.message);
        } finally {
          this.sessionLoads.delete(organization.id);
        }
      })();
      this.sessionLoads.set(organization.id, load);
    }
    return load;
  }

  private setSessions(orgId: string, entry: OrganizationSessions): void {
    const nowSeconds = Math.floor(this.now() / 1000);
    const sessions = [...entry.sessions].sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0));
    this.sessionsByOrg.set(orgId, {
      ...entry,
      sessions,
      nodes: sessions.map((session) => new SessionNode(session, nowSeconds, this.promptHints.get(session.id))),
    });
    this.sessionsChanged.fire();
  }

  private setState(state: ViewState, message?: string): void {
    this.stateMessage = message;
    if (state === this.state && state !== 'error' && state !== 'invalidSettings') return;
    this.state = state;
    this.stateChanged.fire(state);
  }
}

function stateForError(error: unknown): ViewState {
  if (!isDevinApiError(error)) return 'error';
  switch (error.kind) {
    case 'signedOut':
      return 'signedOut';
    case 'unauthorized':
      return 'tokenRejected';
    case 'forbidden':
      return 'needsOrgId';
    case 'invalidSettings':
      return 'invalidSettings';
    case 'network':
    case 'timeout':
    case 'server':
    case 'rateLimited':
      return 'unreachable';
    default:
      return 'error';
  }
}
