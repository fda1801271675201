import * as vscode from 'vscode';
import { describeUnsafeUrl, safeExternalUrl } from '../core/externalUrl';

/** What became of a server link: opened in the browser, or refused with the message the user was shown. */
export interface ServerUrlOutcome {
  readonly opened: boolean;
  readonly refused?: string;
}

/**
 * Opens a link from the server in the browser if it is `https:`; otherwise says why not and opens nothing. Every
 * link from the server that leaves VS Code goes through here.
 */
export async function openServerUrlWithOutcome(
  raw: string | undefined,
  what: 'session' | 'pullRequest',
): Promise<ServerUrlOutcome> {
  const url = safeExternalUrl(raw);
  if (!url) {
    const refused = describeUnsafeUrl(raw, linkName(what));
    void vscode.window.showErrorMessage(refused);
    return { opened: false, refused };
  }
  return { opened: await vscode.env.openExternal(vscode.Uri.parse(url, true)) };
}

/** As openServerUrlWithOutcome, answering only whether the link was opened. */
export async function openServerUrl(raw: string | undefined, what: 'session' | 'pullRequest'): Promise<boolean> {
  return (await openServerUrlWithOutcome(raw, what)).opened;
}

/** The link's name inside "The {0} link from Devin was not opened: …". */
function linkName(what: 'session' | 'pullRequest'): string {
  return what === 'session'
    ? vscode.l10n.t({ message: 'session', args: [], comment: ['Fills "The {0} link from Devin was not opened"'] })
    : vscode.l10n.t({ message: 'pull request', args: [], comment: ['Fills "The {0} link from Devin was not opened"'] });
}
