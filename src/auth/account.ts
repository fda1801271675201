import * as vscode from 'vscode';
import { DevinClient } from '../api/client';
import { DevinApiError } from '../api/errors';
import type { SkippedRows } from '../api/rows';
import type { Identity } from '../core/models';
import { readSettings, type DevinSettings } from '../config';
import { DEFAULT_API_BASE_URL } from '../core/apiBaseUrl';
import { knownSecrets } from '../core/redaction';
import type { TokenStore } from './tokenStore';

/** Asks whether the stored token may go to `origin`, which differs from the one it was checked against. */
export type OriginApproval = (request: {
  readonly origin: string;
  readonly boundOrigin: string | undefined;
}) => Promise<boolean>;

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
  /** Origins the user refused the token to, until the settings change or the user signs in again. */
  private readonly declinedOrigins = new Set<string>();
  /** One question per origin, however many requests are waiting for the answer. */
  private readonly pendingApprovals = new Map<string, Promise<boolean>>();

  /** Fires on sign-in, sign-out (any window) and connection settings changes. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly tokens: TokenStore,
    private readonly userAgent: string,
    private readonly approveOrigin: OriginApproval = askToSendTokenToOrigin,
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
    this.client ??= this.createClient((settings) => this.tokenFor(settings));
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
    knownSecrets.add(token);
    const settings = this.settings();
    const probe = this.createClient(async () => token, settings);
    try {
      const identity = await probe.getSelf(signal);
      // Bound to the origin it was checked against: that host has now seen it and vouched for it.
      await this.tokens.store(token, settings.apiOrigin);
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
    this.declinedOrigins.clear();
    const old = this.client;
    this.client = undefined;
    this.identity = undefined;
    this.identityRequest = undefined;
    void old?.dispose();
    this.changed.fire();
  }

  /**
   * The stored token, if it may go to the configured origin: the one it was checked against, or one the user
   * has just agreed to (which becomes its new binding). Throws rather than sending it anywhere else.
   */
  private async tokenFor(settings: DevinSettings): Promise<string | undefined> {
    const token = await this.tokens.get();
    if (!token) return undefined;
    knownSecrets.add(token);
    const origin = settings.apiOrigin;
    const boundOrigin = await this.tokens.getOrigin();
    if (boundOrigin === origin) return token;
    // Tokens saved before bindings existed were made for Devin's own host; only another host needs asking.
    if (boundOrigin === undefined && origin === DEFAULT_API_BASE_URL) {
      await this.tokens.bindOrigin(origin).catch(() => undefined);
      return token;
    }
    if (this.declinedOrigins.has(origin)) throw originDeclined(origin, boundOrigin);
    let approval = this.pendingApprovals.get(origin);
    if (!approval) {
      approval = this.approveOrigin({ origin, boundOrigin }).finally(() => this.pendingApprovals.delete(origin));
      this.pendingApprovals.set(origin, approval);
    }
    if (!(await approval)) {
      this.declinedOrigins.add(origin);
      throw originDeclined(origin, boundOrigin);
    }
    if ((await this.tokens.getOrigin()) !== origin) await this.tokens.bindOrigin(origin);
    return token;
  }

  private createClient(
    getToken: (settings: DevinSettings) => Promise<string | undefined>,
    settings: DevinSettings = this.settings(),
  ): DevinClient {
    return new DevinClient({
      baseUrl: settings.apiBaseUrl,
      apiVersion: settings.apiVersion,
      // Checked before the token is read, so an unusable base URL never receives one.
      getToken: async () => {
        if (settings.apiBaseUrlProblem)
          throw new DevinApiError({ kind: 'invalidSettings', settingProblem: settings.apiBaseUrlProblem });
        return getToken(settings);
      },
      proxyUrl: settings.proxyUrl,
      rejectUnauthorized: settings.proxyStrictSSL,
      userAgent: this.userAgent,
      timeoutMs: settings.requestTimeoutMs,
      onSkippedRows: this.onSkippedRows,
    });
  }
}

function originDeclined(origin: string, boundOrigin: string | undefined): DevinApiError {
  return new DevinApiError({
    kind: 'invalidSettings',
    settingProblem: boundOrigin
      ? vscode.l10n.t(
          'Your Devin token was not sent to {0} (devin.apiBaseUrl), because you did not allow it. It was saved for {1}. Change the setting back, or run "Devin: Sign In" to use a token with this host.',
          origin,
          boundOrigin,
        )
      : vscode.l10n.t(
          'Your Devin token was not sent to {0} (devin.apiBaseUrl), because you did not allow it. Change the setting back, or run "Devin: Sign In" to use a token with this host.',
          origin,
        ),
  });
}

export async function askToSendTokenToOrigin(request: {
  readonly origin: string;
  readonly boundOrigin: string | undefined;
}): Promise<boolean> {
  const allow = vscode.l10n.t('Send Token to {0}', request.origin);
  const savedFor = request.boundOrigin
    ? vscode.l10n.t('Your Devin token was checked with {0}.', request.boundOrigin)
    : vscode.l10n.t('Your Devin token was saved before this extension recorded its host.');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('The devin.apiBaseUrl setting now points to {0}. Send your Devin token there?', request.origin),
    {
      modal: true,
      detail: `${savedFor} ${vscode.l10n.t(
        'Whoever runs {0} will receive it. Allow this only if you set this address yourself. You will not be asked again for this host.',
        request.origin,
      )}`,
    },
    allow,
  );
  return choice === allow;
}
