import * as vscode from 'vscode';
import type { Session } from '../core/models';
import { sessionDescription, sessionLabel, sortForMessaging, statusLook } from '../core/sessionPresentation';
import { reportError } from './feedback';

/**
 * The one session picker, for every command and the session panel: sessions waiting for the user first, each
 * with its status icon, title and what it is doing. Busy while `load` reads; a failed read is reported and
 * picks nothing.
 */
export async function pickSession(
  log: vscode.LogOutputChannel,
  load: () => Promise<readonly Session[]>,
  options: { readonly title: string; readonly includeEnded: boolean },
): Promise<Session | undefined> {
  const picker = vscode.window.createQuickPick<vscode.QuickPickItem & { session: Session }>();
  picker.title = options.title;
  picker.placeholder = vscode.l10n.t('Choose a session (those waiting for you are listed first)');
  picker.matchOnDescription = true;
  picker.busy = true;
  picker.show();
  try {
    const sessions = await load();
    const nowSeconds = Math.floor(Date.now() / 1000);
    picker.items = sortForMessaging(
      sessions.filter(
        (session) => options.includeEnded || !statusLook(session.status, session.statusDetail).isTerminal,
      ),
    ).map((session) => ({
      label: `$(${statusLook(session.status, session.statusDetail).icon.replace('~spin', '')}) ${sessionLabel(session)}`,
      description: sessionDescription(session, nowSeconds),
      session,
    }));
    picker.busy = false;
    return await new Promise<Session | undefined>((resolve) => {
      picker.onDidAccept(() => resolve(picker.selectedItems[0]?.session));
      picker.onDidHide(() => resolve(undefined));
    });
  } catch (error) {
    reportError(log, vscode.l10n.t('Could not list Devin sessions'), error);
    return undefined;
  } finally {
    picker.dispose();
  }
}
