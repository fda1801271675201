import * as vscode from 'vscode';
import { isSessionRef, toDevinId, type Session, type SessionRef } from '../core/models';
import { sessionLabel } from '../core/sessionPresentation';
import { sessionOfRow } from '../views/nodes';
import type { CommandContext } from '../ui/commandContext';
import { recentSessions } from '../actions/recentSessions';
import { pickSession } from '../ui/sessionPicker';

/**
 * How every session command finds its session (a row, options from another command or a test,
 * or a pick from the palette) and the one place where an answer from the API reaches the view.
 */

/** A session a command acts on: its ids, the label to name it by, and the session as last seen when known. */
export interface ResolvedSession extends SessionRef {
  readonly label: string;
  /** The session as last seen, when the view or the palette had it. */
  readonly known: Session | undefined;
}

export async function resolveSession(
  context: CommandContext,
  target: unknown,
  pickTitle: string,
  options: { readonly includeEnded?: boolean } = {},
): Promise<ResolvedSession | undefined> {
  const row = sessionOfRow(target);
  if (row) return fromSession(context, row);
  if (isSessionRef(target)) {
    const known = context.store.session(target.sessionId);
    if (known) return fromSession(context, known);
    const sessionId = toDevinId(target.sessionId);
    return { orgId: target.orgId, sessionId, label: sessionId, known: undefined };
  }
  const picked = await pickKnownSession(context, { includeEnded: options.includeEnded ?? true, title: pickTitle });
  return picked ? fromSession(context, picked) : undefined;
}

/** Named as its row names it (an untitled session created here by its prompt's first line). */
function fromSession(context: CommandContext, session: Session): ResolvedSession {
  return {
    orgId: session.orgId,
    sessionId: session.id,
    label: sessionLabel(session, context.store.promptHint(session.id)),
    status: session.status,
    known: session,
  };
}

/**
 * Shows what the API answered about a session: its row updates at once, and rows that no longer belong
 * under the view's filter (a session just archived while archived ones are hidden) leave it. This is the
 * seam a session store replaces: the commands only ever call this.
 */
export function applySessionUpdate(context: CommandContext, session: Session): void {
  context.store.addOrUpdateSession(session);
}

/** A session the API no longer knows: reload its organization so the stale row goes away. */
export function forgetVanishedSession(context: CommandContext, session: Pick<SessionRef, 'orgId'>): void {
  context.store.refresh(session.orgId);
}

/** The session picker over the sessions the view knows, or the newest ones when it knows none yet. */
export function pickKnownSession(
  context: CommandContext,
  options: { readonly title: string; readonly includeEnded: boolean },
): Promise<Session | undefined> {
  return pickSession(context.log, () => recentSessions(context.store, context.account.getClient()), options);
}

/** Lets the user know without holding up the command (a notification nobody answers must not block it). */
export function inform(message: string): void {
  void vscode.window.showInformationMessage(message);
}
