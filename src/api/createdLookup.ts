import type { KnowledgeNote, Organization, Schedule, Session, SessionMessage } from '../core/models';
import { collectPages } from '../core/paging';
import type { DevinClient } from './client';
import { listSchedules } from './schedules';

/**
 * Before a create whose answer was lost is sent again, look for what the first attempt may have made.
 * v3 has no idempotency key (API reference §1.3), so each object is recognised by what the user sent:
 * a session by its first user message (and title), a message by its text, an organization by its name,
 * a Knowledge note by its name, trigger and body, a schedule by its name and prompt, each created no earlier than
 * the first attempt.
 */

/** Clocks differ between this machine and Devin's servers; look a little further back than the attempt. */
export const CLOCK_SKEW_SECONDS = 300;
/** Each candidate session costs one request for its first messages; a burst of new sessions is rare. */
const MAX_SESSION_CANDIDATES = 10;
const MAX_LISTED = 1000;

export interface SentSession {
  readonly orgId: string;
  readonly prompt: string;
  readonly title?: string;
  readonly createAsUserId?: string;
  /** When the first attempt started, in milliseconds since the epoch. */
  readonly since: number;
  /** Who sent it, when known: a session someone else started is never taken for ours. */
  readonly creator?: { readonly kind: 'service_user' | 'pat_user' | 'unknown'; readonly id: string | undefined };
}

export async function findCreatedSession(
  client: DevinClient,
  sent: SentSession,
  signal?: AbortSignal,
): Promise<Session | undefined> {
  const after = sinceSeconds(sent.since);
  const page = await client.listSessions(sent.orgId, { first: 100, createdAfter: after, signal });
  const candidates = page.items
    .filter((session) => session.createdAt === undefined || session.createdAt >= after)
    .filter((session) => !sent.title || session.title === sent.title)
    .filter((session) => sameCreator(session, sent))
    .slice(0, MAX_SESSION_CANDIDATES);
  for (const session of candidates) {
    const messages = await client.listMessages(sent.orgId, session.id, { first: 5, signal });
    const firstFromUser = messages.items.find((message) => message.source === 'user');
    if (firstFromUser && sameText(firstFromUser.message, sent.prompt)) return session;
  }
  return undefined;
}

/** A session that names no creator at all (older shapes) is not ruled out; one that names another is. */
function sameCreator(session: Session, sent: SentSession): boolean {
  if (session.userId === undefined && session.serviceUserId === undefined) return true;
  if (sent.createAsUserId) return session.userId === sent.createAsUserId;
  const creator = sent.creator;
  if (!creator?.id) return true;
  if (creator.kind === 'service_user') return session.serviceUserId === creator.id;
  if (creator.kind === 'pat_user') return session.userId === creator.id;
  return true;
}

/** The user's message in the session with this text, sent no earlier than the first attempt, if there is one. */
export async function findDeliveredMessage(
  client: DevinClient,
  sent: { readonly orgId: string; readonly sessionId: string; readonly message: string; readonly since: number },
  signal?: AbortSignal,
): Promise<SessionMessage | undefined> {
  const after = sinceSeconds(sent.since);
  const { items } = await collectPages(
    (cursor) => client.listMessages(sent.orgId, sent.sessionId, { first: 200, after: cursor, signal }),
    MAX_LISTED,
  );
  return items.find(
    (message) =>
      message.source === 'user' &&
      (message.createdAt === undefined || message.createdAt >= after) &&
      sameText(message.message, sent.message),
  );
}

export async function findCreatedOrganization(
  client: DevinClient,
  sent: { readonly name: string; readonly since: number },
  signal?: AbortSignal,
): Promise<Organization | undefined> {
  const after = sinceSeconds(sent.since);
  const { items } = await collectPages(
    (cursor) => client.listOrganizations({ first: 200, after: cursor, signal }),
    MAX_LISTED,
  );
  return items.find(
    (organization) =>
      organization.name === sent.name && (organization.createdAt === undefined || organization.createdAt >= after),
  );
}

export async function findCreatedKnowledgeNote(
  client: DevinClient,
  sent: { readonly orgId: string; readonly name: string; readonly trigger: string; readonly body: string },
  signal?: AbortSignal,
): Promise<KnowledgeNote | undefined> {
  const page = await client.listKnowledgeNotes(sent.orgId, { first: 100, search: sent.name, signal });
  return page.items.find(
    (note) => note.name === sent.name && note.trigger === sent.trigger && sameText(note.body, sent.body),
  );
}

export async function findCreatedSchedule(
  client: DevinClient,
  sent: { readonly orgId: string; readonly name: string; readonly prompt: string; readonly since: number },
  signal?: AbortSignal,
): Promise<Schedule | undefined> {
  const after = sinceSeconds(sent.since);
  const schedules = await listSchedules(client, sent.orgId, signal);
  return schedules.find(
    (schedule) =>
      schedule.name === sent.name &&
      sameText(schedule.prompt, sent.prompt) &&
      (schedule.createdAt === undefined || schedule.createdAt >= after),
  );
}

function sinceSeconds(sinceMs: number): number {
  return Math.max(0, Math.floor(sinceMs / 1000) - CLOCK_SKEW_SECONDS);
}

/** Servers may trim or normalise line endings of what they store. */
function sameText(stored: string, sent: string): boolean {
  return normalise(stored) === normalise(sent);
}

function normalise(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim();
}

/**
 * A service user of that name in that organization, from the enterprise member list (§3.6). Throws when the token
 * cannot read the list (an organization-scoped token), so the caller knows it could not look.
 */
export async function findServiceUserByName(
  client: DevinClient,
  sent: { readonly orgId: string; readonly name: string },
  signal?: AbortSignal,
): Promise<{ readonly id: string; readonly name: string } | undefined> {
  let after: string | undefined;
  for (let page = 0; page < MAX_LISTED / 200; page++) {
    const wire = (await client.requestJson('GET', '/enterprise/members/service-users', undefined, {
      query: { first: 200, after },
      signal,
      permission: 'ManageAccountServiceUsers',
    })) as { items?: unknown; end_cursor?: unknown; has_next_page?: unknown } | null;
    const items = Array.isArray(wire?.items) ? (wire.items as Record<string, unknown>[]) : [];
    for (const item of items) {
      const orgIds = Array.isArray(item?.role_assignments)
        ? (item.role_assignments as { org_id?: unknown }[]).map((assignment) => assignment?.org_id)
        : [item?.org_id];
      if (item?.name === sent.name && orgIds.includes(sent.orgId))
        return { id: String(item.service_user_id ?? item.id ?? ''), name: sent.name };
    }
    const next = wire?.has_next_page && typeof wire.end_cursor === 'string' ? wire.end_cursor : undefined;
    if (!next || next === after || items.length === 0) return undefined;
    after = next;
  }
  return undefined;
}
