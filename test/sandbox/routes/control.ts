// Test controls on sessions, under /_sandbox/ (no auth, never recorded): what the real Devin does on its own
// time, done on request, so a test can watch a client notice it.

import type { Store } from '../data';
import { sessionPublicId } from '../data';
import type { Reply } from '../http';
import { sec } from '../http';
import { advance } from '../live';

const SESSION_MESSAGES = /^\/_sandbox\/sessions\/([^/]+)\/messages$/;

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
  const match = SESSION_MESSAGES.exec(path.replace(/\/$/, ''));
  if (!match || method !== 'POST') return undefined;
  const session = store.findAnySession(decodeURIComponent(match[1] as string));
  if (!session) return { status: 404, body: { detail: `Session ${match[1]} not found` } };
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
