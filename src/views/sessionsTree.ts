import * as vscode from 'vscode';
import { findFolder, folderParts, groupNotesByFolder } from '../core/knowledgeFolders';
import type { KnowledgeNote, Organization, Schedule } from '../core/models';
import type { Capability } from '../core/permissions';
import type { OrgLists, OrgListState } from '../store/orgLists';
import type { SessionStore, ViewState } from '../store/sessionStore';
import { ErrorNode, LoadMoreNode, OrganizationNode, PullRequestNode, SessionNode, type DevinNode } from './nodes';
import {
  KnowledgeFolderNode,
  KnowledgeNode,
  KnowledgeNoteNode,
  ResourceStatusNode,
  ScheduleNode,
  SchedulesNode,
  type ResourceKind,
} from './resourceNodes';

/**
 * The `devin.sessions` tree: organizations at the root; under each, its Schedules and Knowledge (loaded
 * when expanded, and only for a token that may read them) and its sessions (newest first, a page at a
 * time); pull requests under a session. It only renders what the stores hold, and redraws only the
 * part that changed. Whole-view states live in the store as `viewState`.
 */

/** An organization's schedules and Knowledge, and what the token may do with them. */
export interface OrganizationResources {
  readonly schedules: OrgLists<Schedule>;
  readonly knowledge: OrgLists<KnowledgeNote>;
  /** What the `devin.can.*` keys say, once the token's permissions are known. */
  readonly capabilities: () => Readonly<Record<Capability, boolean>> | undefined;
  readonly onDidChangeCapabilities: vscode.Event<void>;
}

export type { ViewState } from '../store/sessionStore';

export class SessionsTreeProvider implements vscode.TreeDataProvider<DevinNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<DevinNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private orgNodes = new Map<string, OrganizationNode>();
  private readonly sessionNodes = new Map<string, SessionNode[]>();
  /** Group and folder rows, the same objects across redraws so `getParent` and `reveal` agree with the view. */
  private readonly schedulesNodes = new Map<string, SchedulesNode>();
  private readonly knowledgeNodes = new Map<string, KnowledgeNode>();
  private readonly folderNodes = new Map<string, KnowledgeFolderNode>();
  private readonly subscriptions: { dispose(): void }[];

  constructor(
    private readonly store: SessionStore,
    private readonly isMuted: (sessionId: string) => boolean = () => false,
    private readonly now: () => number = Date.now,
    private readonly resources?: OrganizationResources,
  ) {
    this.subscriptions = [
      store.onDidChangeOrganizations(() => {
        this.orgNodes = new Map();
        this.sessionNodes.clear();
        this.schedulesNodes.clear();
        this.knowledgeNodes.clear();
        this.folderNodes.clear();
        // Sign-in, sign-out and Refresh reload everything, schedules and Knowledge included.
        resources?.schedules.invalidate();
        resources?.knowledge.invalidate();
        this.changed.fire(undefined);
      }),
      store.onDidChangeSessions(({ orgId }) => {
        this.sessionNodes.delete(orgId);
        const node = this.orgNodes.get(orgId);
        if (node) this.changed.fire(node);
      }),
      ...(resources
        ? [
            resources.schedules.onDidChange((orgId) => this.redrawGroup(this.schedulesNodes, orgId)),
            resources.knowledge.onDidChange((orgId) => this.redrawGroup(this.knowledgeNodes, orgId)),
            // Groups come and go with the permissions to read them.
            resources.onDidChangeCapabilities(() => {
              for (const node of this.orgNodes.values()) this.changed.fire(node);
            }),
          ]
        : []),
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
    if (node instanceof ScheduleNode) return this.schedulesNode(node.organization);
    if (node instanceof ResourceStatusNode)
      return node.resource === 'schedules'
        ? this.schedulesNode(node.organization)
        : this.knowledgeNode(node.organization);
    if (node instanceof KnowledgeFolderNode || node instanceof KnowledgeNoteNode) {
      const parts = folderParts(node instanceof KnowledgeFolderNode ? node.path : node.note.folderPath);
      if (node instanceof KnowledgeFolderNode) parts.pop();
      return parts.length > 0
        ? this.folderNode(node.organization, parts.join('/'))
        : this.knowledgeNode(node.organization);
    }
    const orgId = node instanceof SessionNode ? node.session.orgId : node.organization.id;
    return this.orgNodes.get(orgId);
  }

  async getChildren(node?: DevinNode): Promise<DevinNode[]> {
    if (!node) return this.roots(await this.store.ensureOrganizations());
    if (node instanceof OrganizationNode) {
      await this.store.loadFirstPage(node.organization.id);
      return [...this.groupRows(node.organization), ...this.sessionRows(node.organization)];
    }
    if (node instanceof SessionNode)
      return node.session.pullRequests.map((pr) => new PullRequestNode(node.session, pr));
    if (node instanceof SchedulesNode) return this.scheduleRows(node.organization);
    if (node instanceof KnowledgeNode) return this.knowledgeRows(node.organization, '');
    if (node instanceof KnowledgeFolderNode) return this.knowledgeRows(node.organization, node.path);
    return [];
  }

  /** Loads an organization's schedules or Knowledge again (after a change made here), if they are shown. */
  reloadResource(orgId: string, resource: ResourceKind): void {
    (resource === 'schedules' ? this.resources?.schedules : this.resources?.knowledge)?.invalidate(orgId);
  }

  /** The organization's Schedules or Knowledge row, as drawn (for `reveal` and redraws). */
  groupNode(orgId: string, resource: ResourceKind): SchedulesNode | KnowledgeNode | undefined {
    return resource === 'schedules' ? this.schedulesNodes.get(orgId) : this.knowledgeNodes.get(orgId);
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

  /** Schedules and Knowledge, unless the token is known to lack the permission to read them. */
  private groupRows(organization: Organization): DevinNode[] {
    if (!this.resources) return [];
    const can = this.resources.capabilities();
    return [
      ...(can?.manageSchedules === false ? [] : [this.schedulesNode(organization)]),
      ...(can?.viewKnowledge === false ? [] : [this.knowledgeNode(organization)]),
    ];
  }

  private async scheduleRows(organization: Organization): Promise<DevinNode[]> {
    if (!this.resources) return [];
    const state = await this.resources.schedules.load(organization.id);
    const nowSeconds = Math.floor(this.now() / 1000);
    return this.statusRows(organization, 'schedules', state, (schedules) =>
      [...schedules]
        .sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true }))
        .map((schedule) => new ScheduleNode(organization, schedule, nowSeconds)),
    );
  }

  /** Folders first, then notes, at one folder level ("" for the top). */
  private async knowledgeRows(organization: Organization, path: string): Promise<DevinNode[]> {
    if (!this.resources) return [];
    const state = await this.resources.knowledge.load(organization.id);
    return this.statusRows(organization, 'knowledge', state, (notes) => {
      const folder = findFolder(groupNotesByFolder(notes), path);
      if (!folder) return [];
      return [
        ...folder.folders.map((child) => this.folderNode(organization, child.path)),
        ...folder.notes.map((note) => new KnowledgeNoteNode(organization, note)),
      ];
    });
  }

  private statusRows<T>(
    organization: Organization,
    resource: ResourceKind,
    state: OrgListState<T>,
    rows: (items: readonly T[]) => DevinNode[],
  ): DevinNode[] {
    if (state.status === 'failed') return [new ResourceStatusNode(organization, resource, { failed: state.message })];
    if (state.items.length === 0) return [new ResourceStatusNode(organization, resource, 'empty')];
    return rows(state.items);
  }

  private schedulesNode(organization: Organization): SchedulesNode {
    let node = this.schedulesNodes.get(organization.id);
    if (!node) this.schedulesNodes.set(organization.id, (node = new SchedulesNode(organization)));
    return node;
  }

  private knowledgeNode(organization: Organization): KnowledgeNode {
    let node = this.knowledgeNodes.get(organization.id);
    if (!node) this.knowledgeNodes.set(organization.id, (node = new KnowledgeNode(organization)));
    return node;
  }

  private folderNode(organization: Organization, path: string): KnowledgeFolderNode {
    const key = `${organization.id}\n${path}`;
    let node = this.folderNodes.get(key);
    if (!node) this.folderNodes.set(key, (node = new KnowledgeFolderNode(organization, path)));
    return node;
  }

  /** Redraws a group row whose list was dropped, which loads it again if it is expanded. */
  private redrawGroup(nodes: ReadonlyMap<string, SchedulesNode | KnowledgeNode>, orgId: string | undefined): void {
    // Every list dropped at once goes with a reload of the organizations, which redraws everything.
    if (orgId === undefined) return;
    const node = nodes.get(orgId);
    if (node) this.changed.fire(node);
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
