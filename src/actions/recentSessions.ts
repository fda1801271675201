import type { DevinClient } from '../api/client';
import type { Session } from '../core/models';
import type { SessionStore } from '../store/sessionStore';

/** How many organizations a picker reads, and how many sessions of each, when the view has loaded none yet. */
const ORGANIZATIONS_READ = 10;
const SESSIONS_PER_ORGANIZATION = 50;

/**
 * The sessions a session picker offers: every one the view has seen, or, before it has seen any (the palette
 * used before the view was opened), the newest of the first organizations.
 */
export async function recentSessions(
  store: Pick<SessionStore, 'knownSessions' | 'loadOrganizations'>,
  client: Pick<DevinClient, 'listSessions'>,
): Promise<readonly Session[]> {
  if (store.knownSessions().length > 0) return store.knownSessions();
  const organizations = await store.loadOrganizations();
  const pages = await Promise.all(
    organizations
      .slice(0, ORGANIZATIONS_READ)
      .map((organization) => client.listSessions(organization.id, { first: SESSIONS_PER_ORGANIZATION })),
  );
  return pages.flatMap((page) => page.items);
}
