import * as vscode from 'vscode';

/**
 * Multi-line follow-ups: an input box holds one line, so a message can be written in an untitled
 * Markdown editor instead and sent from its title bar (or Ctrl+Enter). The composer remembers which
 * session each such editor writes to, and publishes `devin.composingMessage` for the menus.
 */

export interface ComposeTarget {
  readonly orgId: string;
  readonly sessionId: string;
  readonly label: string;
}

export class MessageComposer implements vscode.Disposable {
  private readonly targets = new Map<string, ComposeTarget>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => void this.publish(editor)),
      vscode.workspace.onDidCloseTextDocument((document) => this.targets.delete(document.uri.toString())),
    );
  }

  async open(target: ComposeTarget, initialText: string): Promise<void> {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: initialText });
    this.targets.set(document.uri.toString(), target);
    await vscode.window.showTextDocument(document, { preview: false });
    void vscode.window.setStatusBarMessage(`Writing to Devin: ${target.label}. Send with the button in the editor title or Ctrl+Enter.`, 8000);
  }

  /** The message in the active composer editor, if that is what is active. */
  active(): { readonly target: ComposeTarget; readonly text: string; readonly document: vscode.TextDocument } | undefined {
    const document = vscode.window.activeTextEditor?.document;
    const target = document && this.targets.get(document.uri.toString());
    return target && document ? { target, text: document.getText(), document } : undefined;
  }

  /** Closes a composer editor without asking to save: the text was sent. */
  async close(document: vscode.TextDocument): Promise<void> {
    this.targets.delete(document.uri.toString());
    if (vscode.window.activeTextEditor?.document === document) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    this.targets.clear();
  }

  private publish(editor: vscode.TextEditor | undefined): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', 'devin.composingMessage', editor !== undefined && this.targets.has(editor.document.uri.toString()));
  }
}
