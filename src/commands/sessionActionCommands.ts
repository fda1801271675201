import * as vscode from 'vscode';
import { isDevinApiError } from '../api/errors';
import type { Session } from '../core/models';
import { statusLook } from '../core/sessionPresentation';
import { Command } from '../commandIds';
import type { CommandContext } from './commandContext';
import { registerAttachmentCommands } from './attachmentCommands';
import { registerCheckoutCommands } from './checkoutCommands';
import { cancelled, reportError, type CommandOutcome } from './feedback';
import { registerSessionFilterCommands } from './sessionFilterCommands';
import { registerSessionLinkCommands } from './sessionLinkCommands';
import {
  applySessionUpdate,
  forgetVanishedSession,
  isSessionArgs,
  resolveSession,
  type SessionArgs,
  type TargetSession,
} from './sessionTargets';

/**
 * Acting on a session from its row, the session panel or the palette: archive, stop, tags. Each answer
 * from the API is shown at once; a failure says what happened and changes nothing else.
 */

export interface TerminateArgs extends SessionArgs {
  /** Skips the confirmation (automation, tests): true stops, 'archive' stops and archives. */
  readonly confirmed?: true | 'archive';
}

export interface ArchiveArgs extends SessionArgs {
  readonly confirmed?: true;
}

export interface EditTagsArgs extends SessionArgs {
  /** Replaces the tags without asking. */
  readonly tags?: readonly string[];
}

type SessionOutcome = CommandOutcome<{ session: Session | undefined }>;

const MAX_TAGS = 50;

/** Every command of the session actions feature: lifecycle, tags, filters, links, checkout and attachments. */
export function registerSessionActionCommands(context: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.archiveSession, (target?: unknown) => archiveSession(context, target)),
    vscode.commands.registerCommand(Command.terminateSession, (target?: unknown) => terminateSession(context, target)),
    vscode.commands.registerCommand(Command.editSessionTags, (target?: unknown) => editSessionTags(context, target)),
    ...registerSessionFilterCommands(context),
    ...registerSessionLinkCommands(context),
    ...registerCheckoutCommands(context),
    ...registerAttachmentCommands(context),
  ];
}

async function archiveSession(context: CommandContext, target: unknown): Promise<SessionOutcome> {
  const session = await resolveSession(context, target, vscode.l10n.t('Devin: Archive Session'));
  if (!session) return cancelled;
  const confirmed = isSessionArgs(target) && (target as ArchiveArgs).confirmed === true;
  const stillRunning = session.known ? !statusLook(session.known.status, session.known.statusDetail).isTerminal : true;
  if (!confirmed && stillRunning) {
    const archiveButton = vscode.l10n.t({ message: 'Archive', args: [], comment: ['Button: archives the session'] });
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Archive "{0}"?', session.label),
      {
        modal: true,
        detail: vscode.l10n.t(
          'Devin stops working on it and it leaves the list (Show Archived Sessions brings it back). An archived session stays readable but can no longer be resumed or receive messages.',
        ),
      },
      archiveButton,
    );
    if (choice !== archiveButton) return cancelled;
  }
  return act(context, session, vscode.l10n.t('Could not archive "{0}"', session.label), async () => {
    const updated = await context.account.getClient().archiveSession(session.orgId, session.id);
    void vscode.window.setStatusBarMessage(`$(archive) ${vscode.l10n.t('Archived "{0}".', session.label)}`, 5000);
    return updated;
  });
}

async function terminateSession(context: CommandContext, target: unknown): Promise<SessionOutcome> {
  const session = await resolveSession(context, target, vscode.l10n.t('Devin: Stop Session'), { includeEnded: false });
  if (!session) return cancelled;
  if (session.known && statusLook(session.known.status, session.known.statusDetail).isTerminal) {
    const message = vscode.l10n.t(
      '"{0}" has already ended. Use "Archive Session" to remove it from the list.',
      session.label,
    );
    void vscode.window.showInformationMessage(message);
    return { ok: false, error: message };
  }
  let archive: boolean;
  const given = isSessionArgs(target) ? (target as TerminateArgs).confirmed : undefined;
  if (given) archive = given === 'archive';
  else {
    const stop = vscode.l10n.t('Stop Session');
    const stopAndArchive = vscode.l10n.t('Stop and Archive');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Stop "{0}"?', session.label),
      {
        modal: true,
        detail: vscode.l10n.t(
          'Devin stops working on this session for good: a stopped session cannot be resumed. "{0}" also removes it from the list; an archived session can no longer be resumed either.',
          stopAndArchive,
        ),
      },
      stop,
      stopAndArchive,
    );
    if (choice !== stop && choice !== stopAndArchive) return cancelled;
    archive = choice === stopAndArchive;
  }
  return act(context, session, vscode.l10n.t('Could not stop "{0}"', session.label), async () => {
    const client = context.account.getClient();
    // Older API shapes answer `{detail}`; read the session back so the row still shows the truth.
    const updated =
      (await client.terminateSession(session.orgId, session.id, { archive })) ??
      (await client.getSession(session.orgId, session.id));
    void vscode.window.setStatusBarMessage(
      `$(debug-stop) ${
        archive
          ? vscode.l10n.t('Stopped "{0}" and archived it.', session.label)
          : vscode.l10n.t('Stopped "{0}".', session.label)
      }`,
      5000,
    );
    return updated;
  });
}

async function editSessionTags(context: CommandContext, target: unknown): Promise<SessionOutcome> {
  const session = await resolveSession(context, target, vscode.l10n.t('Devin: Edit Tags'));
  if (!session) return cancelled;
  const given = isSessionArgs(target) ? (target as EditTagsArgs).tags : undefined;
  const current = session.known?.tags ?? [];
  const chosen = given ? normalizeTags(given) : await pickTags(context, session, current);
  if (!chosen) return cancelled;
  if (chosen.length > MAX_TAGS) {
    const message = vscode.l10n.t(
      'A session can have at most {0} tags; you chose {1}. Nothing was changed.',
      MAX_TAGS,
      chosen.length,
    );
    void vscode.window.showWarningMessage(message);
    return { ok: false, error: message };
  }
  return act(context, session, vscode.l10n.t('Could not save the tags of "{0}"', session.label), async () => {
    const client = context.account.getClient();
    const saved = await client.replaceSessionTags(session.orgId, session.id, chosen);
    // The tags answer carries only tags; the rest of the row comes from the session as last seen, or
    // from the API when this session was named by id alone.
    const base = session.known ?? (await client.getSession(session.orgId, session.id));
    void vscode.window.setStatusBarMessage(`$(tag) ${vscode.l10n.t('Saved the tags of "{0}".', session.label)}`, 5000);
    return { ...base, tags: saved ?? chosen };
  });
}

/** The current tags preselected, tags seen on other sessions of the organization, and typed new ones. */
async function pickTags(
  context: CommandContext,
  session: TargetSession,
  current: readonly string[],
): Promise<string[] | undefined> {
  const seen = new Set(current);
  for (const other of context.store.knownSessions())
    if (other.orgId === session.orgId) for (const tag of other.tags) seen.add(tag);
  const picker = vscode.window.createQuickPick<vscode.QuickPickItem>();
  picker.title = vscode.l10n.t('Tags of "{0}"', session.label);
  picker.placeholder = vscode.l10n.t('Select tags; type new ones (separated by commas) and press Enter to add them');
  picker.canSelectMany = true;
  picker.ignoreFocusOut = true;
  picker.items = [...seen].sort((a, b) => a.localeCompare(b)).map((tag) => ({ label: tag }));
  picker.selectedItems = picker.items.filter((item) => current.includes(item.label));
  try {
    return await new Promise<string[] | undefined>((resolve) => {
      picker.onDidAccept(() => {
        // Typed text hides the list; what was selected stays selected, and the typed tags join it.
        resolve(normalizeTags([...picker.selectedItems.map((item) => item.label), ...picker.value.split(',')]));
        picker.hide();
      });
      picker.onDidHide(() => resolve(undefined));
      picker.show();
    });
  } finally {
    picker.dispose();
  }
}

function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim()).filter((tag) => tag.length > 0))];
}

/** Runs the API call, shows its answer in the view, and turns a failure into one clear message. */
async function act(
  context: CommandContext,
  session: TargetSession,
  failurePrefix: string,
  call: () => Promise<Session>,
): Promise<SessionOutcome> {
  try {
    const updated = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Devin: {0}…', session.label) },
      call,
    );
    applySessionUpdate(context, updated);
    return { ok: true, session: updated };
  } catch (error) {
    if (isDevinApiError(error) && error.kind === 'notFound') {
      forgetVanishedSession(context, session);
      const message = vscode.l10n.t(
        '{0}: Devin no longer has this session (it may have been deleted, or your token cannot see it). The list has been refreshed.',
        failurePrefix,
      );
      context.log.warn(message);
      void vscode.window.showWarningMessage(message);
      return { ok: false, error: message };
    }
    return { ok: false, error: reportError(context.log, failurePrefix, error) };
  }
}
