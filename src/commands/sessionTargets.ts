import * as vscode from 'vscode';
import type { Session } from '../core/models';
import { toDevinId } from '../core/models';
import { sessionLabel } from '../core/sessionPresentation';
import { PullRequestNode, SessionNode } from '../views/nodes';
import type { CommandContext } from '../ui/commandContext';
import { pickKnownSession } from './sessionCommands';

/**
 * How the session action commands find their session (a row, options from another command or a test,
 * or a pick from the palette) and the one place where an answer from the API reaches the view.
 */

/** Options form of a session target, for callers other than the tree's context menu. */
export interface SessionArgs {
  readonly orgId: string;
  readonly sessionId: string;
}

export interface TargetSession {
  readonly id: string;
  readonly orgId: string;
  readonly label: string;
  /** The session as last seen, when the view or the palette had it. */
  readonly known: Session | undefined;
}

export async function resolveSession(
  context: CommandContext,
  target: unknown,
  pickTitle: string,
  options: { readonly includeEnded?: boolean } = {},
): Promise<TargetSession | undefined> {
  if (target instanceof SessionNode || target instanceof PullRequestNode) return fromSession(target.session);
  if (isSessionArgs(target)) {
    const id = toDevinId(target.sessionId);
    const known = context.store.knownSessions().find((candidate) => candidate.id === id);
    return { id, orgId: target.orgId, label: known ? sessionLabel(known) : id, known };
  }
  const picked = await pickKnownSession(context, { includeEnded: options.includeEnded ?? true, title: pickTitle });
  return picked ? fromSession(picked) : undefined;
}

function fromSession(session: Session): TargetSession {
  return { id: session.id, orgId: session.orgId, label: sessionLabel(session), known: session };
}

export function isSessionArgs(value: unknown): value is SessionArgs {
  if (!value || typeof value !== 'object') return false;
  const candidate = value as Partial<SessionArgs>;
  return typeof candidate.orgId === 'string' && typeof candidate.sessionId === 'string';
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
export function forgetVanishedSession(context: CommandContext, session: Pick<TargetSession, 'orgId'>): void {
  context.store.refresh(session.orgId);
}

/** Lets the user know without holding up the command (a notification nobody answers must not block it). */
export function inform(message: string): void {
  void vscode.window.showInformationMessage(message);
}
