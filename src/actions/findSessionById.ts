import * as l10n from '@vscode/l10n';
import type { DevinClient } from '../api/client';
import { isDevinApiError } from '../api/errors';
import type { OrgRef, Session } from '../core/models';
import type { SessionReference } from '../core/sessionLinks';
import { errorMessage } from './errorText';
import type { Ui } from './ui';

/**
 * Open Session by ID or URL: finding the session a link or id names. The organization named, else the
 * enterprise-wide look-up (one call, needs ViewAccountSessions), else each organization the token can list, in
 * turn. Undefined when none has it; a failure is thrown for the caller to show.
 */

export interface FindSessionDeps {
  readonly client: DevinClient;
  readonly ui: Pick<Ui, 'progress'>;
  /** The organizations the token can list (the view's, when loaded). */
  readonly loadOrganizations: () => Promise<readonly OrgRef[]>;
}

export function findSessionById(deps: FindSessionDeps, reference: SessionReference): Promise<Session | undefined> {
  return deps.ui.progress({ title: l10n.t('Looking for {0}…', reference.sessionId) }, () =>
    findSession(deps, reference),
  );
}

async function findSession(deps: FindSessionDeps, reference: SessionReference): Promise<Session | undefined> {
  const { client } = deps;
  if (reference.orgId) return getIfExists(client, reference.orgId, reference.sessionId);
  try {
    return await client.getEnterpriseSession(reference.sessionId);
  } catch (error) {
    // Not an enterprise token, or an API without the look-up: ask each organization instead.
    if (!isDevinApiError(error) || (error.kind !== 'forbidden' && error.kind !== 'notFound')) throw error;
  }
  const organizations = await deps.loadOrganizations().catch((error: unknown) => {
    throw new Error(
      l10n.t(
        'Devin could not tell which organization it belongs to ({0}). Open it from a link that names the organization, or set devin.orgId.',
        errorMessage(error),
      ),
    );
  });
  for (const organization of organizations) {
    const session = await getIfExists(client, organization.orgId, reference.sessionId);
    if (session) return session;
  }
  return undefined;
}

async function getIfExists(client: DevinClient, orgId: string, sessionId: string): Promise<Session | undefined> {
  try {
    return await client.getSession(orgId, sessionId);
  } catch (error) {
    if (isDevinApiError(error) && (error.kind === 'notFound' || error.kind === 'forbidden')) return undefined;
    throw error;
  }
}
