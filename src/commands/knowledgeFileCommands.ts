import * as vscode from 'vscode';
import { Command } from '../commandIds';
import type { KnowledgeNote } from '../core/models';
import { listAllNotes } from '../actions/knowledgeFiles';
import { KnowledgeFileSystem } from '../views/knowledgeFileSystem';
import { noteOfRow } from '../views/resourceNodes';
import { optionsFrom, pickOrganization, type CommandContext } from '../ui/commandContext';
import { cancelled, type CommandOutcome, confirmDestructive, reportError } from '../ui/feedback';

/** Knowledge notes as editable Markdown files (see KnowledgeFileSystem), and the note rows' menu. */

interface NoteTarget {
  readonly orgId?: string;
  readonly noteId?: string;
}

interface RenameArgs extends NoteTarget {
  /** The new name, without asking. */
  readonly name?: string;
}

interface DeleteArgs extends NoteTarget {
  readonly confirmed?: boolean;
}

export function registerKnowledgeFiles(context: CommandContext): vscode.Disposable[] {
  const files = new KnowledgeFileSystem(context.account);
  return [
    files,
    vscode.workspace.registerFileSystemProvider(KnowledgeFileSystem.scheme, files, { isCaseSensitive: true }),
    // Notes created, renamed or deleted as files show in the tree as they are now (a save changes no row).
    files.onDidChangeFile((events) => {
      const listChanged = events.filter((event) => event.type !== vscode.FileChangeType.Changed);
      for (const orgId of new Set(listChanged.map((event) => KnowledgeFileSystem.orgIdOf(event.uri))))
        if (orgId) context.tree.reloadResource(orgId, 'knowledge');
    }),
    vscode.commands.registerCommand(Command.editKnowledge, (arg?: unknown) => {
      const row = noteOfRow(arg);
      return row ? openNote(context, files, row.uri) : editKnowledge(context, files, optionsFrom(arg));
    }),
    vscode.commands.registerCommand(Command.renameKnowledge, (arg?: unknown) =>
      renameKnowledge(context, files, target(arg, optionsFrom<RenameArgs>(arg))),
    ),
    vscode.commands.registerCommand(Command.deleteKnowledge, (arg?: unknown) =>
      deleteKnowledge(context, target(arg, optionsFrom<DeleteArgs>(arg))),
    ),
  ];
}

/** The options, with the note itself when a row was given (so its name need not be looked up). */
function target<T extends NoteTarget>(arg: unknown, options: T | undefined): T & { note?: KnowledgeNote } {
  return { ...(options ?? ({} as T)), note: noteOfRow(arg)?.note };
}

async function openNote(
  context: CommandContext,
  files: KnowledgeFileSystem,
  uri: vscode.Uri,
): Promise<CommandOutcome<{ uri: string }>> {
  try {
    await files.refreshKeptCopy(uri);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    return { ok: true, uri: uri.toString() };
  } catch (error) {
    return { ok: false, error: reportError(context.log, 'Could not open the Knowledge note', error) };
  }
}

async function editKnowledge(
  context: CommandContext,
  files: KnowledgeFileSystem,
  args: NoteTarget = {},
): Promise<CommandOutcome<{ uri: string }>> {
  try {
    const organization = await pickOrganization(context, vscode.l10n.t('Devin: Edit Knowledge'), args.orgId);
    if (!organization) return cancelled;
    const notes = await listAllNotes(context.account.getClient(), organization.id);
    const note =
      args.noteId !== undefined
        ? notes.find((candidate) => candidate.id === args.noteId)
        : (
            await vscode.window.showQuickPick(
              // Names repeat across folders; the folder tells such notes apart.
              notes.map((candidate) => ({
                label: candidate.name,
                description: candidate.folderPath,
                detail: candidate.trigger,
                note: candidate,
              })),
              {
                title: vscode.l10n.t('Edit Knowledge of {0}', organization.name),
                placeHolder: vscode.l10n.t('Choose a note'),
                matchOnDescription: true,
                matchOnDetail: true,
              },
            )
          )?.note;
    if (!note)
      return args.noteId !== undefined
        ? { ok: false, error: vscode.l10n.t('No Knowledge note {0}.', args.noteId) }
        : cancelled;
    return await openNote(context, files, KnowledgeFileSystem.uri(organization.id, note));
  } catch (error) {
    return { ok: false, error: reportError(context.log, vscode.l10n.t('Could not open the Knowledge note'), error) };
  }
}

/** The note a command acts on: the row's, or the one named by id. */
async function resolveNote(
  context: CommandContext,
  args: NoteTarget & { note?: KnowledgeNote },
): Promise<{ orgId: string; note: KnowledgeNote } | undefined> {
  if (!args.orgId || (!args.note && !args.noteId)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Choose a Knowledge note in the Devin view first.'));
    return undefined;
  }
  if (args.note) return { orgId: args.orgId, note: args.note };
  const orgId = args.orgId;
  const items = await listAllNotes(context.account.getClient(), orgId);
  const note = items.find((candidate) => candidate.id === args.noteId);
  if (!note) throw new Error(vscode.l10n.t('No Knowledge note {0}; it may have been deleted.', String(args.noteId)));
  return { orgId, note };
}

/**
 * Renames through the note's file system (a `PUT` with the new name), which tells the tree. The provider
 * is asked directly: both addresses carry the note's id, so VS Code's own check that the target is free
 * would find the note itself there.
 */
async function renameKnowledge(
  context: CommandContext,
  files: KnowledgeFileSystem,
  args: RenameArgs & { note?: KnowledgeNote },
): Promise<CommandOutcome<{ name: string }>> {
  try {
    const found = await resolveNote(context, args);
    if (!found) return cancelled;
    const { orgId, note } = found;
    const typed =
      args.name ??
      (await vscode.window.showInputBox({
        title: vscode.l10n.t('Rename Knowledge Note'),
        prompt: vscode.l10n.t('New name of "{0}"', note.name),
        value: note.name,
        ignoreFocusOut: true,
        validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('A name is required.')),
      }));
    const name = typed?.trim();
    if (!name || name === note.name) return cancelled;
    await files.rename(KnowledgeFileSystem.uri(orgId, note), KnowledgeFileSystem.uri(orgId, { ...note, name }), {
      overwrite: false,
    });
    return { ok: true, name };
  } catch (error) {
    const reason =
      error instanceof vscode.FileSystemError && error.code === 'FileExists'
        ? new Error(vscode.l10n.t('A Knowledge note with that name already exists.'))
        : error;
    return { ok: false, error: reportError(context.log, vscode.l10n.t('Could not rename the Knowledge note'), reason) };
  }
}

async function deleteKnowledge(
  context: CommandContext,
  args: DeleteArgs & { note?: KnowledgeNote },
): Promise<CommandOutcome> {
  try {
    const found = await resolveNote(context, args);
    if (!found) return cancelled;
    const { orgId, note } = found;
    if (!args.confirmed) {
      const confirmed = await confirmDestructive(
        vscode.l10n.t(
          'Delete the Knowledge note "{0}"? Devin will no longer recall it. This cannot be undone.',
          note.name,
        ),
        vscode.l10n.t('Delete Note'),
      );
      if (!confirmed) return cancelled;
    }
    await vscode.workspace.fs.delete(KnowledgeFileSystem.uri(orgId, note));
    return { ok: true };
  } catch (error) {
    return { ok: false, error: reportError(context.log, vscode.l10n.t('Could not delete the Knowledge note'), error) };
  }
}
