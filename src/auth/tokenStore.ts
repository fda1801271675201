import * as vscode from 'vscode';

/**
 * The only code that touches the Devin token. It lives in SecretStorage under one key that must never
 * change (changing it would sign every user out); SecretStorage is shared by all windows, so changes
 * made in another window arrive through `onDidChange`.
 *
 * Beside it, under a second key, the origin (`https://host[:port]`) the token was checked against: the
 * token is only ever sent there unless the user agrees to another. The origin is not secret, but it is kept
 * in SecretStorage rather than globalState so that it lives and dies with the token (one store, one
 * cross-window change event, removed together on sign-out) and a stale binding cannot outlive its token.
 */
const TOKEN_SECRET_KEY = 'devin.apiToken';
const TOKEN_ORIGIN_KEY = 'devin.apiTokenOrigin';

export class TokenStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable;
  private cached: Promise<string | undefined> | undefined;
  private cachedOrigin: Promise<string | undefined> | undefined;
  /**
   * The token this window last wrote or read. Secret storage also reports this window's own writes, some time
   * after they return; those must not count as a change, or every sign-in would reload the view a second time
   * (collapsing what the user just expanded) and ask for the identity again.
   */
  private known: string | undefined;

  /** Fires when another window saves or deletes the token (this window's own writes are reported by the caller). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key === TOKEN_ORIGIN_KEY) this.cachedOrigin = undefined;
      if (event.key !== TOKEN_SECRET_KEY) return;
      void this.followExternalChange();
    });
  }

  get(): Promise<string | undefined> {
    this.cached ??= this.read();
    return this.cached;
  }

  private async read(): Promise<string | undefined> {
    const token = (await this.secrets.get(TOKEN_SECRET_KEY)) || undefined;
    this.known = token;
    return token;
  }

  private async followExternalChange(): Promise<void> {
    const before = this.known;
    const token = (await Promise.resolve(this.secrets.get(TOKEN_SECRET_KEY)).catch(() => undefined)) || undefined;
    if (token === before || token === this.known) return;
    this.known = token;
    this.cached = Promise.resolve(token);
    this.cachedOrigin = undefined;
    this.changed.fire();
  }

  /** The origin the stored token is bound to; undefined for a token saved before bindings existed. */
  getOrigin(): Promise<string | undefined> {
    this.cachedOrigin ??= Promise.resolve(this.secrets.get(TOKEN_ORIGIN_KEY)).then((origin) => origin || undefined);
    return this.cachedOrigin;
  }

  /**
   * Saves the token and the origin it was checked against. Nothing is cached until secret storage has
   * accepted both: a token the store refused must not be used, or the user would be told nothing was saved
   * while the view works with it until the window closes.
   */
  async store(token: string, origin: string): Promise<void> {
    // Origin first: other windows re-read both when the token changes, so the binding must already be there.
    const previousOrigin = await Promise.resolve(this.secrets.get(TOKEN_ORIGIN_KEY)).catch(() => undefined);
    try {
      await this.secrets.store(TOKEN_ORIGIN_KEY, origin);
    } catch (error) {
      this.cachedOrigin = undefined;
      throw new SecretStorageError(error);
    }
    const knownBefore = this.known;
    this.known = token;
    try {
      await this.secrets.store(TOKEN_SECRET_KEY, token);
    } catch (error) {
      this.known = knownBefore;
      // The previous token (if any) stays; so must the origin it was bound to.
      await Promise.resolve(
        previousOrigin ? this.secrets.store(TOKEN_ORIGIN_KEY, previousOrigin) : this.secrets.delete(TOKEN_ORIGIN_KEY),
      ).catch(() => undefined);
      this.cached = undefined;
      this.cachedOrigin = undefined;
      throw new SecretStorageError(error);
    }
    this.cachedOrigin = Promise.resolve(origin);
    this.cached = Promise.resolve(token);
  }

  /** The user agreed to send the stored token to another origin: that origin is now the trusted one. */
  async bindOrigin(origin: string): Promise<void> {
    try {
      await this.secrets.store(TOKEN_ORIGIN_KEY, origin);
    } catch (error) {
      this.cachedOrigin = undefined;
      throw new SecretStorageError(error);
    }
    this.cachedOrigin = Promise.resolve(origin);
  }

  async delete(): Promise<void> {
    this.known = undefined;
    this.cached = Promise.resolve(undefined);
    this.cachedOrigin = Promise.resolve(undefined);
    await this.secrets.delete(TOKEN_SECRET_KEY);
    await this.secrets.delete(TOKEN_ORIGIN_KEY);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** Secret storage refused a write (no keyring, locked keychain): said as such, with its reason. */
export class SecretStorageError extends Error {
  constructor(cause: unknown) {
    const reason = cause instanceof Error && cause.message ? cause.message : undefined;
    super(
      reason
        ? vscode.l10n.t(
            'VS Code could not save the token in its secret storage ({0}). Nothing was saved and the token is not used. Check that your system keyring is available, then sign in again.',
            reason,
          )
        : vscode.l10n.t(
            'VS Code could not save the token in its secret storage. Nothing was saved and the token is not used. Check that your system keyring is available, then sign in again.',
          ),
    );
    this.name = 'SecretStorageError';
  }
}
