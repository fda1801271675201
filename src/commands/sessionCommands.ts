import * as vscode from 'vscode';
import { readConversation } from '../actions/conversation';
import { isSessionRef, type SessionRef } from '../core/models';
import { sendKey } from '../core/sendGuard';
import { conversationMarkdown } from '../core/reports';
import { statusLook } from '../core/sessionPresentation';
import { type LoadMoreNode, organizationOfRow, pullRequestOfRow, sessionOfRow } from '../views/nodes';
import type { ReadonlyDocuments } from '../views/readonlyDocuments';
import { resourceOfRow } from '../views/resourceNodes';
import type { CommandContext } from '../ui/commandContext';
import { askLineOrCompose } from '../ui/composer';
import { deliverMessage, type SentOutcome } from './messageDelivery';
import { pickKnownSession, resolveSession } from './sessionTargets';
import { alreadySending, cancelled, reportError, type CommandOutcome } from '../ui/feedback';
import { openServerUrl } from '../ui/openExternal';
import { Command } from '../commandIds';
import { vscodeUi } from '../ui/vscodeUi';

/** Commands on existing sessions: follow-up messages, opening in the browser, paging and refresh. */

export interface SendMessageArgs extends SessionRef {
  /** Skips the input box (automation, tests). */
  readonly message?: string;
  /** Opens the multi-line composer with this text instead of the input box. */
  readonly compose?: string;
}

export function registerSessionCommands(context: CommandContext, documents: ReadonlyDocuments): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.showConversation, (target?: unknown) =>
      showConversation(context, documents, target),
    ),
    vscode.commands.registerCommand(Command.sendMessage, (target?: unknown) => sendMessage(context, target)),
    vscode.commands.registerCommand(Command.sendComposed, () => sendComposed(context)),
    vscode.commands.registerCommand(Command.retryMessageDraft, (draftId: string) =>
      retryMessageDraft(context, draftId),
    ),
    vscode.commands.registerCommand(Command.openSessionInBrowser, (target?: unknown) =>
      openSessionInBrowser(context, target),
    ),
    vscode.commands.registerCommand(Command.openPullRequest, (target?: unknown) => openPullRequest(target)),
    vscode.commands.registerCommand(Command.copySessionUrl, (target?: unknown) => {
      const url = sessionOfRow(target)?.url;
      return url && vscode.env.clipboard.writeText(url);
    }),
    vscode.commands.registerCommand(Command.copySessionId, (target?: unknown) => {
      const session = sessionOfRow(target);
      return session && vscode.env.clipboard.writeText(session.id);
    }),
    vscode.commands.registerCommand(Command.loadMoreSessions, (target?: LoadMoreNode) => loadMore(context, target)),
    vscode.commands.registerCommand(Command.refresh, (target?: unknown) => refresh(context, target)),
  ];
}

/** Everything, one organization (its sessions, schedules and Knowledge), or one group of an organization's rows. */
function refresh(context: CommandContext, target: unknown): void {
  const group = resourceOfRow(target);
  if (group) {
    context.tree.reloadResource(group.orgId, group.resource);
    return;
  }
  const orgId = organizationOfRow(target)?.id ?? (typeof target === 'string' ? target : undefined);
  if (orgId !== undefined) {
    context.tree.reloadResource(orgId, 'schedules');
    context.tree.reloadResource(orgId, 'knowledge');
  }
  context.store.refresh(orgId);
}

async function sendMessage(
  context: CommandContext,
  target: unknown,
  retry?: { draftId: string; uncertainSince?: number },
): Promise<SentOutcome> {
  const resolved = await resolveSession(context, target, vscode.l10n.t('Devin: Send Message'), { includeEnded: false });
  if (!resolved) return cancelled;
  const session = {
    id: resolved.sessionId,
    orgId: resolved.orgId,
    status: resolved.known?.status ?? 'unknown',
    statusDetail: resolved.known?.statusDetail,
    label: resolved.label,
  };
  const look = statusLook(session.status, session.statusDetail);
  if (look.isTerminal) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        '"{0}" has ended ({1}); Devin cannot receive messages in it. Start a new session instead.',
        session.label,
        look.label.toLowerCase(),
      ),
    );
    return { ok: false, error: vscode.l10n.t('Session has ended.') };
  }
  const given = isSessionRef(target) ? (target as SendMessageArgs) : undefined;
  const typed: { text: string } | { compose: string } | undefined =
    given?.message !== undefined
      ? { text: given.message }
      : given?.compose !== undefined
        ? { compose: given.compose }
        : await askLineOrCompose({
            title: vscode.l10n.t('Message Devin: {0}', session.label),
            prompt:
              session.status === 'suspended'
                ? vscode.l10n.t('This session is suspended: sending a message resumes it.')
                : look.needsUser
                  ? vscode.l10n.t('Devin is waiting for your reply.')
                  : vscode.l10n.t('Send a follow-up message to this session.'),
            placeholder: vscode.l10n.t('Your message (use the button on the right for several lines)'),
            emptyMessage: vscode.l10n.t('Type a message, or press Escape to cancel.'),
            composeTooltip: vscode.l10n.t('Write a longer, multi-line message in an editor'),
          });
  if (!typed) return cancelled;
  if ('compose' in typed) {
    await context.composer.open(
      { kind: 'message', orgId: session.orgId, sessionId: session.id, label: session.label },
      typed.compose,
    );
    return cancelled;
  }
  const text = typed.text;
  if (!text.trim()) return cancelled;
  // One message in flight per session: a second Ctrl+Enter or Retry while the first is on its way sends nothing.
  return context.sendGuard.run(
    sendKey('message', session.orgId, session.id),
    () => deliverMessage(context, session, text, retry),
    () =>
      alreadySending(
        vscode.l10n.t('Already sending a message to "{0}" to Devin. Wait for it to finish.', session.label),
      ),
  );
}

/** Sends a kept message again as it was written. */
async function retryMessageDraft(context: CommandContext, draftId: string): Promise<SentOutcome> {
  const draft = context.drafts.get(draftId);
  if (!draft || draft.kind !== 'message') return { ok: false, error: vscode.l10n.t('That message is no longer kept.') };
  return sendMessage(
    context,
    { orgId: draft.orgId, sessionId: draft.sessionId, message: draft.message },
    { draftId: draft.id, uncertainSince: draft.uncertainSince },
  );
}

/** Sends what is written in the active composer editor (a message or a session prompt); on failure the editor stays open. */
async function sendComposed(context: CommandContext): Promise<CommandOutcome> {
  const composed = context.composer.active();
  if (!composed) return { ok: false, error: vscode.l10n.t('The active editor is not text for Devin.') };
  if (!composed.text.trim()) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Write something for Devin first.'));
    return cancelled;
  }
  // Ctrl+Enter pressed again while this editor's text is on its way must not send it twice.
  return context.sendGuard.run(
    sendKey('composer', composed.document.uri.toString()),
    () => sendComposedOnce(context, composed),
    () =>
      alreadySending(
        composed.target.kind === 'message'
          ? vscode.l10n.t('Already sending this message to Devin. Wait for it to finish.')
          : vscode.l10n.t('Already sending this prompt to Devin. Wait for it to finish.'),
      ),
  );
}

async function sendComposedOnce(
  context: CommandContext,
  composed: NonNullable<ReturnType<CommandContext['composer']['active']>>,
): Promise<CommandOutcome> {
  const { target } = composed;
  const outcome: CommandOutcome =
    target.kind === 'message'
      ? await sendMessage(context, { orgId: target.orgId, sessionId: target.sessionId, message: composed.text })
      : ((await vscode.commands.executeCommand(Command.createSession, {
          prompt: composed.text,
          orgId: target.orgId,
          title: target.title,
          tags: target.tags,
          createAsUserId: target.createAsUserId,
        })) as CommandOutcome);
  if (outcome.ok) await context.composer.close(composed.document);
  return outcome;
}

/** Opens the session's messages as a read-only transcript. */
async function showConversation(
  context: CommandContext,
  documents: ReadonlyDocuments,
  target: unknown,
): Promise<CommandOutcome<{ messages: number }>> {
  const resolved = await resolveSession(context, target, vscode.l10n.t('Devin: Show Conversation'));
  if (!resolved) return cancelled;
  const session = { id: resolved.sessionId, orgId: resolved.orgId, label: resolved.label, url: resolved.known?.url };
  try {
    const { items, truncated } = await readConversation(
      { client: context.account.getClient(), ui: vscodeUi(context.drafts) },
      { orgId: session.orgId, sessionId: session.id },
    );
    await documents.show(
      `/${vscode.l10n.t('Sessions')}/${session.label.replace(/[\\/]/g, '-')}.md`,
      conversationMarkdown(session.label, session.url, items, truncated),
    );
    return { ok: true, messages: items.length };
  } catch (error) {
    return {
      ok: false,
      error: reportError(context.log, vscode.l10n.t('Could not read the conversation of "{0}"', session.label), error),
    };
  }
}

/** From a session or pull-request row, `{ url }`, or else the user's pick. */
async function openSessionInBrowser(context: CommandContext, target?: unknown): Promise<boolean> {
  const url = sessionOfRow(target)?.url ?? (target as { url?: unknown } | undefined)?.url;
  if (typeof url !== 'string' || !url) {
    const picked = await pickKnownSession(context, {
      title: vscode.l10n.t('Devin: Open Session in Browser'),
      includeEnded: true,
    });
    if (!picked?.url) return false;
    return openServerUrl(picked.url, 'session');
  }
  return openServerUrl(url, 'session');
}

/** A pull-request row's own, or one of a session row's. */
async function openPullRequest(target?: unknown): Promise<boolean> {
  const fromRow = pullRequestOfRow(target);
  if (fromRow) return openServerUrl(fromRow.url, 'pullRequest');
  const pullRequests = sessionOfRow(target)?.pullRequests ?? [];
  const picked =
    pullRequests.length === 1
      ? pullRequests[0]
      : (
          await vscode.window.showQuickPick(
            pullRequests.map((pr) => ({ label: pr.url, description: pr.state, pr })),
            { title: vscode.l10n.t('Open Pull Request') },
          )
        )?.pr;
  return picked ? openServerUrl(picked.url, 'pullRequest') : false;
}

async function loadMore(context: CommandContext, target?: LoadMoreNode): Promise<void> {
  if (!target) return;
  try {
    await context.store.loadMore(target.organization.id);
  } catch (error) {
    reportError(context.log, vscode.l10n.t('Could not load more sessions of {0}', target.organization.name), error, [
      { title: vscode.l10n.t('Retry'), run: () => loadMore(context, target) },
    ]);
  }
}
