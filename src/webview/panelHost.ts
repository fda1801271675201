import * as vscode from 'vscode';
import { knownSecrets } from '../core/redaction';

/**
 * The one place the host writes into a panel: its tab title and the messages its page receives. Titles,
 * conversations, tags, names and error texts come from the server and can echo a token back, so each passes
 * through the redactor here. The lint configuration keeps `postMessage`, `createWebviewPanel` and panel
 * titles out of every other file, so a new caller cannot skip it.
 */

/** Longer titles are cut in the tab; the page's own header shows the whole title. */
const MAX_TITLE_LENGTH = 40;

export function createPanel(
  viewType: string,
  title: string,
  options: vscode.WebviewPanelOptions & vscode.WebviewOptions,
): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(viewType, safeTitle(title), vscode.ViewColumn.Active, options);
}

export class PanelHost<Message extends { readonly type: string }> {
  /** The last message of each type as the page received it, for the test-only debug commands. */
  private readonly lastOfType = new Map<string, Message>();

  constructor(private readonly panel: vscode.WebviewPanel) {}

  /**
   * Posts the redacted copy and returns it. Delivery is not awaited: it fails while the page is hidden (and
   * torn down), and a page says it is ready again when shown.
   */
  post<M extends Message>(message: M): M {
    const safe = knownSecrets.redactDeep(message);
    this.lastOfType.set(safe.type, safe);
    void this.panel.webview.postMessage(safe);
    return safe;
  }

  setTitle(title: string): void {
    this.panel.title = safeTitle(title);
  }

  posted(): Message[] {
    return [...this.lastOfType.values()];
  }
}

function safeTitle(title: string): string {
  return knownSecrets.redactShortened(title, MAX_TITLE_LENGTH);
}
