import type * as vscode from 'vscode';
import { findDeliveredMessage } from '../api/createdLookup';
import type { DevinAccount } from '../auth/account';
import type { Page, Session, SessionMessage } from '../core/models';
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
}

const MESSAGES_PAGE_SIZE = 100;

/** Reads and writes through the session store, so the panel, the tree and the poller share one picture. */
export function sessionPanelSourceFromStore(
  account: DevinAccount,
  store: SessionStore,
  liveUpdates: Pick<LiveUpdates, 'setSurfaceVisible'>,
): SessionPanelSource {
  return {
    getSession: async (orgId, sessionId, signal) => {
      const session = await account.getClient().getSession(orgId, sessionId, signal);
      store.addOrUpdateSession(session);
      return session;
    },
    listMessages: (orgId, sessionId, after, signal) =>
      account.getClient().listMessages(orgId, sessionId, { first: MESSAGES_PAGE_SIZE, after, signal }),
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
    recentSessions: async () => {
      if (store.knownSessions().length > 0) return store.knownSessions();
      const organizations = await store.loadOrganizations();
      const client = account.getClient();
      const pages = await Promise.all(
        organizations.slice(0, 10).map((organization) => client.listSessions(organization.id, { first: 50 })),
      );
      return pages.flatMap((page) => page.items);
    },
    onDidChangeSession: (listener) =>
      store.onDidChangeSessions((change) => {
        for (const session of change.changed) listener(session);
      }),
    track: (sessionId) => {
      // An open panel watches its session: the poller keeps it fresh (and notifications come) while hidden.
      store.watch(sessionId);
      let visibility: { dispose(): void } | undefined;
      return {
        setVisible: (visible) => {
          visibility?.dispose();
          visibility = liveUpdates.setSurfaceVisible(`panel:${sessionId}`, visible);
        },
        dispose: () => {
          visibility?.dispose();
          store.unwatch(sessionId);
        },
      };
    },
  };
}
