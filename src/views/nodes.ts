import * as vscode from 'vscode';
import type { Organization, PullRequest, Session } from '../core/models';
import {
  sessionDescription,
  sessionLabel,
  sessionTooltipMarkdown,
  shortPullRequestName,
  statusLook,
} from '../core/sessionPresentation';
import { Command } from '../commandIds';
import type { ResourceNode } from './resourceNodes';

/**
 * One small class per kind of row. Ids are stable (derived from API ids) so selection and expansion
 * survive a refresh; `contextValue` is the small vocabulary the menus in package.json match.
 */

export type DevinNode = OrganizationNode | SessionNode | PullRequestNode | LoadMoreNode | ErrorNode | ResourceNode;

export class OrganizationNode {
  readonly kind = 'organization';
  constructor(readonly organization: Organization) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.organization.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `org:${this.organization.id}`;
    item.contextValue = 'organization';
    item.iconPath = new vscode.ThemeIcon('organization');
    item.tooltip = `${this.organization.name}\n${this.organization.id}`;
    return item;
  }
}

export class SessionNode {
  readonly kind = 'session';
  constructor(
    readonly session: Session,
    private readonly nowSeconds: number,
    private readonly promptFirstLine?: string,
    readonly muted = false,
  ) {}

  get label(): string {
    return sessionLabel(this.session, this.promptFirstLine);
  }

  toTreeItem(): vscode.TreeItem {
    const session = this.session;
    const look = statusLook(session.status, session.statusDetail);
    const hasPullRequests = session.pullRequests.length > 0;
    const item = new vscode.TreeItem(
      this.label,
      hasPullRequests ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `session:${session.orgId}:${session.id}`;
    item.description = sessionDescription(session, this.nowSeconds);
    item.iconPath = new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
    const tooltip = new vscode.MarkdownString(sessionTooltipMarkdown(session, this.nowSeconds));
    tooltip.isTrusted = false;
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: `${this.label}, ${item.description}` };
    // `session.waiting` lets menus promote "Send Message" for sessions blocked on the user.
    item.contextValue = [
      'session',
      look.needsUser ? 'waiting' : undefined,
      session.url ? 'hasUrl' : undefined,
      hasPullRequests ? 'hasPullRequests' : undefined,
      this.muted ? 'muted' : 'unmuted',
      // Archive and Stop are offered only where they can still change something.
      look.isTerminal ? 'ended' : undefined,
      session.isArchived ? 'archived' : undefined,
    ]
      .filter(Boolean)
      .join('.');
    item.command = { command: Command.openSession, title: vscode.l10n.t('Open Session'), arguments: [this] };
    return item;
  }
}

export class PullRequestNode {
  readonly kind = 'pullRequest';
  constructor(
    readonly session: Session,
    readonly pullRequest: PullRequest,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(shortPullRequestName(this.pullRequest.url), vscode.TreeItemCollapsibleState.None);
    item.id = `pr:${this.session.id}:${this.pullRequest.url}`;
    item.description = this.pullRequest.state;
    item.iconPath = new vscode.ThemeIcon(
      this.pullRequest.state === 'merged'
        ? 'git-merge'
        : this.pullRequest.state === 'closed'
          ? 'git-pull-request-closed'
          : 'git-pull-request',
    );
    item.tooltip = this.pullRequest.url;
    item.contextValue = 'pullRequest';
    item.command = {
      command: Command.openPullRequest,
      title: vscode.l10n.t('Open Pull Request'),
      arguments: [this],
    };
    return item;
  }
}

export class LoadMoreNode {
  readonly kind = 'loadMore';
  constructor(
    readonly organization: Organization,
    private readonly loaded: number,
    private readonly total: number | undefined,
    private readonly loading: boolean,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(
      this.loading ? vscode.l10n.t('Loading…') : vscode.l10n.t('Load more…'),
      vscode.TreeItemCollapsibleState.None,
    );
    item.id = `more:${this.organization.id}`;
    item.description =
      this.total !== undefined
        ? vscode.l10n.t('{0} of {1}', this.loaded, this.total)
        : vscode.l10n.t('{0} shown', this.loaded);
    item.iconPath = new vscode.ThemeIcon(this.loading ? 'loading~spin' : 'ellipsis');
    item.contextValue = 'loadMore';
    if (!this.loading)
      item.command = { command: Command.loadMoreSessions, title: vscode.l10n.t('Load More'), arguments: [this] };
    return item;
  }
}

/** A failure to load one organization's sessions, shown in place with a way to retry. */
export class ErrorNode {
  readonly kind = 'error';
  constructor(
    readonly organization: Organization,
    readonly message: string,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(
      vscode.l10n.t('Could not load sessions. Click to retry.'),
      vscode.TreeItemCollapsibleState.None,
    );
    item.id = `error:${this.organization.id}`;
    item.description = this.message;
    item.tooltip = this.message;
    item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    item.contextValue = 'error';
    item.command = { command: Command.refresh, title: vscode.l10n.t('Retry'), arguments: [this] };
    return item;
  }
}

/** The session a row stands for (its own row, or one of its pull requests), for a command run from that row. */
export function sessionOfRow(row: unknown): Session | undefined {
  return row instanceof SessionNode || row instanceof PullRequestNode ? row.session : undefined;
}

/** The pull request a pull-request row stands for. */
export function pullRequestOfRow(row: unknown): PullRequest | undefined {
  return row instanceof PullRequestNode ? row.pullRequest : undefined;
}

/** The organization of an organization's own row or of its error row. */
export function organizationOfRow(row: unknown): Organization | undefined {
  return row instanceof OrganizationNode || row instanceof ErrorNode ? row.organization : undefined;
}
