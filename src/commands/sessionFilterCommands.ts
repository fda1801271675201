import * as vscode from 'vscode';
import { Command, ContextKey } from '../commandIds';
import {
  ORIGIN_CHOICES,
  statusChoices,
  describeFilter,
  isEmptyFilter,
  listFilterFor,
  matchesStatusFilter,
  type SessionFilter,
} from '../core/sessionFilter';
import { shortPullRequestName } from '../core/sessionPresentation';
import { scheduleOfRow } from '../views/resourceNodes';
import type { CommandContext } from '../ui/commandContext';
import { describeIdentity } from './authCommands';
import { cancelled, reportError, type CommandOutcome } from '../ui/feedback';

/**
 * Which sessions the view lists: archived ones hidden unless `devin.showArchived` (a per-workspace
 * toggle in the view's toolbar), and the filter of "Devin: Filter Sessions…", shown in the view's
 * description until cleared.
 */

const SHOW_ARCHIVED = 'showArchived';

export interface FilterArgs {
  /** Applies this filter without asking (automation, tests). */
  readonly filter: SessionFilter;
}

export function registerSessionFilterCommands(context: CommandContext): vscode.Disposable[] {
  const view = new SessionListView(context);
  return [
    view,
    vscode.commands.registerCommand(Command.showArchivedSessions, () => setShowArchived(true)),
    vscode.commands.registerCommand(Command.hideArchivedSessions, () => setShowArchived(false)),
    vscode.commands.registerCommand(Command.filterSessions, (args?: FilterArgs) => view.chooseFilter(args)),
    vscode.commands.registerCommand(Command.clearSessionFilter, () => view.chooseFilter({ filter: {} })),
    vscode.commands.registerCommand(Command.showScheduleRuns, (arg?: unknown) => view.showScheduleRuns(arg)),
  ];
}

/** What "Show Runs" is given: a schedule's row, or the schedule named (automation, tests). */
export interface ScheduleRunsArgs {
  readonly orgId: string;
  readonly scheduleId: string;
  readonly name?: string;
}

function showArchivedSetting(): boolean {
  return vscode.workspace.getConfiguration('devin').get<boolean>(SHOW_ARCHIVED, false);
}

async function setShowArchived(show: boolean): Promise<void> {
  // Per workspace when one is open, so each project keeps its own choice.
  const target = vscode.workspace.workspaceFolders?.length
    ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration('devin').update(SHOW_ARCHIVED, show, target);
}

class SessionListView implements vscode.Disposable {
  private filter: SessionFilter = {};
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly context: CommandContext) {
    this.disposables = [
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`devin.${SHOW_ARCHIVED}`)) this.apply();
      }),
      // The view's description also names the signed-in principal, which is set when the state
      // changes; the filter is added after that, once the other listeners have run.
      context.store.onDidChangeViewState(() => queueMicrotask(() => this.describe())),
      context.account.onDidChange(() => {
        // "Created by me", tags and repositories belonged to the previous principal's view.
        if (!isEmptyFilter(this.filter)) {
          this.filter = {};
          this.apply();
        }
        queueMicrotask(() => this.describe());
      }),
    ];
    this.apply();
  }

  async chooseFilter(
    args: FilterArgs | undefined,
  ): Promise<CommandOutcome<{ filter: SessionFilter; description: string | undefined }>> {
    const filter = args?.filter ?? (await this.pickFilter());
    if (!filter) return cancelled;
    try {
      await this.setFilter(filter);
      return { ok: true, filter: this.filter, description: this.context.treeView.description };
    } catch (error) {
      return { ok: false, error: reportError(this.context.log, vscode.l10n.t('Could not filter the sessions'), error) };
    }
  }

  /**
   * Lists only the sessions a schedule started (the list's `schedule_id`), as a filter like any other:
   * named beside the view title and cleared by "Clear Session Filter". Its organization is expanded to
   * show them.
   */
  async showScheduleRuns(
    arg: unknown,
  ): Promise<CommandOutcome<{ filter: SessionFilter; description: string | undefined }>> {
    const row = scheduleOfRow(arg);
    const given = row ? undefined : (arg as Partial<ScheduleRunsArgs> | undefined);
    const schedule = row
      ? { orgId: row.orgId, id: row.schedule.id, name: row.schedule.name }
      : given?.orgId && given.scheduleId
        ? { orgId: given.orgId, id: given.scheduleId, name: given.name ?? given.scheduleId }
        : undefined;
    if (!schedule) {
      const message = vscode.l10n.t('Choose Show Runs on a schedule in the Devin view.');
      void vscode.window.showInformationMessage(message);
      return { ok: false, error: message };
    }
    const outcome = await this.chooseFilter({ filter: { schedule } });
    const organization = this.context.tree.organizationNode(schedule.orgId);
    if (outcome.ok && organization)
      await Promise.resolve(
        this.context.treeView.reveal(organization, { expand: true, select: false, focus: false }),
      ).catch(() => undefined);
    return outcome;
  }

  private async setFilter(filter: SessionFilter): Promise<void> {
    // "Created by me" needs to know who "me" is before the list can ask for it.
    if (filter.createdByMe) await this.context.account.getIdentity();
    this.filter = isEmptyFilter(filter) ? {} : filter;
    this.apply();
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  private apply(): void {
    const showArchived = showArchivedSetting();
    void vscode.commands.executeCommand('setContext', ContextKey.showingArchived, showArchived);
    void vscode.commands.executeCommand('setContext', ContextKey.sessionsFiltered, !isEmptyFilter(this.filter));
    const filter = this.filter;
    this.context.store.setListFilter(listFilterFor(filter, this.context.account.cachedIdentity(), showArchived), (s) =>
      matchesStatusFilter(s, filter),
    );
    this.describe();
  }

  private describe(): void {
    const identity = this.context.account.cachedIdentity();
    const parts = [describeFilter(this.filter), identity ? describeIdentity(identity) : undefined];
    this.context.treeView.description = parts.filter(Boolean).join(' — ') || undefined;
  }

  private async pickFilter(): Promise<SessionFilter | undefined> {
    type Item = vscode.QuickPickItem & { readonly apply?: (filter: Mutable<SessionFilter>) => void };
    const current = this.filter;
    const sessions = this.context.store.knownSessions();
    const tags = new Set([...sessions.flatMap((session) => session.tags), ...(current.tags ?? [])]);
    const repos = new Set([
      ...sessions.flatMap((session) => session.pullRequests.map((pr) => shortPullRequestName(pr.url).split('#')[0])),
      ...(current.repoNames ?? []),
    ]);
    const separator = (label: string): Item => ({ label, kind: vscode.QuickPickItemKind.Separator });
    const items: Item[] = [
      ...(current.schedule
        ? [
            separator(vscode.l10n.t('Schedule')),
            {
              label: vscode.l10n.t('Runs of "{0}"', current.schedule.name),
              description: vscode.l10n.t('sessions this schedule started'),
              picked: true,
              apply: (f: Mutable<SessionFilter>) => void (f.schedule = current.schedule),
            },
          ]
        : []),
      separator(vscode.l10n.t('Status')),
      ...statusChoices().map((choice): Item => ({
        label: choice.label,
        picked: current.statuses?.includes(choice.value),
        apply: (f) => void (f.statuses = [...(f.statuses ?? []), choice.value]),
      })),
      separator(vscode.l10n.t({ message: 'Who', args: [], comment: ['Heading: filter by who started the session'] })),
      {
        label: vscode.l10n.t('Created by me'),
        description: vscode.l10n.t('sessions started with this token'),
        picked: current.createdByMe,
        apply: (f) => void (f.createdByMe = true),
      },
      separator(vscode.l10n.t('Origin')),
      ...ORIGIN_CHOICES.map((origin): Item => ({
        label: origin,
        description: vscode.l10n.t('origin'),
        picked: current.origins?.includes(origin),
        apply: (f) => void (f.origins = [...(f.origins ?? []), origin]),
      })),
      separator(vscode.l10n.t('Tags')),
      ...[...tags].sort().map((tag): Item => ({
        label: tag,
        description: vscode.l10n.t('tag'),
        picked: current.tags?.includes(tag),
        apply: (f) => void (f.tags = [...(f.tags ?? []), tag]),
      })),
      separator(vscode.l10n.t('Repository')),
      ...[...repos]
        .filter((repo): repo is string => Boolean(repo?.includes('/')))
        .sort()
        .map((repo): Item => ({
          label: repo,
          description: vscode.l10n.t('repository'),
          picked: current.repoNames?.includes(repo),
          apply: (f) => void (f.repoNames = [...(f.repoNames ?? []), repo]),
        })),
    ];
    const picker = vscode.window.createQuickPick<Item>();
    picker.title = vscode.l10n.t('Devin: Filter Sessions');
    picker.placeholder = vscode.l10n.t({
      message: 'Choose what to show; type tag:NAME or repo:OWNER/NAME and press Enter to filter by others',
      args: [],
      comment: ['"tag:" and "repo:" are typed as they are; NAME, OWNER and NAME may be translated'],
    });
    picker.canSelectMany = true;
    picker.matchOnDescription = true;
    picker.ignoreFocusOut = true;
    picker.items = items;
    picker.selectedItems = items.filter((item) => item.picked);
    try {
      return await new Promise<SessionFilter | undefined>((resolve) => {
        picker.onDidAccept(() => {
          const filter: Mutable<SessionFilter> = {};
          for (const item of picker.selectedItems) item.apply?.(filter);
          for (const typed of picker.value.split(',').map((part) => part.trim())) {
            const tag = /^tag:(.+)$/i.exec(typed)?.[1]?.trim();
            const repo = /^repo:([^/\s]+\/[^/\s]+)$/i.exec(typed)?.[1];
            if (tag) filter.tags = [...new Set([...(filter.tags ?? []), tag])];
            if (repo) filter.repoNames = [...new Set([...(filter.repoNames ?? []), repo])];
          }
          resolve(filter);
          picker.hide();
        });
        picker.onDidHide(() => resolve(undefined));
        picker.show();
      });
    } finally {
      picker.dispose();
    }
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] | undefined ? U[] | undefined : T[K] };
