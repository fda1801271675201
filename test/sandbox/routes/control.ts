// Test controls on sessions, under /_sandbox/ (no auth, never recorded): what the real Devin does on its own
// time, done on request, so a test can watch a client notice it.

import type { PullRequest, SessionRecord, Store } from '../data';
import { sessionPublicId } from '../data';
import type { Reply } from '../http';
import { sec } from '../http';
import { advance, renderSession } from '../live';

const SESSION_MESSAGES = /^\/_sandbox\/sessions\/([^/]+)\/messages$/;

/**
 * The session a `POST` control route names in its first path group: the record, a 404 reply when no organization
 * has it, or undefined when the route or method is not this one.
 */
function postedSession(pattern: RegExp, method: string, path: string, store: Store): SessionRecord | Reply | undefined {
  const match = pattern.exec(path.replace(/\/$/, ''));
  if (!match || method !== 'POST') return undefined;
  const session = store.findAnySession(decodeURIComponent(match[1] as string));
  return session ?? { status: 404, body: { detail: `Session ${match[1]} not found` } };
}

function isReply(value: SessionRecord | Reply): value is Reply {
  return 'status' in value && 'body' in value;
}

/**
 * `POST /_sandbox/sessions/{devin_id}/messages` with `{ message, source?: 'devin' | 'user', status?,
 * status_detail? }` appends a message to the session as if Devin (by default) had written it, and
 * optionally moves the session to a status, which stops its own progression. Answers with the new
 * message's `event_id`. Undefined for any other route.
 */
export function sessionMessageControl(
  method: string,
  path: string,
  body: unknown,
  store: Store,
  nowMs: number,
): Reply | undefined {
  const session = postedSession(SESSION_MESSAGES, method, path, store);
  if (!session || isReply(session)) return session;
  const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const { message, source = 'devin', status, status_detail: detail } = fields;
  if (typeof message !== 'string' || message.length === 0)
    return { status: 400, body: { detail: 'message must be a non-empty string' } };
  if (source !== 'devin' && source !== 'user')
    return { status: 400, body: { detail: "source must be 'devin' or 'user'" } };
  if (status !== undefined && typeof status !== 'string')
    return { status: 400, body: { detail: 'status must be a string' } };
  if (detail !== undefined && detail !== null && typeof detail !== 'string')
    return { status: 400, body: { detail: 'status_detail must be a string or null' } };
  advance(store, session, nowMs);
  const createdAt = Math.max(sec(nowMs), ...session.messages.map((existing) => existing.created_at));
  const eventId = store.newId('event-', 24);
  session.messages.push({ event_id: eventId, source, message, created_at: createdAt });
  if (status !== undefined) {
    delete session.live;
    session.status = status;
    session.status_detail = (detail as string | null | undefined) ?? null;
  }
  session.updated_at = sec(nowMs);
  return { body: { event_id: eventId, session_id: sessionPublicId(session) } };
}

const ORGANIZATION_SESSIONS = /^\/_sandbox\/organizations\/([^/]+)\/sessions$/;
/** Enough for any conversation a test needs, small enough that a typo cannot exhaust the sandbox's memory. */
const MAX_GENERATED_MESSAGES = 100_000;

/**
 * `POST /_sandbox/organizations/{org_id}/sessions` with `{ message_count?, messages?, title?, tags?, status?,
 * status_detail? }` makes a session as it stands after a long conversation: `message_count` generated messages
 * (alternately the user's and Devin's, each naming its number), then the `messages` texts, newest last. It does
 * not progress on its own. Answers with its `session_id` and the `event_id` of its first and last messages.
 */
export function sessionCreationControl(
  method: string,
  path: string,
  body: unknown,
  store: Store,
  nowMs: number,
): Reply | undefined {
  const match = ORGANIZATION_SESSIONS.exec(path.replace(/\/$/, ''));
  if (!match || method !== 'POST') return undefined;
  const orgId = decodeURIComponent(match[1] as string);
  if (!store.orgs.has(orgId)) return { status: 404, body: { detail: `Organization ${orgId} not found` } };
  const fields = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const {
    message_count: count = 0,
    messages = [],
    title = null,
    tags = [],
    status = 'running',
    status_detail: detail = 'working',
  } = fields;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > MAX_GENERATED_MESSAGES)
    return { status: 400, body: { detail: `message_count must be an integer from 0 to ${MAX_GENERATED_MESSAGES}` } };
  if (!Array.isArray(messages) || !messages.every((text) => typeof text === 'string' && text.length > 0))
    return { status: 400, body: { detail: 'messages must be an array of non-empty strings' } };
  if (count + messages.length === 0) return { status: 400, body: { detail: 'a session needs at least one message' } };
  if (title !== null && typeof title !== 'string') return { status: 400, body: { detail: 'title must be a string' } };
  if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string'))
    return { status: 400, body: { detail: 'tags must be an array of strings' } };
  if (typeof status !== 'string') return { status: 400, body: { detail: 'status must be a string' } };
  if (detail !== null && typeof detail !== 'string')
    return { status: 400, body: { detail: 'status_detail must be a string or null' } };

  const texts: { source: 'devin' | 'user'; message: string }[] = [];
  for (let i = 1; i <= count; i++)
    texts.push(
      i % 2 === 1 ? { source: 'user', message: `Message ${i}` } : { source: 'devin', message: `Message ${i}` },
    );
  for (const message of messages as string[]) texts.push({ source: 'devin', message });
  const nowS = sec(nowMs);
  // One second apart and all in the past, so a message added later through the API or a control sorts last.
  const firstS = nowS - texts.length;
  const session: SessionRecord = {
    key: store.newId(''),
    bareId: false,
    org_id: orgId,
    prompt: texts[0]?.message ?? '',
    title,
    status,
    status_detail: detail,
    tags: [...new Set(tags as string[])],
    created_at: firstS,
    updated_at: nowS - 1,
    acus_consumed: 0,
    pull_requests: [],
    user_id: null,
    service_user_id: null,
    playbook_id: null,
    parent_session_id: null,
    child_session_ids: null,
    is_archived: false,
    structured_output: null,
    origin: 'api',
    category: null,
    subcategory: null,
    repos: [],
    messages: texts.map((text, index) => ({
      event_id: store.newId('event-', 24),
      source: text.source,
      message: text.message,
      created_at: firstS + index,
    })),
    createdInSandbox: true,
  };
  store.sessions.set(session.key, session);
  return {
    body: {
      session_id: sessionPublicId(session),
      first_event_id: session.messages[0]?.event_id,
      last_event_id: session.messages.at(-1)?.event_id,
    },
  };
}

const SESSION_FIELDS = /^\/_sandbox\/sessions\/([^/]+)\/fields$/;

/**
 * `POST /_sandbox/sessions/{devin_id}/fields` with `{ updated_at?, org_id?, pull_requests?, pull_request? }` makes
 * a session read as odd servers report one: `updated_at` is taken as given (Unix seconds: far in the future, 1970,
 * whatever a writer's clock said) and is otherwise now; `org_id` moves it to another organization; `pull_requests`
 * replaces its list; `pull_request` (`{pr_url, pr_state?}`, or null to remove it) adds the older single field beside
 * the list. The session stops progressing on its own. Answers with the session as a list shows it.
 */
export function sessionFieldsControl(
  method: string,
  path: string,
  body: unknown,
  store: Store,
  nowMs: number,
): Reply | undefined {
  const session = postedSession(SESSION_FIELDS, method, path, store);
  if (!session || isReply(session)) return session;
  const fields = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const { updated_at: updatedAt, org_id: orgId, pull_requests: pullRequests, pull_request: pullRequest } = fields;
  if (updatedAt !== undefined && !(typeof updatedAt === 'number' && Number.isInteger(updatedAt) && updatedAt >= 0))
    return { status: 400, body: { detail: 'updated_at must be a whole number of seconds since 1970' } };
  if (orgId !== undefined && (typeof orgId !== 'string' || !store.orgs.has(orgId)))
    return { status: 400, body: { detail: 'org_id must name an organization of the sandbox' } };
  if (pullRequests !== undefined && !(Array.isArray(pullRequests) && pullRequests.every(isPullRequest)))
    return { status: 400, body: { detail: 'pull_requests must be an array of {pr_url, pr_state?}' } };
  if (pullRequest !== undefined && pullRequest !== null && !isPullRequest(pullRequest))
    return { status: 400, body: { detail: 'pull_request must be {pr_url, pr_state?} or null' } };
  delete session.live;
  if (typeof orgId === 'string') session.org_id = orgId;
  if (Array.isArray(pullRequests)) session.pull_requests = (pullRequests as PullRequestBody[]).map(toPullRequest);
  if (pullRequest !== undefined) {
    const { pull_request: _replaced, ...rest } = session.extra ?? {};
    session.extra =
      pullRequest === null ? rest : { ...rest, pull_request: toPullRequest(pullRequest as PullRequestBody) };
  }
  session.updated_at = typeof updatedAt === 'number' ? updatedAt : sec(nowMs);
  return { body: renderSession(session, 'v3', true) };
}

interface PullRequestBody {
  pr_url: string;
  pr_state?: string | null;
}

function toPullRequest(body: PullRequestBody): PullRequest {
  return { pr_url: body.pr_url, pr_state: body.pr_state ?? null };
}

function isPullRequest(value: unknown): value is PullRequestBody {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const { pr_url: url, pr_state: state } = value as Record<string, unknown>;
  return (
    typeof url === 'string' && url.length > 0 && (state === undefined || state === null || typeof state === 'string')
  );
}
