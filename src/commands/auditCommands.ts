import * as vscode from 'vscode';
import { newAuditLogRead, readAuditLogBatch, type AuditLogRead } from '../actions/auditLogRead';
import { Command } from '../commandIds';
import { auditLogMarkdown, auditLogToCsv, auditLogToJson, suggestedAuditLogFileName } from '../core/auditLog';
import type { ReadonlyDocuments } from '../views/readonlyDocuments';
import type { CommandContext } from '../ui/commandContext';
import { cancelled, reportError, type CommandFailure, type CommandOutcome } from '../ui/feedback';
import { refuseWithoutPermission } from '../ui/permissionGate';
import { vscodeUi } from '../ui/vscodeUi';

/**
 * The audit log: a period, an optional action and organization, read a thousand events at a time into a
 * read-only document that "Load More" extends, and exported as CSV or JSON.
 */

/** Actions offered in the filter; any other can be typed (the API knows about 120). */
const COMMON_ACTIONS = [
  'login',
  'create_session',
  'send_message',
  'terminate_session',
  'create_org',
  'update_org',
  'delete_org',
  'create_knowledge',
  'edit_knowledge',
  'delete_knowledge',
  'create_secret',
  'delete_secret',
  'create_playbook',
  'create_service_user',
  'delete_service_user',
  'create_service_user_api_key',
  'revoke_service_user_api_key',
  'create_pat',
  'revoke_pat',
  'ai_guardrail_violation',
];

export interface ShowAuditLogArgs {
  readonly days?: number;
  /** `null` or absent: every action. */
  readonly action?: string | null;
  /** `null` or absent: every organization (or the token's own, for an organization-scoped token). */
  readonly orgId?: string | null;
  /** Events per batch; tests use a small one to reach "Load More" quickly. */
  readonly batchSize?: number;
}

interface LoadedAuditLog extends AuditLogRead {
  readonly path: string;
}

export function registerAuditCommands(context: CommandContext, documents: ReadonlyDocuments): vscode.Disposable[] {
  let loaded: LoadedAuditLog | undefined;
  const show = async (args: ShowAuditLogArgs = {}) => {
    const outcome = await showAuditLog(context, documents, args);
    if (outcome.ok) loaded = outcome.loaded;
    return outcome.ok
      ? { ok: true, count: outcome.loaded.items.length, more: outcome.loaded.cursor !== undefined }
      : outcome;
  };
  return [
    vscode.commands.registerCommand(Command.showAuditLog, show),
    vscode.commands.registerCommand(Command.loadMoreAuditLog, async () => {
      if (!loaded) return nothingLoaded();
      return loadMore(context, documents, loaded);
    }),
    vscode.commands.registerCommand(
      Command.exportAuditLog,
      async (args?: { format?: 'csv' | 'json'; uri?: vscode.Uri }) => {
        if (!loaded) return nothingLoaded();
        return exportAuditLog(context, loaded, args);
      },
    ),
  ];
}

async function showAuditLog(
  context: CommandContext,
  documents: ReadonlyDocuments,
  args: ShowAuditLogArgs,
): Promise<{ ok: true; loaded: LoadedAuditLog } | CommandFailure> {
  const refused = await refuseWithoutPermission(context, 'viewAuditLog');
  if (refused) return refused;
  const interactive = args.days === undefined;
  const days = args.days ?? (await pickPeriod());
  if (!days) return cancelled;
  let action = args.action ?? undefined;
  let orgId = args.orgId ?? undefined;
  try {
    // An organization-scoped token reads its organization's events through the organization's endpoint.
    const ownOrgId = context.account.settings().orgId ?? (await context.account.getIdentity()).orgId;
    if (interactive) {
      const pickedAction = await pickAction();
      if (pickedAction === undefined) return cancelled;
      action = pickedAction || undefined;
      if (!ownOrgId) {
        const pickedOrg = await pickOrganizationFilter(context);
        if (pickedOrg === undefined) return cancelled;
        orgId = pickedOrg || undefined;
      }
    }
    orgId ??= ownOrgId;
    const loaded: LoadedAuditLog = {
      ...newAuditLogRead(days, { action, orgId }, Date.now(), args.batchSize),
      path: `/${auditLogTitle(days, action)}.md`,
    };
    const added = await readAuditLogBatch(deps(context), loaded);
    if (added === undefined) return cancelled;
    await render(documents, loaded);
    offerNextSteps(loaded);
    return { ok: true, loaded };
  } catch (error) {
    return { ok: false, error: reportError(context.log, vscode.l10n.t('Could not read the audit log'), error) };
  }
}

async function loadMore(
  context: CommandContext,
  documents: ReadonlyDocuments,
  loaded: LoadedAuditLog,
): Promise<CommandOutcome<{ count: number; added: number; more: boolean }>> {
  if (loaded.cursor === undefined) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Devin: every event of this audit log is already shown.'));
    return { ok: true, count: loaded.items.length, added: 0, more: false };
  }
  try {
    const added = await readAuditLogBatch(deps(context), loaded);
    if (added === undefined) return cancelled;
    await render(documents, loaded);
    offerNextSteps(loaded);
    return { ok: true, count: loaded.items.length, added, more: loaded.cursor !== undefined };
  } catch (error) {
    return { ok: false, error: reportError(context.log, vscode.l10n.t('Could not read more of the audit log'), error) };
  }
}

function deps(context: CommandContext) {
  return { client: context.account.getClient(), ui: vscodeUi(context.drafts) };
}

async function render(documents: ReadonlyDocuments, loaded: LoadedAuditLog): Promise<void> {
  await documents.show(loaded.path, auditLogMarkdown(loaded.items, loaded.filters, loaded.cursor !== undefined));
}

function offerNextSteps(loaded: LoadedAuditLog): void {
  if (loaded.cursor === undefined) return;
  const more = vscode.l10n.t('Load More');
  const save = vscode.l10n.t('Export…');
  void vscode.window
    .showInformationMessage(
      vscode.l10n.t('Devin: {0} audit log events shown; more exist.', loaded.items.length),
      more,
      save,
    )
    .then((choice) => {
      if (choice === more) void vscode.commands.executeCommand(Command.loadMoreAuditLog);
      if (choice === save) void vscode.commands.executeCommand(Command.exportAuditLog);
    });
}

async function exportAuditLog(
  context: CommandContext,
  loaded: LoadedAuditLog,
  args: { format?: 'csv' | 'json'; uri?: vscode.Uri } = {},
): Promise<CommandOutcome<{ uri: string; count: number }>> {
  const format =
    args.format ??
    (
      await vscode.window.showQuickPick(
        [
          { label: 'CSV', description: vscode.l10n.t('for spreadsheets'), format: 'csv' as const },
          { label: 'JSON', description: vscode.l10n.t("the API's field names"), format: 'json' as const },
        ],
        { title: vscode.l10n.t('Export {0} audit log events', loaded.items.length) },
      )
    )?.format;
  if (!format) return cancelled;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = suggestedAuditLogFileName(loaded.filters, format);
  const target =
    args.uri ??
    (await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
      title: vscode.l10n.t('Export the Devin audit log'),
    }));
  if (!target) return cancelled;
  try {
    const text = format === 'csv' ? auditLogToCsv(loaded.items) : auditLogToJson(loaded.items, loaded.filters);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Devin: {0} audit log events saved to {1}.', loaded.items.length, target.fsPath),
    );
    return { ok: true, uri: target.toString(), count: loaded.items.length };
  } catch (error) {
    return { ok: false, error: reportError(context.log, vscode.l10n.t('Could not save the audit log'), error) };
  }
}

/** The audit log document's name, which also says which events it holds. */
function auditLogTitle(days: number, action: string | undefined): string {
  if (action)
    return days === 1
      ? vscode.l10n.t('Devin audit log (1 day, {0})', action)
      : vscode.l10n.t('Devin audit log ({0} days, {1})', days, action);
  return days === 1 ? vscode.l10n.t('Devin audit log (1 day)') : vscode.l10n.t('Devin audit log ({0} days)', days);
}

function nothingLoaded(): CommandFailure {
  const message = vscode.l10n.t('Open the audit log first (Devin: Show Audit Log…).');
  const show = vscode.l10n.t('Show Audit Log');
  void vscode.window
    .showInformationMessage(vscode.l10n.t('Devin: Open the audit log first (Devin: Show Audit Log…).'), show)
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand(Command.showAuditLog);
    });
  return { ok: false, error: message };
}

async function pickPeriod(): Promise<number | undefined> {
  return (
    await vscode.window.showQuickPick(
      [
        { label: vscode.l10n.t('Last 24 hours'), days: 1 },
        { label: vscode.l10n.t('Last {0} days', 7), days: 7 },
        { label: vscode.l10n.t('Last {0} days', 30), days: 30 },
        {
          label: vscode.l10n.t('Last {0} days', 100),
          description: vscode.l10n.t('the longest window the API allows'),
          days: 100,
        },
      ],
      { title: vscode.l10n.t('Devin: Show Audit Log'), placeHolder: vscode.l10n.t('Which period?') },
    )
  )?.days;
}

/** The action to filter on, '' for every action, undefined when cancelled. */
async function pickAction(): Promise<string | undefined> {
  const every = { label: vscode.l10n.t('Every action'), action: '' };
  const other = { label: `$(edit) ${vscode.l10n.t('Another action…')}`, action: undefined };
  const picked = await vscode.window.showQuickPick(
    [every, ...COMMON_ACTIONS.map((action) => ({ label: action, action })), other],
    { title: vscode.l10n.t('Devin: Show Audit Log'), placeHolder: vscode.l10n.t('Which action?') },
  );
  if (!picked) return undefined;
  if (picked.action !== undefined) return picked.action;
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Audit log action'),
    prompt: vscode.l10n.t('An action name as the API spells it, e.g. rotate_service_user_api_key'),
    validateInput: (value) =>
      /^[a-z0-9_]+$/.test(value.trim()) ? undefined : vscode.l10n.t('Lowercase letters, digits and _.'),
  });
  return typed?.trim() || undefined;
}

/** The organization to filter on, '' for every organization, undefined when cancelled. */
async function pickOrganizationFilter(context: CommandContext): Promise<string | undefined> {
  const organizations = await context.store.loadOrganizations().catch(() => []);
  if (organizations.length <= 1) return '';
  const picked = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('Every organization'), orgId: '' },
      ...organizations.map((organization) => ({
        label: organization.name,
        description: organization.id,
        orgId: organization.id,
      })),
    ],
    {
      title: vscode.l10n.t('Devin: Show Audit Log'),
      placeHolder: vscode.l10n.t('Which organization?'),
      matchOnDescription: true,
    },
  );
  return picked?.orgId;
}
