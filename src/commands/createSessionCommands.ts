import * as vscode from 'vscode';
import type { SessionDraft } from '../core/drafts';
import {
  LARGE_SELECTION_CHARS,
  buildSelectionPrompt,
  describeLines,
  firstLine,
  truncateSelection,
  MAX_PROMPT_CHARS,
  promptTooLong,
  type CodeSelection,
} from '../core/selectionPrompt';
import { optionsFrom, pickOrganization, type CommandContext } from '../ui/commandContext';
import { askLineOrCompose, type LineOrComposeOptions } from '../ui/composer';
import { askCreateOptions, sessionOptionsOf, type CreateOptions } from '../ui/createOptions';
import { cancelled } from '../ui/feedback';
import { findGitLocation } from '../ui/gitLocation';
import { submit, type CreatedOutcome } from './sessionSubmission';
import { Command } from '../commandIds';

/** `devin.createSession`, `devin.createSessionFromSelection` and retrying a prompt that failed to send. */

export interface CreateSessionArgs extends CreateOptions {
  /** Skip the input boxes (automation, keybindings with args, tests). */
  readonly prompt?: string;
  readonly instruction?: string;
  /** Opens the prompt (or, from a selection, the instruction) in a composer editor for review instead. */
  readonly compose?: string;
  readonly orgId?: string;
  /** For large selections: true truncates, false sends all, undefined asks. */
  readonly truncate?: boolean;
}

export function registerCreateSessionCommands(context: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.createSession, (arg?: unknown) => createSession(context, optionsFrom(arg))),
    vscode.commands.registerCommand(Command.createSessionFromSelection, (args?: CreateSessionArgs) =>
      createSessionFromSelection(context, args),
    ),
    vscode.commands.registerCommand(Command.retrySessionDraft, (draftId?: string) =>
      retrySessionDraft(context, draftId),
    ),
  ];
}

async function createSession(context: CommandContext, args: CreateSessionArgs = {}): Promise<CreatedOutcome> {
  let prompt = args.prompt;
  let button: string | undefined;
  if (prompt === undefined) {
    const typed =
      args.compose !== undefined
        ? { compose: args.compose }
        : await askLineOrCompose({
            title: vscode.l10n.t('Devin: New Session'),
            prompt: vscode.l10n.t('What should Devin do?'),
            placeholder: vscode.l10n.t('e.g. Add pagination to the /users endpoint and open a PR'),
            emptyMessage: vscode.l10n.t('Tell Devin what to do.'),
            composeTooltip: vscode.l10n.t('Write a longer prompt in an editor'),
            buttons: createButtons(),
          });
    if (!typed) return cancelled;
    if ('compose' in typed) {
      await context.composer.open(
        {
          kind: 'session',
          orgId: args.orgId,
          title: args.title,
          tags: args.tags,
          createAsUserId: args.createAsUserId,
          label: vscode.l10n.t('New session'),
        },
        typed.compose,
      );
      return cancelled;
    }
    prompt = typed.text;
    button = typed.button;
  }
  if (!prompt.trim()) return cancelled;
  // Enter creates at once with the defaults; the input box's buttons lead to attachments or options.
  const chosen = button ? await askForOptions(context, button, args.orgId) : {};
  if (!chosen) return cancelled;
  const options = { ...args, ...chosen };
  return submit(context, { orgId: options.orgId, prompt, ...sessionOptionsOf(options) });
}

async function createSessionFromSelection(
  context: CommandContext,
  args: CreateSessionArgs = {},
): Promise<CreatedOutcome> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) {
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Select the code you want Devin to work on first.'),
      vscode.l10n.t('New Session Without Code'),
    );
    return choice ? createSession(context) : cancelled;
  }
  let selection = readSelection(editor);
  const canSendAll = selection.code.length <= MAX_PROMPT_CHARS - SELECTION_PROMPT_MARGIN;
  if (args.truncate === false && !canSendAll) {
    const error = vscode.l10n.t(
      '{0} Choose {1} to send its first lines.',
      promptTooLong(selection.code) ?? '',
      vscode.l10n.t('Truncate'),
    );
    void vscode.window.showWarningMessage(error);
    return { ok: false, error };
  }
  if (selection.code.length > LARGE_SELECTION_CHARS && args.truncate !== false) {
    const shouldTruncate = args.truncate ?? (await askToTruncate(selection, canSendAll));
    if (shouldTruncate === undefined) return cancelled;
    if (shouldTruncate) selection = truncateSelection(selection);
  }
  const where = `${selection.relativePath}:${describeLines(selection.startLine, selection.endLine)}`;
  let instruction = args.instruction;
  let button: string | undefined;
  if (instruction === undefined) {
    const typed =
      args.compose !== undefined
        ? { compose: args.compose }
        : await askLineOrCompose({
            title: vscode.l10n.t('Devin: New Session from Selection'),
            prompt: vscode.l10n.t(
              'What should Devin do with {0}? The file path, lines, language and code are added below your instruction.',
              where,
            ),
            placeholder: vscode.l10n.t('e.g. Find the bug in this function and fix it'),
            emptyMessage: vscode.l10n.t('Tell Devin what to do with this code.'),
            composeTooltip: vscode.l10n.t('Review and edit the whole prompt in an editor before sending'),
            buttons: createButtons(),
          });
    if (!typed) return cancelled;
    if ('compose' in typed) {
      // A hint for the user to replace with their own instruction, so it is in their language.
      const draftInstruction = typed.compose.trim() || vscode.l10n.t('Describe what Devin should do with this code.');
      await context.composer.open(
        {
          kind: 'session',
          orgId: args.orgId,
          title: args.title,
          tags: args.tags,
          createAsUserId: args.createAsUserId,
          label: where,
        },
        buildSelectionPrompt(draftInstruction, selection),
      );
      return cancelled;
    }
    instruction = typed.text;
    button = typed.button;
  }
  if (!instruction.trim()) return cancelled;
  const chosen = button ? await askForOptions(context, button, args.orgId) : {};
  if (!chosen) return cancelled;
  const options = { ...args, ...chosen };
  return submit(context, {
    orgId: options.orgId,
    prompt: buildSelectionPrompt(instruction, selection),
    ...sessionOptionsOf(options),
  });
}

function readSelection(editor: vscode.TextEditor): CodeSelection {
  const { document, selection } = editor;
  // A selection that ends at column 0 does not include that last line.
  const endLine =
    selection.end.character === 0 && selection.end.line > selection.start.line
      ? selection.end.line - 1
      : selection.end.line;
  return {
    relativePath: vscode.workspace.asRelativePath(document.uri, false).replace(/\\/g, '/'),
    startLine: selection.start.line + 1,
    endLine: endLine + 1,
    languageId: document.languageId,
    code: document.getText(selection),
    git: findGitLocation(document.uri),
  };
}

/** Room for the instruction and the context lines around the code. */
const SELECTION_PROMPT_MARGIN = 10_000;

async function askToTruncate(selection: CodeSelection, canSendAll: boolean): Promise<boolean | undefined> {
  const lines = selection.endLine - selection.startLine + 1;
  const sendAll = vscode.l10n.t('Send All');
  const truncate = vscode.l10n.t('Truncate');
  const size = vscode.l10n.t('{0} lines, {1}k characters', lines, Math.round(selection.code.length / 1000));
  const choice = canSendAll
    ? await vscode.window.showWarningMessage(
        vscode.l10n.t('The selection is large ({0}). Long prompts cost more ACUs and may be cut by Devin.', size),
        { modal: true },
        truncate,
        sendAll,
      )
    : await vscode.window.showWarningMessage(
        vscode.l10n.t(
          'The selection is too large to send whole ({0}; at most {1}k characters). {2} sends its first lines.',
          size,
          (MAX_PROMPT_CHARS - SELECTION_PROMPT_MARGIN) / 1000,
          truncate,
        ),
        { modal: true },
        truncate,
      );
  return choice === undefined ? undefined : choice === truncate;
}

function createButtons(): LineOrComposeOptions['buttons'] {
  return [
    { id: 'attach', icon: 'paperclip', tooltip: vscode.l10n.t('Attach Files… (then create)') },
    {
      id: 'options',
      icon: 'settings',
      tooltip: vscode.l10n.t('Create with Options… (playbook, Knowledge, repositories, ACU limit, create as)'),
    },
  ];
}

/** What an input box button asks for: files to attach, or the full set of create options. */
async function askForOptions(
  context: CommandContext,
  button: string,
  orgId: string | undefined,
): Promise<(CreateOptions & Pick<CreateSessionArgs, 'attachments' | 'orgId'>) | undefined> {
  if (button === 'attach') {
    const files = await vscode.window.showOpenDialog({
      canSelectMany: true,
      openLabel: vscode.l10n.t('Attach'),
      title: vscode.l10n.t('Files for Devin'),
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    return files?.length ? { attachments: files.map((file) => file.fsPath) } : undefined;
  }
  // The choices come from the organization, so it is asked for first.
  const organization = await pickOrganization(context, vscode.l10n.t('Devin: New Session'), orgId);
  if (!organization) return undefined;
  const options = await askCreateOptions(context, organization);
  return options && { ...options, orgId: organization.id };
}

async function retrySessionDraft(context: CommandContext, draftId?: string): Promise<CreatedOutcome> {
  const drafts = context.drafts.list().filter((draft): draft is SessionDraft => draft.kind === 'session');
  const draft = draftId
    ? drafts.find((candidate) => candidate.id === draftId)
    : (
        await vscode.window.showQuickPick(
          drafts.map((candidate) => ({
            label: firstLine(candidate.prompt),
            description: candidate.lastError,
            draft: candidate,
          })),
          {
            title: vscode.l10n.t('Devin: Retry Unsent Prompt'),
            placeHolder: drafts.length
              ? vscode.l10n.t('Choose a prompt that failed to send')
              : vscode.l10n.t('No unsent prompts'),
          },
        )
      )?.draft;
  if (!draft) return cancelled;
  return submit(context, { ...draft, draftId: draft.id });
}
