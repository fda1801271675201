import * as vscode from 'vscode';
import {
  archiveSession as archive,
  hasEnded,
  normalizeTags,
  replaceSessionTags,
  stopSession,
  type LifecycleOutcome,
  type SessionLifecycleDeps,
} from '../actions/sessionLifecycle';
import { isSessionRef, type Session, type SessionRef } from '../core/models';
import { Command } from '../commandIds';
import type { CommandContext } from '../ui/commandContext';
import { registerAttachmentCommands } from './attachmentCommands';
import { registerCheckoutCommands } from './checkoutCommands';
import { cancelled, reportError, type CommandOutcome } from '../ui/feedback';
import { registerSessionFilterCommands } from './sessionFilterCommands';
import { registerSessionLinkCommands } from './sessionLinkCommands';
import { vscodeUi } from '../ui/vscodeUi';
import { applySessionUpdate, forgetVanishedSession, resolveSession, type ResolvedSession } from './sessionTargets';

/**
 * Acting on a session from its row, the session panel or the palette: archive, stop, tags. Each answer
 * from the API is shown at once; a failure says what happened and changes nothing else.
 */

export interface TerminateArgs extends SessionRef {
  /** Skips the confirmation (automation, tests): true stops, 'archive' stops and archives. */
  readonly confirmed?: true | 'archive';
}

export interface ArchiveArgs extends SessionRef {
  readonly confirmed?: true;
}

export interface EditTagsArgs extends SessionRef {
  /** Replaces the tags without asking. */
  readonly tags?: readonly string[];
}

type SessionOutcome = CommandOutcome<{ session: Session | undefined }>;

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
  const confirmed = isSessionRef(target) && (target as ArchiveArgs).confirmed === true;
  const stillRunning = !hasEnded(session.known);
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
  const outcome = await archive(deps(context), session);
  return show(context, session, outcome, vscode.l10n.t('Could not archive "{0}"', session.label), () =>
    vscode.window.setStatusBarMessage(`$(archive) ${vscode.l10n.t('Archived "{0}".', session.label)}`, 5000),
  );
}

async function terminateSession(context: CommandContext, target: unknown): Promise<SessionOutcome> {
  const session = await resolveSession(context, target, vscode.l10n.t('Devin: Stop Session'), { includeEnded: false });
  if (!session) return cancelled;
  if (hasEnded(session.known)) {
    const message = vscode.l10n.t(
      '"{0}" has already ended. Use "Archive Session" to remove it from the list.',
      session.label,
    );
    void vscode.window.showInformationMessage(message);
    return { ok: false, error: message };
  }
  let archive: boolean;
  const given = isSessionRef(target) ? (target as TerminateArgs).confirmed : undefined;
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
  const outcome = await stopSession(deps(context), session, { archive });
  return show(context, session, outcome, vscode.l10n.t('Could not stop "{0}"', session.label), () =>
    vscode.window.setStatusBarMessage(
      `$(debug-stop) ${
        archive
          ? vscode.l10n.t('Stopped "{0}" and archived it.', session.label)
          : vscode.l10n.t('Stopped "{0}".', session.label)
      }`,
      5000,
    ),
  );
}

async function editSessionTags(context: CommandContext, target: unknown): Promise<SessionOutcome> {
  const session = await resolveSession(context, target, vscode.l10n.t('Devin: Edit Tags'));
  if (!session) return cancelled;
  const given = isSessionRef(target) ? (target as EditTagsArgs).tags : undefined;
  const current = session.known?.tags ?? [];
  const chosen = given ?? (await pickTags(context, session, current));
  if (!chosen) return cancelled;
  const outcome = await replaceSessionTags(deps(context), session, chosen, session.known);
  if (outcome.kind === 'tooMany') {
    void vscode.window.showWarningMessage(outcome.message);
    return { ok: false, error: outcome.message };
  }
  return show(context, session, outcome, vscode.l10n.t('Could not save the tags of "{0}"', session.label), () =>
    vscode.window.setStatusBarMessage(`$(tag) ${vscode.l10n.t('Saved the tags of "{0}".', session.label)}`, 5000),
  );
}

function deps(context: CommandContext): SessionLifecycleDeps {
  return { client: context.account.getClient(), ui: vscodeUi(context.drafts) };
}

/** The current tags preselected, tags seen on other sessions of the organization, and typed new ones. */
async function pickTags(
  context: CommandContext,
  session: ResolvedSession,
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

/** Shows the action's answer in the view, or turns its failure into one clear message. */
function show(
  context: CommandContext,
  session: ResolvedSession,
  outcome: LifecycleOutcome,
  failurePrefix: string,
  announce: () => unknown,
): SessionOutcome {
  switch (outcome.kind) {
    case 'done':
      void announce();
      applySessionUpdate(context, outcome.session);
      return { ok: true, session: outcome.session };
    case 'vanished': {
      forgetVanishedSession(context, session);
      const message = vscode.l10n.t(
        '{0}: Devin no longer has this session (it may have been deleted, or your token cannot see it). The list has been refreshed.',
        failurePrefix,
      );
      context.log.warn(message);
      void vscode.window.showWarningMessage(message);
      return { ok: false, error: message };
    }
    case 'failed':
      return { ok: false, error: reportError(context.log, failurePrefix, outcome.error) };
  }
}
