import type * as vscode from 'vscode';
import { recentSessions } from '../actions/recentSessions';
import { findDeliveredMessage } from '../api/createdLookup';
import type { DevinAccount } from '../auth/account';
import type { Page, Session, SessionMessage } from '../core/models';
import { toDevinId } from '../core/models';
import type { SessionPoller } from '../store/sessionPoller';
import type { SessionStore } from '../store/sessionStore';
import type { LiveUpdates } from '../views/liveUpdates';

/**
 * Everything the session panel reads and writes. Backed by the session store, which pushes changes
 * through `onDidChangeSession`.
 */
export interface SessionPanelSource {
  getSession(orgId: string, sessionId: string, signal?: AbortSignal): Promise<Session>;
  listMessages(orgId: string, sessionId: string, after?: string, signal?: AbortSignal): Promise<Page<SessionMessage>>;
  /** Resolves with the updated session when the API returned one (older shapes answer without it). */
  sendMessage(orgId: string, sessionId: string, text: string): Promise<Session | undefined>;
  /** The user's message with this text in the session, sent at or after `since` (ms since the epoch), if any. */
  findDelivered(orgId: string, sessionId: string, text: string, since: number): Promise<SessionMessage | undefined>;
  /** The organization's name, or its id when the token cannot list organizations. */
  organizationName(orgId: string): Promise<string>;
  /** Sessions a picker offers when the command runs without a target. */
  recentSessions(): Promise<readonly Session[]>;
  /** A newer picture of a session, from whoever else read it (the tree, another command). */
  readonly onDidChangeSession?: vscode.Event<Session>;
  /** Says the panel is open (and whether it is visible), so the source keeps its session current. */
  track?(sessionId: string): { setVisible(visible: boolean): void; dispose(): void };
  /** True while the API is waited for (failures stretch the wait, a Retry-After sets it): checks skip until then. */
  backingOff?(): boolean;
}

const MESSAGES_PAGE_SIZE = 100;

/**
 * Reads and writes through the session store, so the panel, the tree and the poller share one picture. An open
 * panel's reads go through the poller's back-off, and its session is not read again when the poller has read the
 * organization's changes since the panel last looked: the store's picture is then as new as a read would be.
 */
export function sessionPanelSourceFromStore(
  account: Pick<DevinAccount, 'getClient'>,
  store: SessionStore,
  liveUpdates: Pick<LiveUpdates, 'setSurfaceVisible'>,
  poller: Pick<SessionPoller, 'readBeside' | 'readsCovering' | 'holdOffUntil'>,
): SessionPanelSource {
  /** Per open panel's session: the poller's count of reads covering its organization when the panel last had it. */
  const lastAnswered = new Map<string, number | undefined>();
  return {
    getSession: async (orgId, sessionId, signal) => {
      const id = toDevinId(sessionId);
      const known = store.session(id);
      const answered = lastAnswered.get(id);
      if (known?.orgId === orgId && answered !== undefined && poller.readsCovering(orgId) > answered) {
        lastAnswered.set(id, poller.readsCovering(orgId));
        return known;
      }
      const session = await poller.readBeside(() => account.getClient().getSession(orgId, id, signal));
      store.addOrUpdateSession(session);
      if (lastAnswered.has(id)) lastAnswered.set(id, poller.readsCovering(orgId));
      return session;
    },
    listMessages: (orgId, sessionId, after, signal) =>
      poller.readBeside(() =>
        account.getClient().listMessages(orgId, sessionId, { first: MESSAGES_PAGE_SIZE, after, signal }),
      ),
    sendMessage: async (orgId, sessionId, text) => {
      const updated = await account.getClient().sendMessage(orgId, sessionId, text);
      if (updated) store.addOrUpdateSession(updated);
      return updated;
    },
    findDelivered: (orgId, sessionId, message, since) =>
      findDeliveredMessage(account.getClient(), { orgId, sessionId, message, since }),
    organizationName: async (orgId) => {
      // After a window reload the panel can load before the tree has listed the organizations.
      if (store.knownOrganizations().length === 0) await store.loadOrganizations().catch(() => undefined);
      return store.organizationOrId(orgId).name;
    },
    recentSessions: () => recentSessions(store, account.getClient()),
    onDidChangeSession: (listener) =>
      store.onDidChangeSessions((change) => {
        for (const session of change.changed) listener(session);
      }),
    track: (sessionId) => {
      // An open panel watches its session: the poller keeps it fresh (and notifications come) while hidden.
      store.watch(sessionId);
      lastAnswered.set(toDevinId(sessionId), undefined);
      let visibility: { dispose(): void } | undefined;
      return {
        setVisible: (visible) => {
          visibility?.dispose();
          visibility = liveUpdates.setSurfaceVisible(`panel:${sessionId}`, visible);
        },
        dispose: () => {
          visibility?.dispose();
          store.unwatch(sessionId);
          lastAnswered.delete(toDevinId(sessionId));
        },
      };
    },
    backingOff: () => poller.holdOffUntil !== undefined,
  };
}
