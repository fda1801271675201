import * as vscode from 'vscode';
import { findCreatedSession, type SentSession } from '../api/createdLookup';
import { isDevinApiError, isOutcomeUnknown, isUnreadableSuccess } from '../api/errors';
import type { SessionDraft } from '../core/drafts';
import type { Organization, Session } from '../core/models';
import { sendKey } from '../core/sendGuard';
import {
  LARGE_SELECTION_CHARS,
  buildSelectionPrompt,
  describeLines,
  firstLine,
  truncateSelection,
  type CodeSelection,
} from '../core/selectionPrompt';
import { sessionLabel } from '../core/sessionPresentation';
import { optionsFrom, pickOrganization, type CommandContext } from './commandContext';
import { askLineOrCompose } from './composer';
import { alreadySending, cancelled, errorMessage, reportError, type CommandOutcome } from './feedback';
import { findGitLocation } from './gitLocation';
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
  /** Absent only when Devin created the session but its answer could not be read and the lookup missed it. */
  session?: { id: string; orgId: string; url: string | undefined; title: string };
  /** The session came from an earlier attempt whose answer was lost; nothing new was created. */
  found?: boolean;
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
  if (selection.code.length > LARGE_SELECTION_CHARS && args.truncate !== false) {
    const shouldTruncate = args.truncate ?? (await askToTruncate(selection));
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

async function askToTruncate(selection: CodeSelection): Promise<boolean | undefined> {
  const lines = selection.endLine - selection.startLine + 1;
  const sendAll = 'Send All';
  const truncate = 'Truncate';
  const choice = await vscode.window.showWarningMessage(
    `The selection is large (${lines} lines, ${Math.round(selection.code.length / 1000)}k characters). Long prompts cost more ACUs and may be cut by Devin.`,
    { modal: true },
    truncate,
    sendAll,
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
  readonly uncertainSince?: number;
}

type CreatedSession = { id: string; orgId: string; url: string | undefined; title: string };

/** One create in flight per organization and prompt: a second press or a second Retry is told so. */
function submit(context: CommandContext, submission: Submission): Promise<CreatedOutcome> {
  return context.sendGuard.run(
    sendKey('session', submission.orgId, submission.prompt),
    () => submitOnce(context, submission),
    () => alreadySending('this prompt'),
  );
}

/**
 * Sends the prompt; on any failure the prompt is kept as a draft and offered for retry. A draft whose last
 * attempt may have reached Devin is first looked for among the sessions created since, and revealed if found.
 */
async function submitOnce(context: CommandContext, given: Submission): Promise<CreatedOutcome> {
  let attemptStarted: number | undefined;
  let organization: Organization | undefined;
  let submission = given;
  try {
    organization = await pickOrganization(context, 'Devin: New Session', submission.orgId);
    if (!organization) return cancelled;
    const orgId = organization.id;
    submission = withUncertainDraft(context, submission, orgId);
    const client = context.account.getClient();
    if (submission.uncertainSince !== undefined) {
      const since = submission.uncertainSince;
      const existing = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Looking for the session Devin may already have…' },
        () => findCreatedSession(client, sentSession(context, submission, orgId, since)),
      );
      if (existing) {
        if (submission.draftId) await context.drafts.remove(submission.draftId);
        context.log.info(`Session ${existing.id} from an earlier attempt found in ${orgId}; not created again.`);
        announce(context, existing, submission.prompt, 'Devin had already created this session');
        return { ok: true, found: true, session: createdSession(existing, submission.prompt) };
      }
    }
    attemptStarted = Date.now();
    const session = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Creating a Devin session in ${organization.name}…`,
        cancellable: true,
      },
      (_progress, cancellation) => {
        const controller = new AbortController();
        cancellation.onCancellationRequested(() => controller.abort());
        return client.createSession(orgId, {
          prompt: submission.prompt,
          title: submission.title,
          tags: submission.tags,
          createAsUserId: submission.createAsUserId,
          signal: controller.signal,
        });
      },
    );
    if (submission.draftId) await context.drafts.remove(submission.draftId);
    announce(context, session, submission.prompt, 'Devin session created');
    return { ok: true, session: createdSession(session, submission.prompt) };
  } catch (error) {
    if (organization && attemptStarted !== undefined && isUnreadableSuccess(error))
      return createdButUnreadable(context, submission, organization, attemptStarted);
    if (isDevinApiError(error) && error.kind === 'cancelled' && !error.outcomeUnknown) return cancelled;
    const unknown = isOutcomeUnknown(error);
    const uncertainSince = unknown
      ? Math.min(submission.uncertainSince ?? Infinity, attemptStarted ?? Date.now())
      : submission.uncertainSince;
    const draft = await context.drafts.save<SessionDraft>({
      ...submission,
      kind: 'session',
      id: submission.draftId,
      orgId: organization?.id ?? submission.orgId,
      lastError: unknown ? 'outcomeUnknown' : isDevinApiError(error) ? error.kind : 'error',
      uncertainSince,
    });
    const prefix = unknown
      ? 'The Devin session may have been created (your prompt is kept; Retry looks for it before creating another)'
      : 'Could not create the Devin session (your prompt is kept)';
    const message = reportError(context.log, prefix, error, [
      { title: 'Retry', run: () => vscode.commands.executeCommand(Command.retrySessionDraft, draft.id) },
      { title: 'Copy Prompt', run: () => vscode.env.clipboard.writeText(submission.prompt) },
    ]);
    return { ok: false, error: message, draftId: draft.id, outcomeUnknown: unknown };
  }
}

/** Devin answered 2xx, so the session exists; its answer could not be read, so find it to show it. */
async function createdButUnreadable(
  context: CommandContext,
  submission: Submission,
  organization: Organization,
  attemptStarted: number,
): Promise<CreatedOutcome> {
  if (submission.draftId) await context.drafts.remove(submission.draftId);
  let found: Session | undefined;
  try {
    found = await findCreatedSession(
      context.account.getClient(),
      sentSession(context, submission, organization.id, attemptStarted),
    );
  } catch (error) {
    context.log.warn(`Could not look up the new session in ${organization.id}: ${errorMessage(error)}`);
  }
  context.log.warn(`Devin created a session in ${organization.id} but its answer could not be read.`);
  if (found) {
    announce(context, found, submission.prompt, 'Devin session created');
    return { ok: true, session: createdSession(found, submission.prompt) };
  }
  context.tree.refresh(organization.id);
  void vscode.window.showInformationMessage(
    `Devin created the session in ${organization.name}, but its answer could not be read. The list has been refreshed to show it.`,
  );
  return { ok: true };
}

/**
 * The same prompt sent again to the same organization (Ctrl+Enter in the composer that stayed open, or the
 * command run anew) while a draft of it may already have created a session: continue that draft, so the
 * session is looked for first instead of made twice.
 */
function withUncertainDraft(context: CommandContext, submission: Submission, orgId: string): Submission {
  if (submission.uncertainSince !== undefined) return submission;
  const draft = context.drafts
    .list()
    .find(
      (candidate): candidate is SessionDraft =>
        candidate.kind === 'session' &&
        candidate.uncertainSince !== undefined &&
        candidate.orgId === orgId &&
        candidate.prompt === submission.prompt &&
        (candidate.title ?? '') === (submission.title ?? ''),
    );
  return draft ? { ...submission, draftId: draft.id, uncertainSince: draft.uncertainSince } : submission;
}

function sentSession(context: CommandContext, submission: Submission, orgId: string, since: number): SentSession {
  const identity = context.account.cachedIdentity();
  return {
    orgId,
    prompt: submission.prompt,
    title: submission.title,
    createAsUserId: submission.createAsUserId,
    since,
    creator: identity ? { kind: identity.kind, id: identity.id } : undefined,
  };
}

function createdSession(session: Session, prompt: string): CreatedSession {
  return { id: session.id, orgId: session.orgId, url: session.url, title: sessionLabel(session, firstLine(prompt)) };
}

function announce(context: CommandContext, session: Session, prompt: string, headline: string): void {
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
  void vscode.window.showInformationMessage(`${headline}: ${label}`, ...actions).then(async (choice) => {
    if (choice === 'Open' && session.url) await vscode.env.openExternal(vscode.Uri.parse(session.url));
    if (choice === 'Reveal') {
      await vscode.commands.executeCommand('devin.sessions.focus');
      const row = context.tree.addOrUpdateSession(session);
      if (row) await context.treeView.reveal(row, { select: true, focus: true, expand: false });
    }
  });
}
