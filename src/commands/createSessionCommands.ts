import * as vscode from 'vscode';
import { isDevinApiError } from '../api/errors';
import type { SessionDraft } from '../core/drafts';
import type { Session } from '../core/models';
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
import { sessionLabel } from '../core/sessionPresentation';
import { optionsFrom, pickOrganization, type CommandContext } from './commandContext';
import { askLineOrCompose } from './composer';
import { cancelled, reportError, type CommandOutcome } from './feedback';
import { findGitLocation } from './gitLocation';
import { openServerUrl } from './openExternal';
import { Command } from '../commandIds';

/** `devin.createSession`, `devin.createSessionFromSelection` and retrying a prompt that failed to send. */

export interface CreateSessionArgs {
  /** Skip the input boxes (automation, keybindings with args, tests). */
  readonly prompt?: string;
  readonly instruction?: string;
  /** Opens the prompt (or, from a selection, the instruction) in a composer editor for review instead. */
  readonly compose?: string;
  readonly orgId?: string;
  readonly title?: string;
  readonly tags?: readonly string[];
  readonly createAsUserId?: string;
  /** For large selections: true truncates, false sends all, undefined asks. */
  readonly truncate?: boolean;
}

export type CreatedOutcome = CommandOutcome<{
  session: { id: string; orgId: string; url: string | undefined; title: string };
}>;

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
  if (prompt === undefined) {
    const typed =
      args.compose !== undefined
        ? { compose: args.compose }
        : await askLineOrCompose({
            title: 'Devin: New Session',
            prompt: 'What should Devin do?',
            placeholder: 'e.g. Add pagination to the /users endpoint and open a PR',
            emptyMessage: 'Tell Devin what to do.',
            composeTooltip: 'Write a longer prompt in an editor',
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
          label: 'New session',
        },
        typed.compose,
      );
      return cancelled;
    }
    prompt = typed.text;
  }
  if (!prompt.trim()) return cancelled;
  const chosen = args.prompt !== undefined ? {} : await askForOptions();
  if (!chosen) return cancelled;
  const options = { ...args, ...chosen };
  return submit(context, {
    orgId: args.orgId,
    prompt,
    title: options.title,
    tags: options.tags,
    createAsUserId: options.createAsUserId,
  });
}

async function createSessionFromSelection(
  context: CommandContext,
  args: CreateSessionArgs = {},
): Promise<CreatedOutcome> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) {
    const choice = await vscode.window.showWarningMessage(
      'Select the code you want Devin to work on first.',
      'New Session Without Code',
    );
    return choice ? createSession(context) : cancelled;
  }
  let selection = readSelection(editor);
  const canSendAll = selection.code.length <= MAX_PROMPT_CHARS - SELECTION_PROMPT_MARGIN;
  if (args.truncate === false && !canSendAll) {
    const error = `${promptTooLong(selection.code) ?? ''} Choose Truncate to send its first lines.`;
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
  if (instruction === undefined) {
    const typed =
      args.compose !== undefined
        ? { compose: args.compose }
        : await askLineOrCompose({
            title: 'Devin: New Session from Selection',
            prompt: `What should Devin do with ${where}? The file path, lines, language and code are added below your instruction.`,
            placeholder: 'e.g. Find the bug in this function and fix it',
            emptyMessage: 'Tell Devin what to do with this code.',
            composeTooltip: 'Review and edit the whole prompt in an editor before sending',
          });
    if (!typed) return cancelled;
    if ('compose' in typed) {
      const draftInstruction = typed.compose.trim() || 'Describe what Devin should do with this code.';
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
  }
  if (!instruction.trim()) return cancelled;
  return submit(context, {
    orgId: args.orgId,
    prompt: buildSelectionPrompt(instruction, selection),
    title: args.title,
    tags: args.tags,
    createAsUserId: args.createAsUserId,
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
  const sendAll = 'Send All';
  const truncate = 'Truncate';
  const size = `${lines} lines, ${Math.round(selection.code.length / 1000)}k characters`;
  const choice = canSendAll
    ? await vscode.window.showWarningMessage(
        `The selection is large (${size}). Long prompts cost more ACUs and may be cut by Devin.`,
        { modal: true },
        truncate,
        sendAll,
      )
    : await vscode.window.showWarningMessage(
        `The selection is too large to send whole (${size}; at most ${(MAX_PROMPT_CHARS - SELECTION_PROMPT_MARGIN) / 1000}k characters). Truncate sends its first lines.`,
        { modal: true },
        truncate,
      );
  return choice === undefined ? undefined : choice === truncate;
}

async function askForOptions(): Promise<Pick<CreateSessionArgs, 'title' | 'tags' | 'createAsUserId'> | undefined> {
  const create = { label: '$(rocket) Create Session' };
  const withOptions = {
    label: '$(settings) Create with Options…',
    detail: 'Title, tags, or start the session on behalf of another user',
  };
  const choice = await vscode.window.showQuickPick([create, withOptions], {
    title: 'Devin: New Session',
    ignoreFocusOut: true,
  });
  if (!choice) return undefined;
  if (choice === create) return {};
  const title = await vscode.window.showInputBox({
    title: 'Session title (optional)',
    prompt: 'Leave empty to let Devin name it.',
    ignoreFocusOut: true,
  });
  if (title === undefined) return undefined;
  const tags = await vscode.window.showInputBox({
    title: 'Tags (optional)',
    prompt: 'Comma-separated, e.g. vscode, backend',
    ignoreFocusOut: true,
  });
  if (tags === undefined) return undefined;
  const createAsUserId = await vscode.window.showInputBox({
    title: 'Create as user (optional)',
    prompt: 'A user id to start the session for. Needs the ImpersonateOrgSessions permission.',
    ignoreFocusOut: true,
  });
  if (createAsUserId === undefined) return undefined;
  return {
    title: title.trim() || undefined,
    tags: tags
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean),
    createAsUserId: createAsUserId.trim() || undefined,
  };
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
            title: 'Devin: Retry Unsent Prompt',
            placeHolder: drafts.length ? 'Choose a prompt that failed to send' : 'No unsent prompts',
          },
        )
      )?.draft;
  if (!draft) return cancelled;
  return submit(context, { ...draft, draftId: draft.id });
}

interface Submission {
  readonly orgId: string | undefined;
  readonly prompt: string;
  readonly title?: string;
  readonly tags?: readonly string[];
  readonly createAsUserId?: string;
  readonly draftId?: string;
}

/** Sends the prompt; on any failure the prompt is kept as a draft and offered for retry. */
async function submit(context: CommandContext, submission: Submission): Promise<CreatedOutcome> {
  // Checked before anything is stored: the text stays where the user wrote it (editor or composer).
  const tooLong = promptTooLong(submission.prompt);
  if (tooLong) {
    void vscode.window.showWarningMessage(tooLong);
    return { ok: false, error: tooLong };
  }
  try {
    const organization = await pickOrganization(context, 'Devin: New Session', submission.orgId);
    if (!organization) return cancelled;
    const session = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Creating a Devin session in ${organization.name}…`,
        cancellable: true,
      },
      (_progress, cancellation) => {
        const controller = new AbortController();
        cancellation.onCancellationRequested(() => controller.abort());
        return context.account.getClient().createSession(organization.id, {
          prompt: submission.prompt,
          title: submission.title,
          tags: submission.tags,
          createAsUserId: submission.createAsUserId,
          signal: controller.signal,
        });
      },
    );
    if (submission.draftId) await context.drafts.remove(submission.draftId);
    announce(context, session, submission.prompt);
    return {
      ok: true,
      session: {
        id: session.id,
        orgId: session.orgId,
        url: session.url,
        title: sessionLabel(session, firstLine(submission.prompt)),
      },
    };
  } catch (error) {
    if (isDevinApiError(error) && error.kind === 'cancelled') return cancelled;
    const draft = await context.drafts.save<SessionDraft>({
      ...submission,
      kind: 'session',
      id: submission.draftId,
      lastError: isDevinApiError(error) ? error.kind : 'error',
    });
    const message = reportError(context.log, 'Could not create the Devin session (your prompt is kept)', error, [
      { title: 'Retry', run: () => vscode.commands.executeCommand(Command.retrySessionDraft, draft.id) },
      { title: 'Copy Prompt', run: () => vscode.env.clipboard.writeText(submission.prompt) },
    ]);
    return { ok: false, error: message, draftId: draft.id };
  }
}

function announce(context: CommandContext, session: Session, prompt: string): void {
  const label = sessionLabel(session, firstLine(prompt));
  context.log.info(`Created session ${session.id} in ${session.orgId}.`);
  // When the organization was never expanded its first page will include the new session anyway.
  const node =
    context.tree.addOrUpdateSession(session, firstLine(prompt)) ?? context.tree.organizationNode(session.orgId);
  if (node && context.treeView.visible)
    void context.treeView
      .reveal(node, { select: node.kind === 'session', focus: false, expand: node.kind === 'organization' })
      .then(undefined, () => undefined);
  const actions = session.url ? ['Open', 'Reveal'] : ['Reveal'];
  void vscode.window.showInformationMessage(`Devin session created: ${label}`, ...actions).then(async (choice) => {
    if (choice === 'Open' && session.url) await openServerUrl(session.url, 'session');
    if (choice === 'Reveal') {
      await vscode.commands.executeCommand('devin.sessions.focus');
      const row = context.tree.addOrUpdateSession(session);
      if (row) await context.treeView.reveal(row, { select: true, focus: true, expand: false });
    }
  });
}
