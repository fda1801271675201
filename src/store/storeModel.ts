import type { DevinClient } from '../api/client';
import type { Identity, Session } from '../core/models';
import { isDevinApiError } from '../api/errors';
import { uniqueById } from '../core/paging';

/** The shapes the session store speaks in: its states, its change events, and what it needs from the account. */

export type ViewState =
  | 'signedOut'
  | 'loading'
  | 'ready'
  | 'noOrganizations'
  | 'needsOrgId'
  | 'unreachable'
  | 'rateLimited'
  | 'tokenRejected'
  | 'error'
  // devin.apiBaseUrl is unusable, or the user did not allow the token to go to it: nothing was sent.
  | 'invalidSettings';

export interface OrganizationSessions {
  /** Newest first, as far as pages were loaded. */
  readonly sessions: readonly Session[];
  readonly nextCursor: string | undefined;
  readonly total: number | undefined;
  readonly loadingMore: boolean;
  readonly error: string | undefined;
}

export interface SessionUpdate {
  readonly session: Session;
  readonly previous: Session;
}

/** Where a change came from: a page the user asked for, a poll for changes, or the user's own action here. */
export type ChangeCause = 'load' | 'poll' | 'local';

export interface SessionsChange {
  readonly orgId: string;
  readonly cause: ChangeCause;
  /** Added or updated sessions, as they are now. */
  readonly changed: readonly Session[];
  readonly added: readonly Session[];
  readonly updated: readonly SessionUpdate[];
  /** The updated sessions whose status or status detail changed. */
  readonly statusChanged: readonly SessionUpdate[];
}

export interface ConnectionProblem {
  readonly kind: 'offline' | 'rateLimited' | 'tokenRejected' | 'error';
  readonly message: string;
  /** Unix ms of the next attempt, when one is scheduled. */
  readonly retryAt?: number;
}

export interface Freshness {
  /** Unix ms of the last successful read from the API. */
  readonly updatedAt: number | undefined;
  readonly problem: ConnectionProblem | undefined;
}

/** What the store needs from the signed-in account. */
export interface SessionSource {
  isSignedIn(): Promise<boolean>;
  getIdentity(): Promise<Identity>;
  getClient(): Pick<DevinClient, 'listOrganizations' | 'listSessions'>;
  configuredOrgId(): string | undefined;
  pageSize(): number;
}

/** Where a session belongs among loaded rows; the page type is the store's own. */
export interface PageRows {
  sessions: Session[];
  nextCursor: string | undefined;
  total: number | undefined;
  loadingMore: boolean;
  error: string | undefined;
}

export function placeInPage(page: PageRows, session: Session, isNew: boolean | undefined): void {
  const index = page.sessions.findIndex((candidate) => candidate.id === session.id);
  if (index >= 0) {
    page.sessions[index] = session;
    return;
  }
  const oldest = page.sessions.at(-1);
  if (page.nextCursor && oldest && (session.createdAt ?? 0) < (oldest.createdAt ?? 0)) return;
  page.sessions = dedupeNewestFirst([session, ...page.sessions]);
  if (isNew && page.total !== undefined) page.total++;
}

export function dedupeNewestFirst(sessions: readonly Session[]): Session[] {
  // Stable: sessions created in the same second keep the order the API gave them.
  return uniqueById(sessions).sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0));
}

/** Field-by-field, so an unchanged session polled again is recognised and fires nothing. */
export function sameSession(a: Session | undefined, b: Session): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

export function emptyChange(orgId: string, cause: ChangeCause): SessionsChange {
  return { orgId, cause, changed: [], added: [], updated: [], statusChanged: [] };
}

export function stateForError(error: unknown): ViewState {
  if (!isDevinApiError(error)) return 'error';
  switch (error.kind) {
    case 'signedOut':
      return 'signedOut';
    case 'unauthorized':
      return 'tokenRejected';
    case 'forbidden':
      return 'needsOrgId';
    case 'rateLimited':
      return 'rateLimited';
    case 'invalidSettings':
      return 'invalidSettings';
    case 'network':
    case 'timeout':
    case 'server':
      return 'unreachable';
    default:
      return 'error';
  }
}
