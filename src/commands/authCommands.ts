import * as vscode from 'vscode';
import { isDevinApiError } from '../api/errors';
import type { DevinAccount } from '../auth/account';
import type { Identity } from '../core/models';
import { checkTokenShape, describeTokenProblem } from '../core/tokenShape';
import { cancelled, errorMessage, reportError, type CommandOutcome } from '../ui/feedback';
import { Command } from '../commandIds';

/** `devin.signIn` and `devin.signOut`. */

export const TOKEN_ENVIRONMENT_VARIABLE = 'DEVIN_SERVICE_USER_TOKEN';

export interface SignInArgs {
  /** For automation: skips the input box. Validated exactly like a typed token. */
  readonly token?: string;
}

export function registerAuthCommands(account: DevinAccount, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.signIn, (args?: SignInArgs) => signIn(account, log, args)),
    vscode.commands.registerCommand(Command.signOut, () => signOut(account)),
  ];
}

async function signIn(
  account: DevinAccount,
  log: vscode.LogOutputChannel,
  args?: SignInArgs,
): Promise<CommandOutcome<{ identity: Identity }>> {
  const token = args?.token !== undefined ? args.token.trim() : await askForToken();
  if (token === undefined) return cancelled;
  const problem = checkTokenShape(token);
  if (problem) {
    const message = describeTokenProblem(problem, token);
    void vscode.window.showErrorMessage(message);
    return { ok: false, error: message };
  }
  try {
    const identity = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Checking the token with Devin…'),
        cancellable: true,
      },
      (_progress, cancellation) => {
        const controller = new AbortController();
        cancellation.onCancellationRequested(() => controller.abort());
        return account.signIn(token, controller.signal);
      },
    );
    log.info(`Signed in as ${describeIdentity(identity)}.`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Signed in to Devin as {0}.', describeIdentity(identity)));
    return { ok: true, identity };
  } catch (error) {
    if (isDevinApiError(error) && error.kind === 'cancelled') return cancelled;
    if (isDevinApiError(error) && error.kind === 'unauthorized') {
      const message = vscode.l10n.t(
        'Devin did not accept this token: it may be mistyped, revoked or expired. Nothing was saved.',
      );
      log.warn(message);
      void vscode.window
        .showErrorMessage(message, vscode.l10n.t('Try Again'))
        .then((choice) => choice && vscode.commands.executeCommand(Command.signIn));
      return { ok: false, error: message };
    }
    const message = reportError(log, vscode.l10n.t('Could not sign in to Devin (nothing was saved)'), error, [
      { title: vscode.l10n.t('Try Again'), run: () => vscode.commands.executeCommand(Command.signIn) },
    ]);
    return { ok: false, error: message || errorMessage(error) };
  }
}

/** Offers the token from the environment when one is set, else asks for one in a masked input box. */
async function askForToken(): Promise<string | undefined> {
  const fromEnvironment = process.env[TOKEN_ENVIRONMENT_VARIABLE]?.trim();
  if (fromEnvironment) {
    const useEnvironment = {
      label: `$(key) ${vscode.l10n.t('Use the token in {0}', TOKEN_ENVIRONMENT_VARIABLE)}`,
      description: vscode.l10n.t('from the environment'),
    };
    const paste = { label: `$(edit) ${vscode.l10n.t('Paste a token…')}` };
    const choice = await vscode.window.showQuickPick([useEnvironment, paste], {
      title: vscode.l10n.t('Devin: Sign In'),
      placeHolder: vscode.l10n.t('Which token should Devin use?'),
    });
    if (!choice) return undefined;
    if (choice === useEnvironment) return fromEnvironment;
  }
  const token = await vscode.window.showInputBox({
    title: vscode.l10n.t('Devin: Sign In'),
    prompt: vscode.l10n.t(
      'Paste a Devin API token (a service user key or personal access token). It is kept in VS Code secret storage only.',
    ),
    placeHolder: 'cog_…',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => {
      const problem = checkTokenShape(value);
      // An empty box is not an error until the user tries to submit it.
      return problem && problem !== 'empty' ? describeTokenProblem(problem, value) : undefined;
    },
  });
  return token?.trim();
}

async function signOut(account: DevinAccount): Promise<CommandOutcome> {
  await account.signOut();
  void vscode.window.showInformationMessage(
    vscode.l10n.t('Signed out of Devin. The token was removed from secret storage.'),
  );
  return { ok: true };
}

export function describeIdentity(identity: Identity): string {
  const kind =
    identity.kind === 'service_user'
      ? vscode.l10n.t('service user')
      : identity.kind === 'pat_user'
        ? vscode.l10n.t({ message: 'user', args: [], comment: ['Kind of token: a personal access token of a user'] })
        : undefined;
  const details = [
    kind,
    identity.role ? vscode.l10n.t('role {0}', identity.role) : undefined,
    identity.orgId ? vscode.l10n.t('organization {0}', identity.orgId) : undefined,
  ].filter(Boolean);
  return details.length > 0
    ? vscode.l10n.t({
        message: '{0} ({1})',
        args: [identity.name, details.join(', ')],
        comment: ['A signed-in name, then what it is: "ci-bot (service user, role admin)"'],
      })
    : identity.name;
}
