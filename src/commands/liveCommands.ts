import * as vscode from 'vscode';
import type { Session } from '../core/models';
import { sessionDescription, sessionLabel, statusLook } from '../core/sessionPresentation';
import type { SessionStore } from '../store/sessionStore';
import { Command } from '../commandIds';
import type { MutedSessions } from '../views/mutedSessions';
import { sessionOfRow } from '../views/nodes';
import { openSession } from '../views/openSession';
import { needsUser } from '../views/sessionStatusBar';

/** Muting a session's notifications, and the list behind the status bar entry. */

export function registerLiveCommands(
  store: SessionStore,
  muted: MutedSessions,
  redrawRows: (orgId: string) => void,
): vscode.Disposable[] {
  /** From a tree row, or the session itself (from a panel or another command). */
  const toggle = async (target: unknown, mute: boolean): Promise<boolean> => {
    const session = sessionOfRow(target) ?? (target as Session | undefined);
    if (!session?.id) return false;
    await (mute ? muted.mute(session.id) : muted.unmute(session.id));
    redrawRows(session.orgId);
    void vscode.window.setStatusBarMessage(
      mute
        ? `$(bell-slash) ${vscode.l10n.t('No more notifications for "{0}".', sessionLabel(session))}`
        : `$(bell) ${vscode.l10n.t('Notifications for "{0}" are back on.', sessionLabel(session))}`,
      4000,
    );
    return true;
  };
  return [
    vscode.commands.registerCommand(Command.muteSession, (target?: unknown) => toggle(target, true)),
    vscode.commands.registerCommand(Command.unmuteSession, (target?: unknown) => toggle(target, false)),
    vscode.commands.registerCommand(Command.showWaitingSessions, () => showWaitingSessions(store)),
  ];
}

async function showWaitingSessions(store: SessionStore): Promise<void> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const waiting = store.knownSessions().filter(needsUser);
  if (waiting.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No Devin session is waiting for you.'));
    return;
  }
  const picked = await vscode.window.showQuickPick(
    waiting
      .sort((a, b) => (b.updatedAt ?? 0) - (a.updatedAt ?? 0))
      .map((session) => ({
        label: `$(${statusLook(session.status, session.statusDetail).icon}) ${sessionLabel(session, store.promptHint(session.id))}`,
        description: `${store.organizationOrId(session.orgId).name} · ${sessionDescription(session, nowSeconds)}`,
        session,
      })),
    {
      title: vscode.l10n.t('Devin: Sessions Waiting for You'),
      placeHolder: vscode.l10n.t('Open a session to answer Devin'),
      matchOnDescription: true,
    },
  );
  if (picked) await openSession(picked.session);
}
