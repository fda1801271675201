import * as vscode from 'vscode';
import { describeUnsafeUrl, safeExternalUrl } from '../core/externalUrl';

/** Opens a link from the server in the browser if it is `https:`; otherwise says why not and opens nothing. */
export async function openServerUrl(raw: string | undefined, what: string): Promise<boolean> {
  const url = safeExternalUrl(raw);
  if (!url) {
    void vscode.window.showErrorMessage(describeUnsafeUrl(raw, what));
    return false;
  }
  return vscode.env.openExternal(vscode.Uri.parse(url, true));
}
