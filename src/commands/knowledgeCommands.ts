import * as vscode from 'vscode';
import { addKnowledgeNote } from '../actions/knowledge';
import { encodeSegment, noteIdQuery, notePath } from '../core/knowledgeAddress';
import type { KnowledgeNote, Organization } from '../core/models';
import { sendKey } from '../core/sendGuard';
import { knowledgeNoteMarkdown } from '../core/reports';
import type { ReadonlyDocuments } from '../views/readonlyDocuments';
import { optionsFrom, pickOrganization, type CommandContext } from '../ui/commandContext';
import { alreadySending, cancelled, reportError, reportWithRetry, type CommandOutcome } from '../ui/feedback';
import { Command } from '../commandIds';
import { vscodeUi } from '../ui/vscodeUi';

/** Devin Knowledge: notes Devin recalls when their trigger matches. Add from the editor; browse and read. */

export interface AddKnowledgeArgs {
  readonly orgId?: string;
  readonly name?: string;
  readonly trigger?: string;
  readonly body?: string;
  /** Set by Retry after an answer was lost: the note may exist, so look for it first. */
  readonly uncertainSince?: number;
}

export function registerKnowledgeCommands(context: CommandContext, documents: ReadonlyDocuments): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.addKnowledge, (arg?: unknown) => addKnowledge(context, optionsFrom(arg))),
    vscode.commands.registerCommand(Command.browseKnowledge, (arg?: unknown) =>
      browseKnowledge(context, documents, optionsFrom(arg)),
    ),
  ];
}

async function addKnowledge(context: CommandContext, args: AddKnowledgeArgs = {}): Promise<NoteOutcome> {
  const editor = vscode.window.activeTextEditor;
  const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : undefined;
  // What the user has written so far: a failure's Retry sends it again instead of asking anew.
  const written: { -readonly [K in keyof AddKnowledgeArgs]: AddKnowledgeArgs[K] } = { ...args };
  try {
    const organization = await pickOrganization(context, vscode.l10n.t('Devin: Add Knowledge'), args.orgId);
    if (!organization) return cancelled;
    written.orgId = organization.id;
    const name = (written.name ??= await ask(
      vscode.l10n.t('Devin: Add Knowledge: Name of the note'),
      vscode.l10n.t('e.g. How we run database migrations'),
    ));
    if (!name) return cancelled;
    const trigger = (written.trigger ??= await ask(
      vscode.l10n.t('Devin: Add Knowledge: When should Devin recall it?'),
      vscode.l10n.t('e.g. When changing files under db/migrations'),
    ));
    if (!trigger) return cancelled;
    const body = (written.body ??=
      selected ??
      (await ask(
        vscode.l10n.t('Devin: Add Knowledge: What should Devin know?'),
        vscode.l10n.t('The note itself (select text in an editor first for longer notes)'),
      )));
    if (!body) return cancelled;
    const sent = { orgId: organization.id, name, trigger, body };
    return await context.sendGuard.run(
      sendKey('knowledge', organization.id, name),
      () => saveNote(context, organization, sent, written),
      () =>
        alreadySending(vscode.l10n.t('Already sending Knowledge note "{0}" to Devin. Wait for it to finish.', name)),
    );
  } catch (error) {
    return {
      ok: false,
      error: reportError(
        context.log,
        vscode.l10n.t('Could not add the Knowledge note (what you wrote is kept for Retry)'),
        error,
        [{ title: vscode.l10n.t('Retry'), run: () => vscode.commands.executeCommand(Command.addKnowledge, written) }],
      ),
    };
  }
}

type NoteOutcome = CommandOutcome<{ noteId?: string; found?: boolean }>;

async function saveNote(
  context: CommandContext,
  organization: Organization,
  sent: { orgId: string; name: string; trigger: string; body: string },
  written: AddKnowledgeArgs,
): Promise<NoteOutcome> {
  const outcome = await addKnowledgeNote(
    { client: context.account.getClient(), ui: vscodeUi(context.drafts) },
    { orgId: organization.id, name: organization.name },
    sent,
    written,
  );
  switch (outcome.kind) {
    case 'found':
      // The tree never saw the note the lost answer made.
      context.tree.reloadResource(organization.id, 'knowledge');
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Knowledge note "{0}" is already in {1}: the earlier attempt added it.',
          outcome.value.name,
          organization.name,
        ),
      );
      return { ok: true, noteId: outcome.value.id, found: true };
    case 'created':
      context.tree.reloadResource(organization.id, 'knowledge');
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Knowledge note "{0}" added to {1}.', outcome.value.name, organization.name),
      );
      return { ok: true, noteId: outcome.value.id };
    case 'createdButUnreadable':
      context.tree.reloadResource(organization.id, 'knowledge');
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Knowledge note "{0}" added to {1} (Devin\'s answer could not be read).',
          sent.name,
          organization.name,
        ),
      );
      return { ok: true, noteId: outcome.value?.id };
    case 'cancelled':
      return cancelled;
    case 'failed':
      break;
  }
  // A refusal, or a look for the earlier note that failed before anything was sent: what was written is kept.
  if (!outcome.outcomeUnknown || outcome.checkFailed) throw outcome.error;
  const retry: AddKnowledgeArgs = { ...written, uncertainSince: outcome.uncertainSince };
  return reportWithRetry(
    context.log,
    vscode.l10n.t(
      'Knowledge note "{0}" may have been added (what you wrote is kept; Retry looks for it before adding another)',
      sent.name,
    ),
    outcome.error,
    true,
    Command.addKnowledge,
    retry,
  );
}

async function ask(title: string, placeHolder: string): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title,
    placeHolder,
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() ? undefined : vscode.l10n.t('Required.')),
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
    const organization = await pickOrganization(context, vscode.l10n.t('Devin: Browse Knowledge'), args.orgId);
    if (!organization) return cancelled;
    organizationName = organization.name;
    const picker = vscode.window.createQuickPick<vscode.QuickPickItem & { note: KnowledgeNote }>();
    picker.title = vscode.l10n.t('Knowledge in {0}', organization.name);
    picker.placeholder = vscode.l10n.t('Type to search names, triggers and contents');
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
          description: note.isEnabled ? note.folderPath : vscode.l10n.t('disabled'),
          detail: note.trigger,
          note,
        }));
      } catch (error) {
        if (!current.signal.aborted) {
          picker.hide();
          reportError(context.log, vscode.l10n.t('Could not search Knowledge in {0}', organization.name), error);
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
    await documents.show(
      `/${encodeSegment(vscode.l10n.t('Knowledge'))}${notePath(chosen)}`,
      knowledgeNoteMarkdown(chosen),
      noteIdQuery(chosen.id),
    );
    return { ok: true };
  } catch (error) {
    return {
      ok: false,
      error: reportError(
        context.log,
        organizationName
          ? vscode.l10n.t('Could not open Knowledge of {0}', organizationName)
          : vscode.l10n.t('Could not open Knowledge'),
        error,
      ),
    };
  }
}
