import * as vscode from 'vscode';
import { findSessionById } from '../actions/findSessionById';
import type { Session } from '../core/models';
import {
  SESSION_URI_PATH,
  editorSessionLink,
  parseSessionReference,
  parseSessionUriQuery,
  type SessionReference,
} from '../core/sessionLinks';
import { sessionLabel } from '../core/sessionPresentation';
import { Command } from '../commandIds';
import type { CommandContext } from '../ui/commandContext';
import { cancelled, errorMessage, type CommandOutcome } from '../ui/feedback';
import { applySessionUpdate, resolveSession } from './sessionTargets';
import { vscodeUi } from '../ui/vscodeUi';

/**
 * Getting to a session from a link: "Open Session by ID or URL…", the `vscode://…/session?id=…` handler,
 * and "Copy Session Link…" that makes either kind of link.
 */

/** The session panel's command; until it is registered the transcript stands in for it. */
const SESSION_PANEL_COMMAND = 'devin.openSession';

export interface OpenByIdArgs {
  /** An id or link; skips the input box. */
  readonly reference?: string;
  readonly orgId?: string;
}

export interface CopyLinkArgs {
  readonly orgId: string;
  readonly sessionId: string;
  readonly link?: 'web' | 'editor';
}

type OpenOutcome = CommandOutcome<{ session: Session; opened: string }>;

export function registerSessionLinkCommands(context: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.openSessionById, (args?: OpenByIdArgs) => openSessionById(context, args)),
    vscode.commands.registerCommand(Command.copySessionLink, (target?: unknown) => copySessionLink(context, target)),
    vscode.window.registerUriHandler({
      handleUri: async (uri) => {
        if (uri.path !== SESSION_URI_PATH) {
          void vscode.window.showWarningMessage(
            vscode.l10n.t('Devin cannot open this link ({0}): it is not a session link.', uri.path),
          );
          return;
        }
        const reference = parseSessionUriQuery(uri.query);
        if ('error' in reference) {
          void vscode.window.showWarningMessage(reference.error);
          return;
        }
        await openSessionById(context, { reference: reference.sessionId, orgId: reference.orgId });
      },
    }),
  ];
}

async function openSessionById(context: CommandContext, args: OpenByIdArgs | undefined): Promise<OpenOutcome> {
  const typed = args?.reference ?? (await askReference());
  if (typed === undefined) return cancelled;
  const parsed = parseSessionReference(typed);
  if ('error' in parsed) return failed(context, parsed.error, typed);
  const reference: SessionReference = { ...parsed, ...(args?.orgId ? { orgId: args.orgId } : {}) };
  let session: Session | undefined;
  try {
    session = await findSessionById(
      {
        client: context.account.getClient(),
        ui: vscodeUi(context.drafts),
        loadOrganizations: async () =>
          (await context.store.loadOrganizations()).map((organization) => ({
            orgId: organization.id,
            name: organization.name,
          })),
      },
      reference,
    );
  } catch (error) {
    return failed(context, vscode.l10n.t('Could not open {0}: {1}', reference.sessionId, errorMessage(error)), typed);
  }
  if (!session)
    return failed(
      context,
      vscode.l10n.t(
        'No organization your token can see has the session {0}. Check the ID, or sign in with a token of its organization.',
        reference.sessionId,
      ),
      typed,
    );
  await revealSession(context, session);
  const panel = (await vscode.commands.getCommands(true)).includes(SESSION_PANEL_COMMAND);
  if (panel) await vscode.commands.executeCommand(SESSION_PANEL_COMMAND, session);
  else await vscode.commands.executeCommand(Command.showConversation, { orgId: session.orgId, sessionId: session.id });
  return { ok: true, session, opened: panel ? SESSION_PANEL_COMMAND : Command.showConversation };
}

function askReference(value?: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t('Devin: Open Session by ID or URL'),
    prompt: vscode.l10n.t(
      'A session ID (devin-… or 32 hexadecimal characters) or a link to the session in the Devin app',
    ),
    placeHolder: vscode.l10n.t(
      '{0} or {1}',
      'devin-0123456789abcdef0123456789abcdef',
      'https://app.devin.ai/sessions/…',
    ),
    value,
    ignoreFocusOut: true,
    validateInput: (text) => {
      if (!text.trim()) return undefined;
      const parsed = parseSessionReference(text);
      return 'error' in parsed ? parsed.error : undefined;
    },
  });
}

/** What was typed comes back in the input box from "Try Again", so nothing has to be pasted twice. */
function failed(context: CommandContext, message: string, typed: string): OpenOutcome {
  context.log.warn(message);
  const tryAgain = vscode.l10n.t('Try Again');
  void vscode.window.showErrorMessage(message, tryAgain).then(async (choice) => {
    if (choice !== tryAgain) return;
    const again = await askReference(typed);
    if (again !== undefined) await openSessionById(context, { reference: again });
  });
  return { ok: false, error: message };
}

/** Loads the organization's rows if needed, shows the session among them and selects it. */
async function revealSession(context: CommandContext, session: Session): Promise<void> {
  const organization = context.tree.organizationNode(session.orgId);
  if (!organization) return;
  try {
    await context.tree.getChildren(organization);
    applySessionUpdate(context, session);
    const row = (await context.tree.getChildren(organization)).find(
      (node) => node.kind === 'session' && node.session.id === session.id,
    );
    if (row && context.treeView.visible) await context.treeView.reveal(row, { select: true, focus: false });
  } catch (error) {
    // Revealing is a courtesy; the session opens all the same.
    context.log.warn(`Could not reveal ${session.id} in the Devin view: ${errorMessage(error)}`);
  }
}

async function copySessionLink(context: CommandContext, target: unknown): Promise<CommandOutcome<{ link: string }>> {
  const session = await resolveSession(context, target, vscode.l10n.t('Devin: Copy Session Link'));
  if (!session) return cancelled;
  const webUrl = session.known?.url;
  const editorLink = editorSessionLink(vscode.env.uriScheme, session.sessionId, session.orgId);
  const wanted = (target as Partial<CopyLinkArgs> | undefined)?.link;
  let link: string | undefined;
  if (wanted === 'web' || wanted === 'editor') link = wanted === 'web' ? webUrl : editorLink;
  else {
    const choices = [
      ...(webUrl ? [{ label: vscode.l10n.t('Devin web app link'), description: webUrl, link: webUrl }] : []),
      {
        label: vscode.l10n.t('Editor link'),
        description: vscode.l10n.t('opens the session in VS Code'),
        detail: editorLink,
        link: editorLink,
      },
    ];
    link = (
      await vscode.window.showQuickPick(choices, {
        title: vscode.l10n.t('Copy a link to "{0}"', session.known ? sessionLabel(session.known) : session.sessionId),
      })
    )?.link;
    if (!link) return cancelled;
  }
  if (!link) return { ok: false, error: vscode.l10n.t('Devin did not give this session a web app link.') };
  await vscode.env.clipboard.writeText(link);
  void vscode.window.setStatusBarMessage(`$(clippy) ${vscode.l10n.t('Session link copied.')}`, 4000);
  return { ok: true, link };
}
