import * as vscode from 'vscode';
import { describeUnsafeUrl, safeExternalUrl } from '../core/externalUrl';

/** Opens a link from the server in the browser if it is `https:`; otherwise says why not and opens nothing. */
export async function openServerUrl(raw: string | undefined, what: 'session' | 'pullRequest'): Promise<boolean> {
  const url = safeExternalUrl(raw);
  if (!url) {
    void vscode.window.showErrorMessage(describeUnsafeUrl(raw, linkName(what)));
    return false;
  }
  return vscode.env.openExternal(vscode.Uri.parse(url, true));
}

/** The link's name inside "The {0} link from Devin was not opened: …". */
function linkName(what: 'session' | 'pullRequest'): string {
  return what === 'session'
    ? vscode.l10n.t({ message: 'session', args: [], comment: ['Fills "The {0} link from Devin was not opened"'] })
    : vscode.l10n.t({ message: 'pull request', args: [], comment: ['Fills "The {0} link from Devin was not opened"'] });
}
