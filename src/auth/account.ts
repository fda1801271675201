import * as vscode from 'vscode';
import { DevinClient } from '../api/client';
import { DevinApiError } from '../api/errors';
import type { SkippedRows } from '../api/rows';
import type { Identity } from '../core/models';
import { readSettings, type DevinSettings } from '../config';
import type { TokenStore } from './tokenStore';

/**
 * Who the user is to Devin: the token (through `TokenStore`), the identity it resolves to, and the API
 * client built from the current settings. Everything that talks to the API gets its client here, so a
 * settings change or a sign-out in another window reaches every feature at once.
 */
export class DevinAccount implements vscode.Disposable {
  private client: DevinClient | undefined;
  private identity: Identity | undefined;
  private identityRequest: Promise<Identity> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];

  /** Fires on sign-in, sign-out (any window) and connection settings changes. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly tokens: TokenStore,
    private readonly userAgent: string,
    private readonly onSkippedRows?: (report: SkippedRows) => void,
  ) {
    this.disposables.push(
      this.changed,
      tokens.onDidChange(() => this.reset()),
    );
  }

  settings(): DevinSettings {
    return readSettings();
  }

  async isSignedIn(): Promise<boolean> {
    return (await this.tokens.get()) !== undefined;
  }

  /** The API client for the stored token; calls fail with a `signedOut` error when there is none. */
  getClient(): DevinClient {
    this.client ??= this.createClient(() => this.tokens.get());
    return this.client;
  }

  /** The identity behind the stored token, fetched once per sign-in. */
  getIdentity(signal?: AbortSignal): Promise<Identity> {
    if (this.identity) return Promise.resolve(this.identity);
    this.identityRequest ??= this.getClient()
      .getSelf(signal)
      .then((identity) => (this.identity = identity))
      .finally(() => (this.identityRequest = undefined));
    return this.identityRequest;
  }

  cachedIdentity(): Identity | undefined {
    return this.identity;
  }

  /**
   * Checks a candidate token with the identity call and stores it only if Devin accepts it. Throws
   * the API's error (401 for a bad token) and stores nothing on failure.
   */
  async signIn(token: string, signal?: AbortSignal): Promise<Identity> {
    const probe = this.createClient(async () => token);
    try {
      const identity = await probe.getSelf(signal);
      await this.tokens.store(token);
      this.reset();
      this.identity = identity;
      return identity;
    } finally {
      void probe.dispose();
    }
  }

  async signOut(): Promise<void> {
    await this.tokens.delete();
    this.reset();
  }

  /** Settings changed: rebuild the client on next use. */
  reconnect(): void {
    this.reset();
  }

  /** Signed-out errors need no network round trip to detect. */
  async requireSignedIn(): Promise<void> {
    if (!(await this.isSignedIn())) throw new DevinApiError({ kind: 'signedOut' });
  }

  dispose(): void {
    void this.client?.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }

  private reset(): void {
    const old = this.client;
    this.client = undefined;
    this.identity = undefined;
    this.identityRequest = undefined;
    void old?.dispose();
    this.changed.fire();
  }

  private createClient(getToken: () => Promise<string | undefined>): DevinClient {
    const settings = this.settings();
    return new DevinClient({
      baseUrl: settings.apiBaseUrl,
      apiVersion: settings.apiVersion,
      getToken,
      proxyUrl: settings.proxyUrl,
      rejectUnauthorized: settings.proxyStrictSSL,
      userAgent: this.userAgent,
      timeoutMs: settings.requestTimeoutMs,
      onSkippedRows: this.onSkippedRows,
    });
  }
}
