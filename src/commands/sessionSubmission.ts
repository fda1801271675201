import * as path from 'node:path';
import * as vscode from 'vscode';
import { findCreatedSession, type SentSession } from '../api/createdLookup';
import { isDevinApiError, isOutcomeUnknown, isUnreadableSuccess } from '../api/errors';
import type { SessionDraft } from '../core/drafts';
import type { Organization, Session } from '../core/models';
import { firstLine, promptTooLong } from '../core/selectionPrompt';
import { sendKey } from '../core/sendGuard';
import { sessionLabel } from '../core/sessionPresentation';
import { pickOrganization, type CommandContext } from './commandContext';
import type { CreateOptions } from './createOptions';
import { alreadySending, cancelled, errorMessage, reportError, type CommandOutcome } from './feedback';
import { openServerUrl } from './openExternal';
import { Command } from '../commandIds';

/**
 * Sending a session prompt: one send in flight per organization and prompt, the prompt kept as a draft on
 * failure, and a create whose answer was lost looked for before it is sent again.
 */

export type CreatedOutcome = CommandOutcome<{
  /** Absent only when Devin created the session but its answer could not be read and the lookup missed it. */
  session?: { id: string; orgId: string; url: string | undefined; title: string };
  /** The session came from an earlier attempt whose answer was lost; nothing new was created. */
  found?: boolean;
}>;

export interface Submission extends CreateOptions {
  readonly orgId: string | undefined;
  readonly prompt: string;
  readonly draftId?: string;
  readonly uncertainSince?: number;
}

type CreatedSession = { id: string; orgId: string; url: string | undefined; title: string };

/** One create in flight per organization and prompt: a second press or a second Retry is told so. */
export function submit(context: CommandContext, submission: Submission): Promise<CreatedOutcome> {
  // Checked before anything is stored: the text stays where the user wrote it (editor or composer).
  const tooLong = promptTooLong(submission.prompt);
  if (tooLong) {
    void vscode.window.showWarningMessage(tooLong);
    return Promise.resolve({ ok: false, error: tooLong });
  }
  return context.sendGuard.run(
    sendKey('session', submission.orgId, submission.prompt),
    () => submitOnce(context, submission),
    () => alreadySending(vscode.l10n.t('Already sending this prompt to Devin. Wait for it to finish.')),
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
    organization = await pickOrganization(context, vscode.l10n.t('Devin: New Session'), submission.orgId);
    if (!organization) return cancelled;
    const orgId = organization.id;
    submission = withUncertainDraft(context, submission, orgId);
    const client = context.account.getClient();
    if (submission.uncertainSince !== undefined) {
      const since = submission.uncertainSince;
      const existing = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('Looking for the session Devin may already have…'),
        },
        () => findCreatedSession(client, sentSession(context, submission, orgId, since)),
      );
      if (existing) {
        if (submission.draftId) await context.drafts.remove(submission.draftId);
        context.log.info(`Session ${existing.id} from an earlier attempt found in ${orgId}; not created again.`);
        announce(context, existing, submission.prompt, 'found');
        return { ok: true, found: true, session: createdSession(existing, submission.prompt) };
      }
    }
    attemptStarted = Date.now();
    const session = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Creating a Devin session in {0}…', organization.name),
        cancellable: true,
      },
      async (progress, cancellation) => {
        const controller = new AbortController();
        cancellation.onCancellationRequested(() => controller.abort());
        const prompt = await withUploadedAttachments(context, orgId, submission, progress, controller.signal);
        return client.createSession(orgId, {
          prompt,
          title: submission.title,
          tags: submission.tags,
          createAsUserId: submission.createAsUserId,
          playbookId: submission.playbookId,
          knowledgeIds: submission.knowledgeIds,
          repos: submission.repos,
          maxAcuLimit: submission.maxAcuLimit,
          signal: controller.signal,
        });
      },
    );
    if (submission.draftId) await context.drafts.remove(submission.draftId);
    announce(context, session, submission.prompt, 'created');
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
      ? vscode.l10n.t(
          'The Devin session may have been created (your prompt is kept; Retry looks for it before creating another)',
        )
      : attemptStarted === undefined && submission.uncertainSince !== undefined
        ? vscode.l10n.t('Could not check whether Devin already created the session (your prompt is kept)')
        : vscode.l10n.t('Could not create the Devin session (your prompt is kept)');
    const message = reportError(context.log, prefix, error, [
      { title: vscode.l10n.t('Retry'), run: () => vscode.commands.executeCommand(Command.retrySessionDraft, draft.id) },
      { title: vscode.l10n.t('Copy Prompt'), run: () => vscode.env.clipboard.writeText(submission.prompt) },
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
    announce(context, found, submission.prompt, 'created');
    return { ok: true, session: createdSession(found, submission.prompt) };
  }
  context.store.refresh(organization.id);
  void vscode.window.showInformationMessage(
    vscode.l10n.t(
      'Devin created the session in {0}, but its answer could not be read. The list has been refreshed to show it.',
      organization.name,
    ),
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

/** `found`: an earlier attempt whose answer was lost had created it. */
function announce(context: CommandContext, session: Session, prompt: string, how: 'created' | 'found'): void {
  const label = sessionLabel(session, firstLine(prompt));
  context.log.info(`Created session ${session.id} in ${session.orgId}.`);
  // When the organization was never expanded its first page will include the new session anyway.
  context.store.addOrUpdateSession(session, firstLine(prompt));
  // A session started here is one the user waits on: it is watched for notifications while the view is hidden.
  context.store.watch(session.id);
  const node = context.tree.sessionNode(session.id) ?? context.tree.organizationNode(session.orgId);
  if (node && context.treeView.visible)
    void context.treeView
      .reveal(node, { select: node.kind === 'session', focus: false, expand: node.kind === 'organization' })
      .then(undefined, () => undefined);
  const open = vscode.l10n.t('Open');
  const reveal = vscode.l10n.t('Reveal');
  const actions = session.url ? [open, reveal] : [reveal];
  const message =
    how === 'found'
      ? vscode.l10n.t('Devin had already created this session: {0}', label)
      : vscode.l10n.t('Devin session created: {0}', label);
  void vscode.window.showInformationMessage(message, ...actions).then(async (choice) => {
    if (choice === open && session.url) await openServerUrl(session.url, 'session');
    if (choice === reveal) {
      await vscode.commands.executeCommand('devin.sessions.focus');
      context.store.addOrUpdateSession(session);
      const row = context.tree.sessionNode(session.id);
      if (row) await context.treeView.reveal(row, { select: true, focus: true, expand: false });
    }
  });
}

/** Files are read and uploaded first; each becomes an `ATTACHMENT:"url"` line after the prompt (§4.8). */
async function withUploadedAttachments(
  context: CommandContext,
  orgId: string,
  submission: Submission,
  progress: vscode.Progress<{ message?: string }>,
  signal: AbortSignal,
): Promise<string> {
  if (!submission.attachments?.length) return submission.prompt;
  const lines: string[] = [];
  for (const file of submission.attachments) {
    const name = path.basename(file);
    progress.report({ message: vscode.l10n.t('uploading {0}', name) });
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(vscode.Uri.file(file));
    } catch {
      throw new Error(vscode.l10n.t('Could not read {0} to attach it.', file));
    }
    const uploaded = await context.account.getClient().uploadAttachment(orgId, { name, bytes }, signal);
    lines.push(`ATTACHMENT:"${uploaded.url}"`);
  }
  return `${submission.prompt.trimEnd()}\n\n${lines.join('\n')}`;
}
