import * as vscode from 'vscode';
import { Command } from '../commandIds';
import { KnowledgeFileSystem } from '../views/knowledgeFileSystem';
import { optionsFrom, pickOrganization, type CommandContext } from './commandContext';
import { cancelled, reportError, type CommandOutcome } from './feedback';

/** Knowledge notes as editable Markdown files (see KnowledgeFileSystem). */
export function registerKnowledgeFiles(context: CommandContext): vscode.Disposable[] {
  const files = new KnowledgeFileSystem(context.account);
  return [
    files,
    vscode.workspace.registerFileSystemProvider(KnowledgeFileSystem.scheme, files, { isCaseSensitive: true }),
    vscode.commands.registerCommand(Command.editKnowledge, (arg?: unknown) =>
      editKnowledge(context, optionsFrom<{ orgId?: string; noteId?: string }>(arg)),
    ),
  ];
}

async function editKnowledge(
  context: CommandContext,
  args: { orgId?: string; noteId?: string } = {},
): Promise<CommandOutcome<{ uri: string }>> {
  try {
    const organization = await pickOrganization(context, vscode.l10n.t('Devin: Edit Knowledge'), args.orgId);
    if (!organization) return cancelled;
    const client = context.account.getClient();
    const notes = (await client.listKnowledgeNotes(organization.id, { first: 200 })).items;
    const note =
      args.noteId !== undefined
        ? notes.find((candidate) => candidate.id === args.noteId)
        : (
            await vscode.window.showQuickPick(
              notes.map((candidate) => ({ label: candidate.name, description: candidate.trigger, note: candidate })),
              {
                title: vscode.l10n.t('Edit Knowledge of {0}', organization.name),
                placeHolder: vscode.l10n.t('Choose a note'),
                matchOnDescription: true,
              },
            )
          )?.note;
    if (!note)
      return args.noteId !== undefined
        ? { ok: false, error: vscode.l10n.t('No Knowledge note {0}.', args.noteId) }
        : cancelled;
    const uri = KnowledgeFileSystem.uri(organization.id, note);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    return { ok: true, uri: uri.toString() };
  } catch (error) {
    return { ok: false, error: reportError(context.log, vscode.l10n.t('Could not open the Knowledge note'), error) };
  }
}
