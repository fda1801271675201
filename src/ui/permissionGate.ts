import * as vscode from 'vscode';
import { Command } from '../commandIds';
import { missingPermissionMessage, type Capability } from '../core/permissions';
import type { CommandContext } from './commandContext';
import type { CommandFailure } from './feedback';

/**
 * Run from the palette, a command the token cannot use explains which permission is missing and who can
 * grant it, before asking for any input. Undefined when the command may go ahead (granted, or unknown:
 * then the API's own 403 still explains).
 */
export async function refuseWithoutPermission(
  context: CommandContext,
  capability: Capability,
): Promise<CommandFailure | undefined> {
  const state = (await context.permissions?.state(capability)) ?? 'unknown';
  if (state !== 'denied') return undefined;
  const message = missingPermissionMessage(capability);
  context.log.warn(message);
  const identity = vscode.l10n.t('Show Signed-In Identity');
  const signIn = vscode.l10n.t('Sign In with Another Token');
  void vscode.window.showWarningMessage(message, identity, signIn).then((choice) => {
    if (choice === identity) void vscode.commands.executeCommand(Command.showIdentity);
    if (choice === signIn) void vscode.commands.executeCommand(Command.signIn);
  });
  return { ok: false, error: message };
}
