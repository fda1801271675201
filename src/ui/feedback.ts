import * as vscode from 'vscode';
import { errorMessage } from '../actions/errorText';
import { isDevinApiError } from '../api/errors';
import { Command } from '../commandIds';

/**
 * How failures reach the user: one message they can act on, buttons that fit the failure, and a line
 * in the Devin log. Never a stack trace, never a token.
 */

/** What a command reports back to its caller (other commands, tests, keybindings ignore it). */
export type CommandFailure = {
  readonly ok: false;
  readonly cancelled?: boolean;
  readonly error?: string;
  readonly draftId?: string;
  /** The same send was already in flight; nothing was sent. */
  readonly alreadySending?: boolean;
  /** Sent, but the answer was lost: Devin may have carried it out. */
  readonly outcomeUnknown?: boolean;
};
export type CommandOutcome<T = object> = ({ readonly ok: true } & T) | CommandFailure;

export const cancelled: CommandFailure = { ok: false, cancelled: true };

export { errorMessage };

/**
 * A write that failed, reported with a Retry that runs `command` again with what was typed (`retryArgs`): when the
 * answer was lost, that run first looks for what the first attempt made, so Retry never makes a second one.
 */
export function reportWithRetry(
  log: vscode.LogOutputChannel,
  prefix: string,
  error: unknown,
  outcomeUnknown: boolean,
  command: string,
  retryArgs: unknown,
): { ok: false; outcomeUnknown: boolean; error: string } {
  const retry = { title: vscode.l10n.t('Retry'), run: () => vscode.commands.executeCommand(command, retryArgs) };
  return { ok: false, outcomeUnknown, error: reportError(log, prefix, error, [retry]) };
}

/**
 * Shows `prefix: message` with buttons suited to the failure plus any `extra` ones, and runs the
 * matching follow-up. Not awaited by callers: a notification the user never answers must not keep a
 * command (or a test waiting on it) pending.
 */
export function reportError(
  log: vscode.LogOutputChannel,
  prefix: string,
  error: unknown,
  extra: ReadonlyArray<{ readonly title: string; readonly run: () => unknown }> = [],
): string {
  const message = vscode.l10n.t({
    message: '{0}: {1}',
    args: [prefix, errorMessage(error)],
    comment: ['What failed, then why, e.g. "Could not archive the session: Devin did not answer."'],
  });
  log.error(message);
  const actions = [...extra];
  if (isDevinApiError(error)) {
    if (error.kind === 'unauthorized' || error.kind === 'signedOut' || error.kind === 'invalidToken')
      actions.push({ title: vscode.l10n.t('Sign In'), run: () => vscode.commands.executeCommand(Command.signIn) });
    // A connection lost after the request was sent says nothing about the address being wrong.
    if ((error.kind === 'network' && !error.outcomeUnknown) || error.kind === 'invalidSettings')
      actions.push({
        title: vscode.l10n.t('Open Settings'),
        run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'devin.apiBaseUrl'),
      });
  }
  actions.push({ title: vscode.l10n.t('Show Log'), run: () => log.show(true) });
  void vscode.window
    .showErrorMessage(message, ...actions.map((action) => action.title))
    .then((choice) => actions.find((action) => action.title === choice)?.run());
  return message;
}

/**
 * Said when the same send is already on its way, instead of sending it twice. `message` is the whole
 * sentence ("Already sending … to Devin. Wait for it to finish."), so each one translates as a sentence.
 */
export function alreadySending(message: string): CommandFailure {
  void vscode.window.showInformationMessage(message);
  return { ok: false, alreadySending: true, error: message };
}

/** A modal question before something that cannot be undone; true only when the user chose `action`. */
export async function confirmDestructive(question: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(question, { modal: true }, action)) === action;
}
