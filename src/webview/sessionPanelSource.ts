import type * as vscode from 'vscode';
import type { DevinAccount } from '../auth/account';
import type { Page, Session, SessionMessage } from '../core/models';
import type { SessionsTreeProvider } from '../views/sessionsTree';

/**
 * Everything the session panel reads and writes. Today it goes straight to the API client; a session store
 * can take its place behind the same interface and push changes through `onDidChangeSession`.
 */
export interface SessionPanelSource {
  getSession(orgId: string, sessionId: string, signal?: AbortSignal): Promise<Session>;
  listMessages(orgId: string, sessionId: string, after?: string, signal?: AbortSignal): Promise<Page<SessionMessage>>;
  /** Resolves with the updated session when the API returned one (older shapes answer without it). */
  sendMessage(orgId: string, sessionId: string, text: string): Promise<Session | undefined>;
  /** The organization's name, or its id when the token cannot list organizations. */
  organizationName(orgId: string): Promise<string>;
  /** Sessions a picker offers when the command runs without a target. */
  recentSessions(): Promise<readonly Session[]>;
  /** A newer picture of a session, from whoever else read it (the tree, another command). */
  readonly onDidChangeSession?: vscode.Event<Session>;
}

const MESSAGES_PAGE_SIZE = 100;

export function sessionPanelSourceFromClient(account: DevinAccount, tree: SessionsTreeProvider): SessionPanelSource {
  return {
    getSession: (orgId, sessionId, signal) => account.getClient().getSession(orgId, sessionId, signal),
    listMessages: (orgId, sessionId, after, signal) =>
      account.getClient().listMessages(orgId, sessionId, { first: MESSAGES_PAGE_SIZE, after, signal }),
    sendMessage: async (orgId, sessionId, text) => {
      const updated = await account.getClient().sendMessage(orgId, sessionId, text);
      if (updated) tree.addOrUpdateSession(updated);
      return updated;
    },
    organizationName: async (orgId) => {
      // After a window reload the panel can load before the tree has listed the organizations.
      if (tree.knownOrganizations().length === 0) await tree.loadOrganizations().catch(() => undefined);
      return tree.organizationOrId(orgId).name;
    },
    recentSessions: async () => {
      if (tree.knownSessions().length > 0) return tree.knownSessions();
      const organizations = await tree.loadOrganizations();
      const client = account.getClient();
      const pages = await Promise.all(
        organizations.slice(0, 10).map((organization) => client.listSessions(organization.id, { first: 50 })),
      );
      return pages.flatMap((page) => page.items);
    },
  };
}
