import * as vscode from 'vscode';
import type { Session } from '../core/models';
import { Command, OPEN_SESSION_COMMAND } from '../commandIds';

/**
 * Opens a session where the user can read and answer it: the session panel when it is installed, else the
 * read-only transcript.
 */
export async function openSession(session: Session): Promise<void> {
  const commands = await vscode.commands.getCommands(true);
  if (commands.includes(OPEN_SESSION_COMMAND)) await vscode.commands.executeCommand(OPEN_SESSION_COMMAND, session);
  else await vscode.commands.executeCommand(Command.showConversation, { orgId: session.orgId, sessionId: session.id });
}
