import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isSessionRef, type SessionAttachment, type SessionRef } from '../core/models';
import { isInside, safePathSegment } from '../core/safePathSegment';
import { Command } from '../commandIds';
import type { CommandContext } from '../ui/commandContext';
import { cancelled, reportError, type CommandOutcome } from '../ui/feedback';
import { resolveSession } from './sessionTargets';

/** "Show Attachments": a session's files, saved into the workspace (save dialog) or opened in the editor. */

export interface ShowAttachmentsArgs extends SessionRef {
  /** Chooses the attachment by name and what to do with it, without asking (automation, tests). */
  readonly name?: string;
  readonly action?: 'save' | 'open';
  /** With `save`: where to write, instead of the save dialog. */
  readonly saveTo?: string;
}

type AttachmentOutcome = CommandOutcome<{ attachments: number; savedTo?: string; opened?: string }>;

export function registerAttachmentCommands(context: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.showAttachments, (target?: unknown) => showAttachments(context, target)),
  ];
}

async function showAttachments(context: CommandContext, target: unknown): Promise<AttachmentOutcome> {
  const session = await resolveSession(context, target, vscode.l10n.t('Devin: Show Attachments'));
  if (!session) return cancelled;
  const args = isSessionRef(target) ? (target as ShowAttachmentsArgs) : undefined;
  const client = context.account.getClient();
  let attachments: SessionAttachment[];
  try {
    attachments = await client.listSessionAttachments(session.orgId, session.sessionId);
  } catch (error) {
    return {
      ok: false,
      error: reportError(context.log, vscode.l10n.t('Could not list the attachments of "{0}"', session.label), error),
    };
  }
  if (attachments.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('"{0}" has no attachments.', session.label));
    return { ok: true, attachments: 0 };
  }
  const chosen = args?.name
    ? attachments.find((attachment) => attachment.name === args.name)
    : (
        await vscode.window.showQuickPick(
          attachments.map((attachment) => ({
            label: `$(${attachment.source === 'devin' ? 'hubot' : 'account'}) ${attachment.name}`,
            description: [
              attachment.source === 'devin' ? vscode.l10n.t('from Devin') : vscode.l10n.t('attached by you'),
              attachment.contentType,
            ]
              .filter(Boolean)
              .join(' · '),
            attachment,
          })),
          {
            title: vscode.l10n.t('Attachments of "{0}"', session.label),
            placeHolder: vscode.l10n.t('Choose a file to save or open'),
          },
        )
      )?.attachment;
  if (!chosen)
    return args?.name ? { ok: false, error: vscode.l10n.t('No attachment named {0}.', args.name) } : cancelled;
  const action = args?.action ?? (await chooseAction(chosen));
  if (!action) return cancelled;
  const temporary = action === 'open' ? temporaryCopy(session.sessionId, chosen) : undefined;
  if (temporary && !temporary.inside) {
    const message = vscode.l10n.t(
      'The attachment "{0}" was not opened: the name Devin gave it would place it outside {1}.',
      chosen.name,
      temporary.root,
    );
    context.log.warn(message);
    void vscode.window.showErrorMessage(message);
    return { ok: false, error: message };
  }
  try {
    const { bytes } = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Downloading {0}…', chosen.name) },
      (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return client.downloadAttachment(chosen, abort.signal);
      },
    );
    if (!temporary) {
      const destination = args?.saveTo ? vscode.Uri.file(args.saveTo) : await askDestination(chosen.name);
      if (!destination) return cancelled;
      await vscode.workspace.fs.writeFile(destination, bytes);
      void vscode.window.setStatusBarMessage(
        `$(save) ${vscode.l10n.t('Saved {0}.', path.basename(destination.fsPath))}`,
        5000,
      );
      return { ok: true, attachments: attachments.length, savedTo: destination.fsPath };
    }
    await vscode.workspace.fs.createDirectory(temporary.folder);
    await vscode.workspace.fs.writeFile(temporary.file, bytes);
    await vscode.commands.executeCommand('vscode.open', temporary.file, { preview: true });
    return { ok: true, attachments: attachments.length, opened: temporary.file.fsPath };
  } catch (error) {
    return { ok: false, error: reportError(context.log, vscode.l10n.t('Could not get {0}', chosen.name), error) };
  }
}

async function chooseAction(attachment: SessionAttachment): Promise<'save' | 'open' | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: `$(save) ${vscode.l10n.t('Save to Workspace…')}`, action: 'save' as const },
      { label: `$(go-to-file) ${vscode.l10n.t('Open')}`, action: 'open' as const },
    ],
    { title: attachment.name },
  );
  return picked?.action;
}

/**
 * Where "Open" writes its private temporary copy, so VS Code picks the right editor (text, image, PDF) by name.
 * Every part below the temporary folder comes from the server: each is one safe segment, and the result is
 * checked to lie inside that folder all the same.
 */
function temporaryCopy(
  sessionId: string,
  attachment: SessionAttachment,
): { root: string; folder: vscode.Uri; file: vscode.Uri; inside: boolean } {
  const root = path.join(os.tmpdir(), 'devin-attachments');
  const folder = vscode.Uri.file(
    path.join(root, safePathSegment(sessionId, 'session'), safePathSegment(attachment.id, 'attachment')),
  );
  const file = vscode.Uri.joinPath(folder, safePathSegment(attachment.name, 'attachment'));
  return { root, folder, file, inside: isInside(root, file.fsPath) };
}

function askDestination(name: string): Thenable<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return vscode.window.showSaveDialog({
    title: vscode.l10n.t('Save {0}', name),
    defaultUri: folder ? vscode.Uri.joinPath(folder, safePathSegment(name, 'attachment')) : undefined,
    saveLabel: vscode.l10n.t('Save Attachment'),
  });
}
