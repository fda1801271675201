// Control routes that change a session the way Devin would, on request, so tests and the demo can watch a
// session progress without waiting for the clock: /_sandbox/sessions/{id}/status, /messages and /advance; and
// /attachments, which adds a file as Devin would, with any id and name (hostile ones included).

import type { SessionRecord, Store } from './data';
import { sec } from './http';
import { addSessionAttachment } from './routes/session-actions';

export interface ControlReply {
  status: number;
  body: unknown;
}

/** running/working → waiting for the user → finished → ended; anything asleep wakes up to working first. */
const NEXT: Record<string, [string, string | null, string | null]> = {
  'running/working': [
    'running',
    'waiting_for_user',
    'I have a question before I go on: should I also update the docs?',
  ],
  'running/waiting_for_user': ['running', 'finished', 'Done. The pull request is ready for review.'],
  'running/waiting_for_approval': ['running', 'working', null],
  'running/finished': ['exit', null, null],
};

export function sessionControl(
  store: Store,
  method: string,
  path: string,
  body: unknown,
  nowMs: number,
): ControlReply | undefined {
  const match = /^\/_sandbox\/sessions\/([^/]+)\/(status|messages|advance|attachments)\/?$/.exec(path);
  if (!match || method !== 'POST') return undefined;
  const session = store.findAnySession(decodeURIComponent(match[1] as string));
  if (!session) return { status: 404, body: { detail: `Session ${match[1]} not found` } };
  const input = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const post = (message: string, source: 'devin' | 'user' = 'devin'): void => {
    session.messages.push({ event_id: store.newId('event-', 24), source, message, created_at: sec(nowMs) });
  };
  switch (match[2]) {
    case 'status': {
      if (typeof input.status !== 'string' || !input.status)
        return { status: 400, body: { detail: 'status (string) is required' } };
      setStatus(session, input.status, typeof input.status_detail === 'string' ? input.status_detail : null);
      if (typeof input.message === 'string') post(input.message);
      const pr = input.pull_request as { url?: unknown; state?: unknown } | undefined;
      if (pr && typeof pr.url === 'string')
        session.pull_requests.push({ pr_url: pr.url, pr_state: typeof pr.state === 'string' ? pr.state : 'open' });
      break;
    }
    case 'messages':
      if (typeof input.message !== 'string') return { status: 400, body: { detail: 'message (string) is required' } };
      post(input.message, input.source === 'user' ? 'user' : 'devin');
      break;
    case 'attachments': {
      if (typeof input.attachment_id !== 'string' || typeof input.name !== 'string')
        return { status: 400, body: { detail: 'attachment_id and name (strings) are required' } };
      addSessionAttachment(store, session, {
        attachment_id: input.attachment_id,
        name: input.name,
        source: 'devin',
        content_type: typeof input.content_type === 'string' ? input.content_type : 'text/plain',
        content: typeof input.content === 'string' ? input.content : '',
      });
      break;
    }
    case 'advance': {
      const next = NEXT[`${session.status}/${session.status_detail ?? 'working'}`] ?? ['running', 'working', null];
      setStatus(session, next[0], next[1]);
      if (next[2]) post(next[2]);
      break;
    }
  }
  session.updated_at = sec(nowMs);
  return {
    status: 200,
    body: { session_id: `devin-${session.key}`, status: session.status, status_detail: session.status_detail },
  };
}

function setStatus(session: SessionRecord, status: string, detail: string | null): void {
  // A session steered by hand no longer follows its clock-driven script.
  delete session.live;
  session.status = status;
  session.status_detail = detail;
}
