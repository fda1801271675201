import * as vscode from 'vscode';
import {
  createSession,
  keepUnsentSession,
  sessionRequestOf,
  type CreateSessionOutcome,
} from '../actions/createSession';
import type { Organization, Session, SessionRequest } from '../core/models';
import { firstLine, promptTooLong } from '../core/selectionPrompt';
import { sendKey } from '../core/sendGuard';
import { sessionLabel } from '../core/sessionPresentation';
import { pickOrganization, type CommandContext } from '../ui/commandContext';
import { alreadySending, cancelled, errorMessage, reportError, type CommandOutcome } from '../ui/feedback';
import { openServerUrl } from '../ui/openExternal';
import { vscodeUi } from '../ui/vscodeUi';
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

export interface Submission extends SessionRequest {
  readonly orgId: string | undefined;
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
 * Picks the organization once and hands it to the create action; shows what came of it. On any failure the
 * prompt is kept as a draft and offered for retry.
 */
async function submitOnce(context: CommandContext, submission: Submission): Promise<CreatedOutcome> {
  const ui = vscodeUi(context.drafts);
  const request = sessionRequestOf(submission);
  const retry = { draftId: submission.draftId, uncertainSince: submission.uncertainSince };
  let organization: Organization | undefined;
  try {
    organization = await pickOrganization(context, vscode.l10n.t('Devin: New Session'), submission.orgId);
  } catch (error) {
    // Nothing was sent; the prompt is kept all the same, under the organization it was meant for if named.
    const kept = await keepUnsentSession(ui, submission.orgId, request, retry, error);
    return kept.kind === 'failed' ? showFailure(context, kept, request) : cancelled;
  }
  if (!organization) return cancelled;
  const identity = context.account.cachedIdentity();
  const outcome = await createSession(
    {
      client: context.account.getClient(),
      ui,
      creator: identity ? { kind: identity.kind, id: identity.id } : undefined,
    },
    { orgId: organization.id, name: organization.name },
    request,
    retry,
  );
  return show(context, outcome, request, organization);
}

function show(
  context: CommandContext,
  outcome: CreateSessionOutcome,
  request: SessionRequest,
  organization: Organization,
): CreatedOutcome {
  switch (outcome.kind) {
    case 'found':
      context.log.info(
        `Session ${outcome.session.id} from an earlier attempt found in ${organization.id}; not created again.`,
      );
      announce(context, outcome.session, request.prompt, 'found');
      return { ok: true, found: true, session: createdSession(outcome.session, request.prompt) };
    case 'created':
      announce(context, outcome.session, request.prompt, 'created');
      return { ok: true, session: createdSession(outcome.session, request.prompt) };
    case 'createdButUnreadable':
      return createdButUnreadable(context, outcome, request, organization);
    case 'cancelled':
      return cancelled;
    case 'failed':
      return showFailure(context, outcome, request);
  }
}

/** The prompt is kept; the message says whether Devin may have it, and Retry continues the same draft. */
function showFailure(
  context: CommandContext,
  outcome: Extract<CreateSessionOutcome, { kind: 'failed' }>,
  request: SessionRequest,
): CreatedOutcome {
  const prefix = outcome.outcomeUnknown
    ? vscode.l10n.t(
        'The Devin session may have been created (your prompt is kept; Retry looks for it before creating another)',
      )
    : outcome.checkFailed
      ? vscode.l10n.t('Could not check whether Devin already created the session (your prompt is kept)')
      : vscode.l10n.t('Could not create the Devin session (your prompt is kept)');
  const draftId = outcome.draftId;
  const message = reportError(context.log, prefix, outcome.error, [
    {
      title: vscode.l10n.t('Retry'),
      run: () => vscode.commands.executeCommand(Command.retrySessionDraft, draftId),
    },
    { title: vscode.l10n.t('Copy Prompt'), run: () => vscode.env.clipboard.writeText(request.prompt) },
  ]);
  return { ok: false, error: message, draftId, outcomeUnknown: outcome.outcomeUnknown };
}

/** Devin answered 2xx, so the session exists; its answer could not be read, so it was looked for to show it. */
function createdButUnreadable(
  context: CommandContext,
  outcome: Extract<CreateSessionOutcome, { kind: 'createdButUnreadable' }>,
  request: SessionRequest,
  organization: Organization,
): CreatedOutcome {
  if (outcome.lookupError !== undefined)
    context.log.warn(`Could not look up the new session in ${organization.id}: ${errorMessage(outcome.lookupError)}`);
  context.log.warn(`Devin created a session in ${organization.id} but its answer could not be read.`);
  if (outcome.session) {
    announce(context, outcome.session, request.prompt, 'created');
    return { ok: true, session: createdSession(outcome.session, request.prompt) };
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
