import * as vscode from 'vscode';
import { createSchedule as createScheduleAction, type CreateScheduleRequest } from '../actions/createSchedule';
import {
  deleteSchedule,
  isCronExpression,
  listSchedules,
  setScheduleEnabled,
  type Schedule,
  type ScheduleTiming,
} from '../api/schedules';
import { isDevinApiError } from '../api/errors';
import type { Organization } from '../core/models';
import { Command } from '../commandIds';
import { buildSelectionPrompt } from '../core/selectionPrompt';
import { optionsFrom, pickOrganization, type CommandContext } from '../ui/commandContext';
import { cancelled, type CommandOutcome, confirmDestructive, reportError, reportWithRetry } from '../ui/feedback';
import { findGitLocation } from '../ui/gitLocation';
import { refuseWithoutPermission } from '../ui/permissionGate';
import { vscodeUi } from '../ui/vscodeUi';

/** Scheduled sessions: create (the prompt from the selection, like a session), enable or disable, delete. */

interface CreateScheduleArgs {
  readonly orgId?: string;
  readonly name?: string;
  readonly prompt?: string;
  /** A cron expression (UTC) for a recurring schedule. */
  readonly cron?: string;
  /** An ISO-8601 date and time for a one-time schedule. */
  readonly at?: string;
  readonly playbookId?: string;
  /** Set by Retry after an answer was lost: the schedule may exist, so it is looked for first. */
  readonly uncertainSince?: number;
}

interface ScheduleTarget {
  readonly orgId?: string;
  readonly scheduleId?: string;
  /** The schedule as its tree row shows it: acted on without listing the schedules again. */
  readonly schedule?: Schedule;
  readonly enabled?: boolean;
  readonly confirmed?: boolean;
}

export function registerScheduleCommands(context: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.createSchedule, (arg?: unknown) =>
      create(context, optionsFrom<CreateScheduleArgs>(arg)),
    ),
    vscode.commands.registerCommand(Command.toggleSchedule, (arg?: unknown) =>
      toggle(context, optionsFrom<ScheduleTarget>(arg)),
    ),
    // The row menu names the change it makes; the palette's toggle asks which schedule.
    vscode.commands.registerCommand(Command.enableSchedule, (arg?: unknown) =>
      toggle(context, { ...optionsFrom<ScheduleTarget>(arg), enabled: true }),
    ),
    vscode.commands.registerCommand(Command.disableSchedule, (arg?: unknown) =>
      toggle(context, { ...optionsFrom<ScheduleTarget>(arg), enabled: false }),
    ),
    vscode.commands.registerCommand(Command.deleteSchedule, (arg?: unknown) =>
      remove(context, optionsFrom<ScheduleTarget>(arg)),
    ),
  ];
}

type CreatedOutcome = CommandOutcome<{ scheduleId?: string; found?: boolean }>;

async function create(context: CommandContext, args: CreateScheduleArgs = {}): Promise<CreatedOutcome> {
  const refused = await refuseWithoutPermission(context, 'manageSchedules');
  if (refused) return refused;
  const title = vscode.l10n.t('Devin: New Scheduled Session');
  try {
    const organization = await pickOrganization(context, title, args.orgId);
    if (!organization) return cancelled;
    const name =
      args.name ??
      (await vscode.window.showInputBox({
        title,
        prompt: vscode.l10n.t('Name of the schedule, e.g. Nightly dependency check'),
        ignoreFocusOut: true,
        validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('A name is required.')),
      }));
    if (!name?.trim()) return cancelled;
    const prompt = args.prompt ?? (await askPrompt(title));
    if (!prompt?.trim()) return cancelled;
    const timing = timingFrom(args) ?? (await askTiming(title));
    if (!timing) return cancelled;
    const request = { name: name.trim(), prompt, timing, playbookId: args.playbookId };
    return await createOnce(context, organization, request, args.uncertainSince);
  } catch (error) {
    return { ok: false, error: reportError(context.log, vscode.l10n.t('Could not create the schedule'), error) };
  }
}

/** Shows what came of the create; a failure keeps what was typed in its notification's Retry. */
async function createOnce(
  context: CommandContext,
  organization: Organization,
  request: CreateScheduleRequest,
  uncertainSince: number | undefined,
): Promise<CreatedOutcome> {
  const outcome = await createScheduleAction(
    { client: context.account.getClient(), ui: vscodeUi(context.drafts) },
    { orgId: organization.id, name: organization.name },
    request,
    { uncertainSince },
  );
  switch (outcome.kind) {
    case 'found':
      context.tree.reloadResource(organization.id, 'schedules');
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Devin: schedule "{0}" is already in {1}: the earlier attempt created it.',
          outcome.value.name,
          organization.name,
        ),
      );
      return { ok: true, scheduleId: outcome.value.id, found: true };
    case 'created':
      context.tree.reloadResource(organization.id, 'schedules');
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Devin: schedule "{0}" created in {1}.', outcome.value.name, organization.name),
      );
      return { ok: true, scheduleId: outcome.value.id };
    case 'createdButUnreadable':
      context.tree.reloadResource(organization.id, 'schedules');
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Devin: schedule "{0}" created in {1} (Devin\'s answer could not be read).',
          request.name,
          organization.name,
        ),
      );
      return { ok: true, scheduleId: outcome.value?.id };
    case 'cancelled':
      return cancelled;
    case 'failed': {
      // Retry sends what was typed again rather than asking for it anew, and first looks for what may exist.
      const retry: CreateScheduleArgs = {
        orgId: organization.id,
        name: request.name,
        prompt: request.prompt,
        ...(request.timing.kind === 'recurring'
          ? { cron: request.timing.cron }
          : { at: new Date(request.timing.at * 1000).toISOString() }),
        playbookId: request.playbookId,
        uncertainSince: outcome.uncertainSince,
      };
      const prefix = outcome.outcomeUnknown
        ? vscode.l10n.t(
            'Schedule "{0}" may have been created (Retry looks for it before creating another)',
            request.name,
          )
        : vscode.l10n.t('Could not create the schedule');
      return reportWithRetry(context.log, prefix, outcome.error, outcome.outcomeUnknown, Command.createSchedule, retry);
    }
  }
}

async function toggle(
  context: CommandContext,
  args: ScheduleTarget = {},
): Promise<CommandOutcome<{ enabled: boolean }>> {
  const refused = await refuseWithoutPermission(context, 'manageSchedules');
  if (refused) return refused;
  try {
    const schedule = await pickSchedule(context, vscode.l10n.t('Devin: Enable or Disable a Schedule'), args);
    if (!schedule) return cancelled;
    const enabled = args.enabled ?? !schedule.enabled;
    const updated = await setScheduleEnabled(context.account.getClient(), schedule.orgId, schedule.id, enabled);
    context.tree.reloadResource(schedule.orgId, 'schedules');
    void vscode.window.showInformationMessage(
      updated.enabled
        ? vscode.l10n.t('Devin: schedule "{0}" enabled.', updated.name)
        : vscode.l10n.t('Devin: schedule "{0}" disabled.', updated.name),
    );
    return { ok: true, enabled: updated.enabled };
  } catch (error) {
    reloadIfGone(context, args, error);
    return { ok: false, error: reportError(context.log, vscode.l10n.t('Could not change the schedule'), error) };
  }
}

async function remove(context: CommandContext, args: ScheduleTarget = {}): Promise<CommandOutcome> {
  const refused = await refuseWithoutPermission(context, 'manageSchedules');
  if (refused) return refused;
  try {
    const schedule = await pickSchedule(context, vscode.l10n.t('Devin: Delete a Schedule'), args);
    if (!schedule) return cancelled;
    if (!args.confirmed) {
      const confirmed = await confirmDestructive(
        vscode.l10n.t(
          'Delete the schedule "{0}"? Devin will no longer start its sessions; sessions it started stay.',
          schedule.name,
        ),
        vscode.l10n.t('Delete Schedule'),
      );
      if (!confirmed) return cancelled;
    }
    await deleteSchedule(context.account.getClient(), schedule.orgId, schedule.id);
    context.tree.reloadResource(schedule.orgId, 'schedules');
    void vscode.window.showInformationMessage(vscode.l10n.t('Devin: schedule "{0}" deleted.', schedule.name));
    return { ok: true };
  } catch (error) {
    reloadIfGone(context, args, error);
    return { ok: false, error: reportError(context.log, vscode.l10n.t('Could not delete the schedule'), error) };
  }
}

/** A schedule deleted elsewhere still has a row here until its organization's schedules are read again. */
function reloadIfGone(context: CommandContext, args: ScheduleTarget, error: unknown): void {
  if (args.orgId && isDevinApiError(error) && error.kind === 'notFound')
    context.tree.reloadResource(args.orgId, 'schedules');
}

async function pickSchedule(
  context: CommandContext,
  title: string,
  args: ScheduleTarget,
): Promise<Schedule | undefined> {
  if (args.schedule) return args.schedule;
  const organization = await pickOrganization(context, title, args.orgId);
  if (!organization) return undefined;
  const schedules = await listSchedules(context.account.getClient(), organization.id);
  if (args.scheduleId) {
    const found = schedules.find((schedule) => schedule.id === args.scheduleId);
    if (!found)
      throw new Error(
        vscode.l10n.t('No schedule {0} in {1}; it may have been deleted.', args.scheduleId, organization.name),
      );
    return found;
  }
  if (schedules.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Devin: {0} has no schedules.', organization.name));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    schedules.map((schedule) => ({
      label: `${schedule.enabled ? '$(clock)' : '$(circle-slash)'} ${schedule.name}`,
      description: describeTiming(schedule),
      detail: schedule.lastError ? vscode.l10n.t('Last error: {0}', schedule.lastError) : undefined,
      schedule,
    })),
    { title, placeHolder: vscode.l10n.t('Choose the schedule'), matchOnDescription: true },
  );
  return picked?.schedule;
}

function describeTiming(schedule: Schedule): string {
  const timing =
    schedule.kind === 'recurring'
      ? vscode.l10n.t('cron {0} (UTC)', schedule.frequency ?? '?')
      : vscode.l10n.t(
          'once, {0} UTC',
          schedule.scheduledAt
            ? new Date(schedule.scheduledAt * 1000).toISOString().slice(0, 16).replace('T', ' ')
            : '?',
        );
  return schedule.enabled ? timing : vscode.l10n.t('disabled · {0}', timing);
}

function timingFrom(args: CreateScheduleArgs): ScheduleTiming | undefined {
  if (args.cron !== undefined) {
    if (!isCronExpression(args.cron))
      throw new Error(vscode.l10n.t('"{0}" is not a five-field cron expression.', args.cron));
    return { kind: 'recurring', cron: args.cron.trim() };
  }
  if (args.at !== undefined) return { kind: 'oneTime', at: parseFutureTime(args.at) };
  return undefined;
}

function parseFutureTime(text: string): number {
  const when = Date.parse(text);
  if (Number.isNaN(when))
    throw new Error(vscode.l10n.t('"{0}" is not a date and time (use e.g. 2026-12-01T09:00Z).', text));
  if (when <= Date.now()) throw new Error(vscode.l10n.t('A one-time schedule must be in the future.'));
  return Math.floor(when / 1000);
}

/** The instruction, with the selected code appended as for a session from the selection. */
async function askPrompt(title: string): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  const hasSelection = editor !== undefined && !editor.selection.isEmpty;
  const instruction = await vscode.window.showInputBox({
    title,
    prompt: hasSelection
      ? vscode.l10n.t('What should Devin do each time? The selected code is added below your instruction.')
      : vscode.l10n.t('What should Devin do each time?'),
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Tell Devin what to do.')),
  });
  if (!instruction?.trim() || !editor || !hasSelection) return instruction;
  const { document, selection } = editor;
  return buildSelectionPrompt(instruction, {
    relativePath: vscode.workspace.asRelativePath(document.uri, false).replace(/\\/g, '/'),
    startLine: selection.start.line + 1,
    endLine: selection.end.line + 1,
    languageId: document.languageId,
    code: document.getText(selection),
    git: findGitLocation(document.uri),
  });
}

async function askTiming(title: string): Promise<ScheduleTiming | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      {
        label: vscode.l10n.t('Recurring'),
        description: vscode.l10n.t('a cron expression, in UTC'),
        timing: 'recurring' as const,
      },
      { label: vscode.l10n.t('Once'), description: vscode.l10n.t('a date and time'), timing: 'oneTime' as const },
    ],
    { title, placeHolder: vscode.l10n.t('When should it run?') },
  );
  if (!picked) return undefined;
  if (picked.timing === 'recurring') {
    const cron = await vscode.window.showInputBox({
      title,
      prompt: vscode.l10n.t('Cron expression in UTC (minute hour day month weekday), e.g. 0 6 * * 1-5'),
      ignoreFocusOut: true,
      validateInput: (value) =>
        isCronExpression(value) ? undefined : vscode.l10n.t('Five fields: minute hour day month weekday.'),
    });
    return cron ? { kind: 'recurring', cron: cron.trim() } : undefined;
  }
  const at = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Date and time, with a time zone, e.g. 2026-12-01T09:00Z'),
    ignoreFocusOut: true,
    validateInput: (value) => {
      try {
        parseFutureTime(value);
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    },
  });
  return at ? { kind: 'oneTime', at: parseFutureTime(at) } : undefined;
}
