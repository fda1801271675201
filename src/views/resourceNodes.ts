import * as vscode from 'vscode';
import { Command } from '../commandIds';
import { folderParts } from '../core/knowledgeFolders';
import type { KnowledgeNote, Organization, Schedule } from '../core/models';
import { scheduleDescription, scheduleLook, scheduleTooltipMarkdown } from '../core/schedulePresentation';
import { escapeMarkdown } from '../core/sessionPresentation';
import { KnowledgeFileSystem } from './knowledgeFileSystem';

/**
 * Rows for what an organization holds beside its sessions: its scheduled sessions and its Knowledge
 * notes, each under a group row that loads them when expanded. `contextValue`s: `schedules`,
 * `schedule.enabled` / `schedule.paused`, `knowledge`, `knowledgeFolder`, `knowledgeNote`,
 * `resourceError`, `resourceEmpty`.
 */

export type ResourceKind = 'schedules' | 'knowledge';

export class SchedulesNode {
  readonly kind = 'schedules';
  constructor(readonly organization: Organization) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Schedules'), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `schedules:${this.organization.id}`;
    item.contextValue = 'schedules';
    item.iconPath = new vscode.ThemeIcon('calendar');
    item.tooltip = vscode.l10n.t('Scheduled sessions of {0}', this.organization.name);
    return item;
  }
}

export class ScheduleNode {
  readonly kind = 'schedule';
  constructor(
    readonly organization: Organization,
    readonly schedule: Schedule,
    private readonly nowSeconds: number,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const schedule = this.schedule;
    const item = new vscode.TreeItem(schedule.name, vscode.TreeItemCollapsibleState.None);
    item.id = `schedule:${this.organization.id}:${schedule.id}`;
    item.description = scheduleDescription(schedule, this.nowSeconds);
    const look = scheduleLook(schedule);
    item.iconPath = new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
    const tooltip = new vscode.MarkdownString(scheduleTooltipMarkdown(schedule, this.nowSeconds));
    tooltip.isTrusted = false;
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: `${schedule.name}, ${item.description}` };
    item.contextValue = schedule.enabled ? 'schedule.enabled' : 'schedule.paused';
    return item;
  }
}

export class KnowledgeNode {
  readonly kind = 'knowledge';
  constructor(readonly organization: Organization) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Knowledge'), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `knowledge:${this.organization.id}`;
    item.contextValue = 'knowledge';
    item.iconPath = new vscode.ThemeIcon('book');
    item.tooltip = vscode.l10n.t(
      'Knowledge notes of {0}: Devin recalls a note when its trigger matches',
      this.organization.name,
    );
    return item;
  }
}

/** A Knowledge folder, named by the notes in it (`folder_path`); its rows come from the loaded notes. */
export class KnowledgeFolderNode {
  readonly kind = 'knowledgeFolder';
  constructor(
    readonly organization: Organization,
    /** The full path, "Engineering/Testing". */
    readonly path: string,
  ) {}

  get name(): string {
    return folderParts(this.path).at(-1) ?? this.path;
  }

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `knowledge-folder:${this.organization.id}:${this.path}`;
    item.contextValue = 'knowledgeFolder';
    item.iconPath = vscode.ThemeIcon.Folder;
    item.tooltip = this.path;
    return item;
  }
}

export class KnowledgeNoteNode {
  readonly kind = 'knowledgeNote';
  constructor(
    readonly organization: Organization,
    readonly note: KnowledgeNote,
  ) {}

  get uri(): vscode.Uri {
    return KnowledgeFileSystem.uri(this.organization.id, this.note);
  }

  toTreeItem(): vscode.TreeItem {
    const note = this.note;
    const item = new vscode.TreeItem(note.name, vscode.TreeItemCollapsibleState.None);
    item.id = `knowledge-note:${this.organization.id}:${note.id}`;
    item.description = note.isEnabled ? note.trigger : vscode.l10n.t('disabled · {0}', note.trigger);
    // The file icon of the theme for a Markdown file, as the note opens as one.
    item.resourceUri = this.uri;
    item.iconPath = vscode.ThemeIcon.File;
    const lines = [
      `**${escapeMarkdown(note.name)}**`,
      '',
      vscode.l10n.t('Recalled: {0}', escapeMarkdown(note.trigger)),
      ...(note.folderPath ? [vscode.l10n.t('Folder: {0}', escapeMarkdown(note.folderPath))] : []),
      ...(note.isEnabled ? [] : [vscode.l10n.t('Disabled: Devin does not recall it')]),
      '',
      vscode.l10n.t('Click to edit; saving sends it to Devin.'),
    ];
    const tooltip = new vscode.MarkdownString(lines.map((line) => (line ? `${line}  ` : line)).join('\n'));
    tooltip.isTrusted = false;
    item.tooltip = tooltip;
    item.contextValue = 'knowledgeNote';
    item.command = { command: Command.editKnowledge, title: vscode.l10n.t('Edit Knowledge'), arguments: [this] };
    return item;
  }
}

/** In place of a group's rows: why they could not be loaded (click to retry), or that there are none yet. */
export class ResourceStatusNode {
  readonly kind = 'resourceStatus';
  constructor(
    readonly organization: Organization,
    readonly resource: ResourceKind,
    readonly state: { readonly failed: string } | 'empty',
  ) {}

  toTreeItem(): vscode.TreeItem {
    const schedules = this.resource === 'schedules';
    if (this.state === 'empty') {
      const item = new vscode.TreeItem(
        schedules ? vscode.l10n.t('No schedules yet') : vscode.l10n.t('No Knowledge notes yet'),
        vscode.TreeItemCollapsibleState.None,
      );
      item.id = `${this.resource}-empty:${this.organization.id}`;
      item.description = vscode.l10n.t('click to add one');
      item.iconPath = new vscode.ThemeIcon('info');
      item.contextValue = 'resourceEmpty';
      item.command = {
        command: schedules ? Command.createSchedule : Command.addKnowledge,
        title: schedules ? vscode.l10n.t('New Scheduled Session') : vscode.l10n.t('Add Knowledge'),
        arguments: [{ orgId: this.organization.id }],
      };
      return item;
    }
    const item = new vscode.TreeItem(
      schedules
        ? vscode.l10n.t('Could not load schedules. Click to retry.')
        : vscode.l10n.t('Could not load Knowledge. Click to retry.'),
      vscode.TreeItemCollapsibleState.None,
    );
    item.id = `${this.resource}-error:${this.organization.id}`;
    item.description = this.state.failed;
    item.tooltip = this.state.failed;
    item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    item.contextValue = 'resourceError';
    item.command = { command: Command.refresh, title: vscode.l10n.t('Retry'), arguments: [this] };
    return item;
  }
}

export type ResourceNode =
  SchedulesNode | ScheduleNode | KnowledgeNode | KnowledgeFolderNode | KnowledgeNoteNode | ResourceStatusNode;

/** The schedule a schedule row stands for, with its organization. */
export function scheduleOfRow(row: unknown): { readonly orgId: string; readonly schedule: Schedule } | undefined {
  return row instanceof ScheduleNode ? { orgId: row.organization.id, schedule: row.schedule } : undefined;
}

/** The note a Knowledge note row stands for, with its organization and its file's address. */
export function noteOfRow(
  row: unknown,
): { readonly orgId: string; readonly note: KnowledgeNote; readonly uri: vscode.Uri } | undefined {
  return row instanceof KnowledgeNoteNode ? { orgId: row.organization.id, note: row.note, uri: row.uri } : undefined;
}

/** The group a Schedules or Knowledge row (or its loading or error row) stands for, which Refresh reloads. */
export function resourceOfRow(row: unknown): { readonly orgId: string; readonly resource: ResourceKind } | undefined {
  if (row instanceof SchedulesNode) return { orgId: row.organization.id, resource: 'schedules' };
  if (row instanceof KnowledgeNode) return { orgId: row.organization.id, resource: 'knowledge' };
  if (row instanceof ResourceStatusNode) return { orgId: row.organization.id, resource: row.resource };
  return undefined;
}

/** The organization any row under it belongs to (the organization's own row included). */
export function organizationIdOfRow(row: unknown): string | undefined {
  const withOrganization =
    row instanceof SchedulesNode ||
    row instanceof ScheduleNode ||
    row instanceof KnowledgeNode ||
    row instanceof KnowledgeFolderNode ||
    row instanceof KnowledgeNoteNode ||
    row instanceof ResourceStatusNode;
  return withOrganization ? row.organization.id : undefined;
}
