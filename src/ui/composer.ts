import * as vscode from 'vscode';
import { ContextKey } from '../commandIds';

/**
 * Longer text for Devin (a multi-line follow-up, or a whole session prompt to review before sending)
 * is written in an untitled Markdown editor and sent from its title bar or with Ctrl+Enter. The
 * composer remembers what each such editor is for and publishes `devin.composing` for the menus.
 */

export type ComposeTarget =
  | { readonly kind: 'message'; readonly orgId: string; readonly sessionId: string; readonly label: string }
  | {
      readonly kind: 'session';
      readonly orgId?: string;
      readonly title?: string;
      readonly tags?: readonly string[];
      readonly createAsUserId?: string;
      readonly label: string;
    };

export class Composer implements vscode.Disposable {
  private readonly targets = new Map<string, ComposeTarget>();
  private counter = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => void this.publish(editor)),
      vscode.workspace.onDidCloseTextDocument((document) => this.targets.delete(document.uri.toString())),
    );
  }

  async open(target: ComposeTarget, initialText: string): Promise<void> {
    const document = await vscode.workspace.openTextDocument(
      this.freshUri(target.kind === 'message' ? vscode.l10n.t('Message to Devin') : vscode.l10n.t('New Devin session')),
    );
    this.targets.set(document.uri.toString(), target);
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    if (initialText) await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), initialText));
    void vscode.window.setStatusBarMessage(
      target.kind === 'message'
        ? vscode.l10n.t(
            'Writing a message to {0}. Send it with the button in the editor title or Ctrl+Enter.',
            target.label,
          )
        : vscode.l10n.t('Writing a new session prompt. Send it with the button in the editor title or Ctrl+Enter.'),
      8000,
    );
  }

  /** The text in the active composer editor, if that is what is active. */
  active():
    { readonly target: ComposeTarget; readonly text: string; readonly document: vscode.TextDocument } | undefined {
    const document = vscode.window.activeTextEditor?.document;
    const target = document && this.targets.get(document.uri.toString());
    return target && document ? { target, text: document.getText(), document } : undefined;
  }

  /** Closes a composer editor without asking to save: the text was sent. */
  async close(document: vscode.TextDocument): Promise<void> {
    this.targets.delete(document.uri.toString());
    if (document.isClosed) return;
    // Only the active editor can be reverted and closed without a save prompt; sending may have moved focus.
    if (vscode.window.activeTextEditor?.document !== document)
      await vscode.window.showTextDocument(document, { preview: false });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    this.targets.clear();
  }

  /**
   * A named untitled document that no open document uses. Plain `Untitled-N` names are reused as soon
   * as one closes, and the workbench can then bring back the closed text under the reused name.
   */
  private freshUri(title: string): vscode.Uri {
    const taken = new Set(vscode.workspace.textDocuments.map((document) => document.uri.toString()));
    for (;;) {
      const uri = vscode.Uri.from({ scheme: 'untitled', path: `${title} ${++this.counter}.md` });
      if (!taken.has(uri.toString())) return uri;
    }
  }

  private publish(editor: vscode.TextEditor | undefined): Thenable<unknown> {
    return vscode.commands.executeCommand(
      'setContext',
      ContextKey.composing,
      editor !== undefined && this.targets.has(editor.document.uri.toString()),
    );
  }
}

/** Every text here is shown as given: callers pass translated strings. */
export interface LineOrComposeOptions {
  readonly title: string;
  readonly prompt: string;
  readonly placeholder: string;
  readonly emptyMessage: string;
  readonly composeTooltip: string;
  /** More buttons beside the composer one; each needs the line typed first and answers with its id. */
  readonly buttons?: readonly { readonly id: string; readonly icon: string; readonly tooltip: string }[];
}

/** `button` is set when one of the extra buttons (not Enter) finished the input. */
type LineOrCompose = { text: string; button?: string } | { compose: string };

/** One line in an input box, or (through its button) a request to continue in a composer editor. */
export function askLineOrCompose(options: LineOrComposeOptions): Promise<LineOrCompose | undefined> {
  const input = vscode.window.createInputBox();
  input.title = options.title;
  input.prompt = options.prompt;
  input.placeholder = options.placeholder;
  input.ignoreFocusOut = true;
  const compose = { iconPath: new vscode.ThemeIcon('go-to-file'), tooltip: options.composeTooltip };
  const extra = (options.buttons ?? []).map((button) => ({
    id: button.id,
    iconPath: new vscode.ThemeIcon(button.icon),
    tooltip: button.tooltip,
  }));
  input.buttons = [...extra, compose];
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: LineOrCompose | undefined) => {
      if (settled) return;
      settled = true;
      resolve(value);
      input.dispose();
    };
    input.onDidChangeValue(() => (input.validationMessage = undefined));
    input.onDidTriggerButton((button) => {
      const chosen = extra.find((candidate) => candidate === button);
      if (!chosen) return finish({ compose: input.value });
      if (input.value.trim()) finish({ button: chosen.id, text: input.value });
      else input.validationMessage = options.emptyMessage;
    });
    input.onDidAccept(() => {
      if (input.value.trim()) finish({ text: input.value });
      else input.validationMessage = options.emptyMessage;
    });
    input.onDidHide(() => finish(undefined));
    input.show();
  });
}
