import * as vscode from 'vscode';
import type { Organization } from '../core/models';
import type { SessionStore, ViewState } from '../store/sessionStore';
import { ErrorNode, LoadMoreNode, OrganizationNode, PullRequestNode, SessionNode, type DevinNode } from './nodes';

/**
 * The `devin.sessions` tree: organizations at the root, their sessions (newest first, a page at a time)
 * below, pull requests under a session. It only renders what the store holds, and redraws only the
 * organization whose sessions changed. Whole-view states live in the store as `viewState`.
 */

export type { ViewState } from '../store/sessionStore';

export class SessionsTreeProvider implements vscode.TreeDataProvider<DevinNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<DevinNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private orgNodes = new Map<string, OrganizationNode>();
  private readonly sessionNodes = new Map<string, SessionNode[]>();
  private readonly subscriptions: { dispose(): void }[];

  constructor(
    private readonly store: SessionStore,
    private readonly isMuted: (sessionId: string) => boolean = () => false,
    private readonly now: () => number = Date.now,
  ) {
    this.subscriptions = [
      store.onDidChangeOrganizations(() => {
        this.orgNodes = new Map();
        this.sessionNodes.clear();
        this.changed.fire(undefined);
      }),
      store.onDidChangeSessions(({ orgId }) => {
        this.sessionNodes.delete(orgId);
        const node = this.orgNodes.get(orgId);
        if (node) this.changed.fire(node);
      }),
    ];
  }

  get viewState(): ViewState {
    return this.store.viewState;
  }

  get viewStateMessage(): string | undefined {
    return this.store.viewStateMessage;
  }

  knownOrganizations(): readonly Organization[] {
    return this.store.knownOrganizations();
  }

  getTreeItem(node: DevinNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  getParent(node: DevinNode): DevinNode | undefined {
    if (node instanceof OrganizationNode) return undefined;
    if (node instanceof PullRequestNode) return this.sessionNode(node.session.id);
    const orgId = node instanceof SessionNode ? node.session.orgId : node.organization.id;
    return this.orgNodes.get(orgId);
  }

  async getChildren(node?: DevinNode): Promise<DevinNode[]> {
    if (!node) return this.roots(await this.store.ensureOrganizations());
    if (node instanceof OrganizationNode) {
      await this.store.loadFirstPage(node.organization.id);
      return this.sessionRows(node.organization);
    }
    if (node instanceof SessionNode)
      return node.session.pullRequests.map((pr) => new PullRequestNode(node.session, pr));
    return [];
  }

  /** The row of a session as currently drawn (for `reveal`), if its page is loaded. */
  sessionNode(sessionId: string): SessionNode | undefined {
    const session = this.store.session(sessionId);
    if (!session) return undefined;
    return this.sessionRowsOf(session.orgId).find((row) => row.session.id === session.id);
  }

  organizationNode(orgId: string): OrganizationNode | undefined {
    return this.orgNodes.get(orgId);
  }

  /** Redraws rows whose look depends on something outside the store (a session muted or unmuted). */
  redraw(orgId?: string): void {
    if (orgId) this.sessionNodes.delete(orgId);
    else this.sessionNodes.clear();
    this.changed.fire(orgId ? this.orgNodes.get(orgId) : undefined);
  }

  dispose(): void {
    this.changed.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private roots(organizations: readonly Organization[]): OrganizationNode[] {
    // The same node objects across calls, so `reveal` and `getParent` agree with what is drawn.
    return organizations.map((organization) => {
      let node = this.orgNodes.get(organization.id);
      if (!node) {
        node = new OrganizationNode(organization);
        this.orgNodes.set(organization.id, node);
      }
      return node;
    });
  }

  private sessionRows(organization: Organization): DevinNode[] {
    const page = this.store.sessionsOf(organization.id);
    if (!page) return [];
    if (page.error) return [new ErrorNode(organization, page.error)];
    const rows: DevinNode[] = [...this.sessionRowsOf(organization.id)];
    if (page.nextCursor) rows.push(new LoadMoreNode(organization, page.sessions.length, page.total, page.loadingMore));
    return rows;
  }

  private sessionRowsOf(orgId: string): SessionNode[] {
    let rows = this.sessionNodes.get(orgId);
    if (!rows) {
      const nowSeconds = Math.floor(this.now() / 1000);
      rows = (this.store.sessionsOf(orgId)?.sessions ?? [])
        .filter((session) => this.store.isListed(session))
        .map(
          (session) =>
            new SessionNode(session, nowSeconds, this.store.promptHint(session.id), this.isMuted(session.id)),
        );
      this.sessionNodes.set(orgId, rows);
    }
    return rows;
  }
}
