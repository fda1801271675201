import * as vscode from 'vscode';
import type { KnowledgeNote } from '../core/models';
import { knowledgeNoteMarkdown } from '../core/reports';
import type { ReadonlyDocuments } from '../views/readonlyDocuments';
import { optionsFrom, pickOrganization, type CommandContext } from './commandContext';
import { cancelled, reportError, type CommandOutcome } from './feedback';
import { Command } from '../commandIds';

/** Devin Knowledge: notes Devin recalls when their trigger matches. Add from the editor; browse and read. */

export interface AddKnowledgeArgs {
  readonly orgId?: string;
  readonly name?: string;
  readonly trigger?: string;
  readonly body?: string;
}

export function registerKnowledgeCommands(context: CommandContext, documents: ReadonlyDocuments): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.addKnowledge, (arg?: unknown) => addKnowledge(context, optionsFrom(arg))),
    vscode.commands.registerCommand(Command.browseKnowledge, (arg?: unknown) =>
      browseKnowledge(context, documents, optionsFrom(arg)),
    ),
  ];
}

async function addKnowledge(
  context: CommandContext,
  args: AddKnowledgeArgs = {},
): Promise<CommandOutcome<{ noteId: string }>> {
  const editor = vscode.window.activeTextEditor;
  const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : undefined;
  // What the user has written so far: a failure's Retry sends it again instead of asking anew.
  const written: { -readonly [K in keyof AddKnowledgeArgs]: AddKnowledgeArgs[K] } = { ...args };
  try {
    const organization = await pickOrganization(context, 'Devin: Add Knowledge', args.orgId);
    if (!organization) return cancelled;
    written.orgId = organization.id;
    const name = (written.name ??= await ask('Name of the note', 'e.g. How we run database migrations'));
    if (!name) return cancelled;
    const trigger = (written.trigger ??= await ask(
      'When should Devin recall it?',
      'e.g. When changing files under db/migrations',
    ));
    if (!trigger) return cancelled;
    const body = (written.body ??=
      selected ??
      (await ask('What should Devin know?', 'The note itself (select text in an editor first for longer notes)')));
    if (!body) return cancelled;
    const note = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Saving Knowledge note…' },
      () => context.account.getClient().createKnowledgeNote(organization.id, { name, trigger, body }),
    );
    void vscode.window.showInformationMessage(`Knowledge note "${note.name}" added to ${organization.name}.`);
    return { ok: true, noteId: note.id };
  } catch (error) {
    return {
      ok: false,
      error: reportError(context.log, 'Could not add the Knowledge note (what you wrote is kept for Retry)', error, [
        { title: 'Retry', run: () => vscode.commands.executeCommand(Command.addKnowledge, written) },
      ]),
    };
  }
}

async function ask(title: string, placeHolder: string): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title: `Devin: Add Knowledge: ${title}`,
    placeHolder,
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() ? undefined : 'Required.'),
  });
  return value?.trim() || undefined;
}

const SEARCH_DEBOUNCE_MS = 250;

/** A quick pick that searches the organization's notes on the server as the user types. */
async function browseKnowledge(
  context: CommandContext,
  documents: ReadonlyDocuments,
  args: { orgId?: string } = {},
): Promise<CommandOutcome> {
  let organizationName = '';
  try {
    const organization = await pickOrganization(context, 'Devin: Browse Knowledge', args.orgId);
    if (!organization) return cancelled;
    organizationName = organization.name;
    const picker = vscode.window.createQuickPick<vscode.QuickPickItem & { note: KnowledgeNote }>();
    picker.title = `Knowledge in ${organization.name}`;
    picker.placeholder = 'Type to search names, triggers and contents';
    picker.matchOnDescription = true;
    picker.matchOnDetail = true;
    let controller: AbortController | undefined;
    let timer: NodeJS.Timeout | undefined;
    const search = async (text: string) => {
      controller?.abort();
      const current = (controller = new AbortController());
      picker.busy = true;
      try {
        const page = await context.account.getClient().listKnowledgeNotes(organization.id, {
          first: 100,
          search: text.trim() || undefined,
          signal: current.signal,
        });
        if (current.signal.aborted) return;
        picker.items = page.items.map((note) => ({
          label: note.name,
          description: note.isEnabled ? note.folderPath : 'disabled',
          detail: note.trigger,
          note,
        }));
      } catch (error) {
        if (!current.signal.aborted) {
          picker.hide();
          reportError(context.log, `Could not search Knowledge in ${organization.name}`, error);
        }
      } finally {
        if (controller === current) picker.busy = false;
      }
    };
    picker.onDidChangeValue((text) => {
      clearTimeout(timer);
      timer = setTimeout(() => void search(text), SEARCH_DEBOUNCE_MS);
    });
    picker.show();
    void search('');
    const chosen = await new Promise<KnowledgeNote | undefined>((resolve) => {
      picker.onDidAccept(() => resolve(picker.selectedItems[0]?.note));
      picker.onDidHide(() => resolve(undefined));
    });
    clearTimeout(timer);
    controller?.abort();
    picker.dispose();
    if (!chosen) return cancelled;
    await documents.show(`/Knowledge/${chosen.name.replace(/[\\/]/g, '-')}.md`, knowledgeNoteMarkdown(chosen));
    return { ok: true };
  } catch (error) {
    return {
      ok: false,
      error: reportError(
        context.log,
        `Could not open Knowledge${organizationName ? ` of ${organizationName}` : ''}`,
        error,
      ),
    };
  }
}
