import * as vscode from 'vscode';

/**
 * The only code that touches the Devin token. It lives in SecretStorage under one key that must never
 * change (changing it would sign every user out); SecretStorage is shared by all windows, so changes
 * made in another window arrive through `onDidChange`.
 */
const TOKEN_SECRET_KEY = 'devin.apiToken';

export class TokenStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable;
  private cached: Promise<string | undefined> | undefined;

  /** Fires when the token is saved or deleted, in this window or another. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key !== TOKEN_SECRET_KEY) return;
      this.cached = undefined;
      this.changed.fire();
    });
  }

  get(): Promise<string | undefined> {
    this.cached ??= Promise.resolve(this.secrets.get(TOKEN_SECRET_KEY)).then((token) => token || undefined);
    return this.cached;
  }

  async store(token: string): Promise<void> {
    this.cached = Promise.resolve(token);
    await this.secrets.store(TOKEN_SECRET_KEY, token);
  }

  async delete(): Promise<void> {
    this.cached = Promise.resolve(undefined);
    await this.secrets.delete(TOKEN_SECRET_KEY);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
