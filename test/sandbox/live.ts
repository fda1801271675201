// Session progression. State is advanced lazily whenever a session is read, from the injected clock,
// so tests can fast-forward time without timers.

import type { LivePhase, SessionRecord, Store } from './data';
import { sessionPublicId } from './data';
import type { ApiVersion } from './http';
import { sec } from './http';
import { round2 } from './prng';

const PHASE_STATUS: Record<LivePhase, [string, string | null]> = {
  new: ['new', null],
  working: ['running', 'working'],
  waiting: ['running', 'waiting_for_user'],
  resuming: ['resuming', null],
  replying: ['running', 'working'],
  finished: ['running', 'finished'],
};

const ACUS_PER_STEP = 0.35;

function isWorking(phase: LivePhase): boolean {
  return phase === 'working' || phase === 'replying';
}

export function firstLine(text: string): string {
  return (text.split(/\r?\n/).find((l) => l.trim().length > 0) ?? '').trim();
}

export function deriveTitle(prompt: string): string {
  const line = firstLine(prompt);
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

export function advance(store: Store, s: SessionRecord, nowMs: number): void {
  const live = s.live;
  if (!live) return;
  const step = store.stepMs;
  for (;;) {
    if (live.phase === 'waiting' || live.phase === 'finished') break;
    const end = live.phaseStartMs + step;
    if (nowMs < end) break;
    if (isWorking(live.phase)) live.workedMs += step;
    const post = (message: string): void => {
      s.messages.push({ event_id: store.newId('event-', 24), source: 'devin', message, created_at: sec(end) });
    };
    switch (live.phase) {
      case 'new':
        live.phase = 'working';
        post(`On it! Looking into: ${firstLine(s.prompt)}`);
        break;
      case 'working':
        if (live.reply !== null) {
          live.phase = 'replying';
        } else {
          live.phase = 'waiting';
          post('I have a plan ready. Should I go ahead and open a pull request when done? Reply here to continue.');
        }
        break;
      case 'resuming':
        live.phase = 'replying';
        break;
      case 'replying':
        live.phase = 'finished';
        post(`Done: ${firstLine(live.reply ?? s.prompt)}`);
        live.reply = null;
        if (s.createdInSandbox && s.pull_requests.length === 0 && s.repos[0]) {
          s.pull_requests.push({
            pr_url: `https://github.com/${s.repos[0]}/pull/${1000 + s.messages.length}`,
            pr_state: 'open',
          });
        }
        break;
    }
    live.phaseStartMs = end;
    s.updated_at = sec(end);
  }
  [s.status, s.status_detail] = PHASE_STATUS[live.phase];
  const partial = isWorking(live.phase) ? Math.max(0, nowMs - live.phaseStartMs) : 0;
  s.acus_consumed = round2(live.baseAcus + ((live.workedMs + partial) / step) * ACUS_PER_STEP);
}

export function startLive(s: SessionRecord, phase: LivePhase, nowMs: number, reply: string | null): void {
  s.live = { phase, phaseStartMs: nowMs, workedMs: 0, baseAcus: s.acus_consumed, reply };
  [s.status, s.status_detail] = PHASE_STATUS[phase];
  s.updated_at = sec(nowMs);
}

/** Applies a user message; returns an error detail when the session can no longer take messages. */
export function receiveMessage(store: Store, s: SessionRecord, message: string, nowMs: number): string | null {
  advance(store, s, nowMs);
  if (s.is_archived) return 'Session is archived and cannot receive messages';
  if (s.status === 'exit' || s.status === 'error')
    return `Session has ended (status: ${s.status}) and cannot receive messages`;
  s.messages.push({ event_id: store.newId('event-', 24), source: 'user', message, created_at: sec(nowMs) });
  const live = s.live;
  if (!live) {
    // seeded sessions come alive; sleeping ones (including unknown future statuses) resume first
    const awake = s.status === 'running' || s.status === 'new' || s.status === 'claimed' || s.status === 'resuming';
    startLive(s, awake ? 'replying' : 'resuming', nowMs, message);
    return null;
  }
  switch (live.phase) {
    case 'waiting':
    case 'finished':
      live.phase = 'replying';
      live.phaseStartMs = nowMs;
      live.reply = message;
      break;
    default:
      live.reply = message;
  }
  s.updated_at = sec(nowMs);
  advance(store, s, nowMs);
  return null;
}

/** Get/list responses carry every field; mutation responses leave the get-only fields null (§2.1). */
export function renderSession(s: SessionRecord, version: ApiVersion, full: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    session_id: sessionPublicId(s),
    url: `https://app.devin.ai/sessions/${s.key}`,
    status: s.status,
    status_detail: full ? s.status_detail : null,
    title: s.title,
    tags: [...s.tags],
    org_id: s.org_id,
    created_at: s.created_at,
    updated_at: s.updated_at,
    acus_consumed: s.acus_consumed,
    pull_requests: s.pull_requests.map((p) => ({ ...p })),
    user_id: s.user_id,
    service_user_id: s.service_user_id,
    playbook_id: s.playbook_id,
    parent_session_id: s.parent_session_id,
    child_session_ids: s.child_session_ids ? [...s.child_session_ids] : null,
    is_archived: s.is_archived,
    structured_output: full ? s.structured_output : null,
    origin: s.origin,
    category: full ? s.category : null,
    subcategory: full ? s.subcategory : null,
  };
  if (version === 'v3beta1') {
    // the beta schema still had is_advanced and lacked some newer fields
    out.is_advanced = false;
    delete out.origin;
    delete out.service_user_id;
  }
  return { ...out, ...(s.extra ?? {}) };
}
