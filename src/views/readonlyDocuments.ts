import * as vscode from 'vscode';
import { redactSecrets } from '../core/redaction';

/**
 * Read-only documents under the `devin-view:` scheme (audit log, knowledge notes): they open in an
 * ordinary editor, can be searched and copied, and cannot be saved back by mistake.
 */
export class ReadonlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  static readonly scheme = 'devin-view';
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /**
   * `path` ends in `.md` so the document opens as Markdown (with preview available); `query` tells apart
   * two documents that a path alone would merge (notes of one name).
   */
  async show(path: string, content: string, query = ''): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: ReadonlyDocuments.scheme, path, query });
    // Server text (audit entries, notes, transcripts) could echo the token back.
    this.contents.set(uri.toString(), redactSecrets(content));
    this.changed.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(document, { preview: true });
  }

  dispose(): void {
    this.changed.dispose();
    this.contents.clear();
  }
}
