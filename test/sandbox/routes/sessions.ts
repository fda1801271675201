// Org-scoped sessions, messages, archive/terminate and tags (§4.1–§4.5).

import { hasOrgPerm, requireOrg } from '../auth';
import type { SessionRecord } from '../data';
import type { Ctx, Query, Reply } from '../http';
import {
  bodyObject,
  boolParam,
  intParam,
  invalid,
  legacy,
  list,
  one,
  optionalInt,
  optionalStringArray,
  paginate,
  problem,
  requireStrings,
  sec,
} from '../http';
import { advance, deriveTitle, receiveMessage, renderSession, startLive } from '../live';
import type { Route } from '../router';
import { matchesRepoAndServiceUserFilters } from './session-actions';

function orgSessions(ctx: Ctx, orgId: string): SessionRecord[] {
  const out: { s: SessionRecord; i: number }[] = [];
  let i = 0;
  for (const s of ctx.store.sessions.values()) {
    i++;
    if (s.org_id !== orgId) continue;
    advance(ctx.store, s, ctx.nowMs);
    out.push({ s, i });
  }
  // within one second the later-created session counts as newer
  return out.sort((a, b) => b.s.created_at - a.s.created_at || b.i - a.i).map((e) => e.s);
}

function loadSession(ctx: Ctx, permission: string): SessionRecord {
  const orgId = ctx.params.org_id as string;
  requireOrg(ctx, orgId, permission);
  const s = ctx.store.findSession(orgId, ctx.params.devin_id as string);
  if (!s) throw legacy(404, `Session ${ctx.params.devin_id} not found`);
  advance(ctx.store, s, ctx.nowMs);
  return s;
}

function listSessions(ctx: Ctx): Reply {
  const orgId = ctx.params.org_id as string;
  requireOrg(ctx, orgId, 'ViewOrgSessions');
  const rows = orgSessions(ctx, orgId).filter(sessionFilter(ctx.query));
  return { body: paginate(ctx.query, rows, (s) => renderSession(s, ctx.version, true)) };
}

/** The filters both session lists share (§4.1); the enterprise list adds `org_ids` (§3.5). */
export function sessionFilter(q: Query): (s: SessionRecord) => boolean {
  const tags = list(q, 'tags');
  const ids = list(q, 'session_ids')?.map((id) => id.toLowerCase().replace(/^devin-/, ''));
  const userIds = list(q, 'user_ids');
  const origins = list(q, 'origins');
  const createdAfter = intParam(q, 'created_after');
  const createdBefore = intParam(q, 'created_before');
  const updatedAfter = intParam(q, 'updated_after');
  const updatedBefore = intParam(q, 'updated_before');
  const archived = boolParam(q, 'is_archived');
  const playbookId = one(q, 'playbook_id');
  const scheduleId = one(q, 'schedule_id');
  return (s) =>
    (!tags || tags.length === 0 || tags.some((t) => s.tags.includes(t))) &&
    (!ids || ids.length === 0 || ids.includes(s.key)) &&
    (!userIds || userIds.length === 0 || (s.user_id !== null && userIds.includes(s.user_id))) &&
    (!origins || origins.length === 0 || (s.origin !== null && origins.includes(s.origin))) &&
    (createdAfter === undefined || s.created_at >= createdAfter) &&
    (createdBefore === undefined || s.created_at < createdBefore) &&
    (updatedAfter === undefined || s.updated_at >= updatedAfter) &&
    (updatedBefore === undefined || s.updated_at < updatedBefore) &&
    (archived === undefined || s.is_archived === archived) &&
    (playbookId === undefined || s.playbook_id === playbookId) &&
    (scheduleId === undefined || s.schedule_id === scheduleId) &&
    matchesRepoAndServiceUserFilters(s, q);
}

function createSession(ctx: Ctx): Reply {
  const orgId = ctx.params.org_id as string;
  requireOrg(ctx, orgId, 'ManageOrgSessions');
  const body = bodyObject(ctx);
  requireStrings(body, ['prompt']);
  const prompt = body.prompt as string;
  const title = typeof body.title === 'string' && body.title.trim() ? body.title : deriveTitle(prompt);
  const tags = optionalStringArray(body, 'tags') ?? [];
  const repos = optionalStringArray(body, 'repos') ?? [];
  const maxAcu = optionalInt(body, 'max_acu_limit');
  if (maxAcu !== undefined && maxAcu !== null && maxAcu <= 0) {
    throw invalid(['body', 'max_acu_limit'], 'Input should be greater than 0', 'greater_than', maxAcu);
  }
  const asUser = body.create_as_user_id;
  if (asUser !== undefined && asUser !== null) {
    if (typeof asUser !== 'string' || !asUser)
      throw invalid(['body', 'create_as_user_id'], 'Input should be a valid string', 'string_type', asUser);
    if (!hasOrgPerm(ctx.principal, orgId, 'ImpersonateOrgSessions')) {
      throw problem(
        403,
        'Forbidden',
        'Missing permission: ImpersonateOrgSessions (required for create_as_user_id)',
        `/${ctx.version}${ctx.path}`,
      );
    }
  }
  const p = ctx.principal;
  const nowS = sec(ctx.nowMs);
  const s: SessionRecord = {
    key: ctx.store.newId(''),
    bareId: false,
    org_id: orgId,
    prompt,
    title,
    status: 'new',
    status_detail: null,
    tags: [...new Set(tags)],
    created_at: nowS,
    updated_at: nowS,
    acus_consumed: 0,
    pull_requests: [],
    user_id: typeof asUser === 'string' ? asUser : p.principalType === 'pat_user' ? p.id : null,
    service_user_id: p.principalType === 'service_user' ? p.id : null,
    playbook_id: typeof body.playbook_id === 'string' ? body.playbook_id : null,
    parent_session_id: null,
    child_session_ids: null,
    is_archived: false,
    structured_output: null,
    origin: 'api',
    category: null,
    subcategory: null,
    repos,
    messages: [{ event_id: ctx.store.newId('event-', 24), source: 'user', message: prompt, created_at: nowS }],
    createdInSandbox: true,
  };
  startLive(s, 'new', ctx.nowMs, null);
  ctx.store.sessions.set(s.key, s);
  ctx.store.recordAudit(p, 'create_session', orgId, { session_id: `devin-${s.key}`, title }, ctx.nowMs);
  return { body: renderSession(s, ctx.version, false) };
}

function sendMessage(ctx: Ctx): Reply {
  const s = loadSession(ctx, 'ManageOrgSessions');
  const body = bodyObject(ctx);
  requireStrings(body, ['message']);
  const error = receiveMessage(ctx.store, s, body.message as string, ctx.nowMs);
  if (error) throw legacy(409, error);
  ctx.store.recordAudit(ctx.principal, 'send_message', s.org_id, { session_id: `devin-${s.key}` }, ctx.nowMs);
  return { body: renderSession(s, ctx.version, false) };
}

function listMessages(ctx: Ctx): Reply {
  const s = loadSession(ctx, 'ViewOrgSessions');
  const ordered = [...s.messages].sort((a, b) => a.created_at - b.created_at);
  return { body: paginate(ctx.query, ordered, (m) => ({ ...m })) };
}

function archive(ctx: Ctx): Reply {
  const s = loadSession(ctx, 'ManageOrgSessions');
  if (s.status === 'running' || s.status === 'new' || s.status === 'claimed' || s.status === 'resuming') {
    s.status = 'suspended';
    s.status_detail = 'user_request';
  }
  delete s.live;
  s.is_archived = true;
  s.updated_at = sec(ctx.nowMs);
  ctx.store.recordAudit(
    ctx.principal,
    'sleep_session',
    s.org_id,
    { session_id: `devin-${s.key}`, archived: true },
    ctx.nowMs,
  );
  return { body: renderSession(s, ctx.version, false) };
}

function terminate(ctx: Ctx): Reply {
  const s = loadSession(ctx, 'ManageOrgSessions');
  delete s.live;
  if (s.status !== 'exit' && s.status !== 'error') {
    s.status = 'exit';
    s.status_detail = null;
  }
  if (boolParam(ctx.query, 'archive')) s.is_archived = true;
  s.updated_at = sec(ctx.nowMs);
  ctx.store.recordAudit(ctx.principal, 'terminate_session', s.org_id, { session_id: `devin-${s.key}` }, ctx.nowMs);
  return { body: renderSession(s, ctx.version, false) };
}

function tagsBody(ctx: Ctx): string[] {
  const body = bodyObject(ctx);
  if (body.tags === undefined) throw invalid(['body', 'tags'], 'Field required', 'missing');
  const tags = optionalStringArray(body, 'tags') ?? [];
  if (tags.length > 50)
    throw invalid(['body', 'tags'], 'List should have at most 50 items after validation', 'too_long', tags.length);
  return tags;
}

function setTags(ctx: Ctx, replace: boolean): Reply {
  const s = loadSession(ctx, 'ManageOrgSessions');
  const tags = tagsBody(ctx);
  s.tags = [...new Set(replace ? tags : [...s.tags, ...tags])];
  s.updated_at = sec(ctx.nowMs);
  return { body: { tags: [...s.tags] } };
}

const base = '/organizations/:org_id/sessions';

export const sessionRoutes: Route[] = [
  { method: 'GET', pattern: base, handler: listSessions },
  { method: 'POST', pattern: base, handler: createSession },
  {
    method: 'GET',
    pattern: `${base}/:devin_id`,
    handler: (ctx) => ({ body: renderSession(loadSession(ctx, 'ViewOrgSessions'), ctx.version, true) }),
  },
  { method: 'DELETE', pattern: `${base}/:devin_id`, handler: terminate },
  { method: 'POST', pattern: `${base}/:devin_id/archive`, handler: archive },
  { method: 'GET', pattern: `${base}/:devin_id/messages`, handler: listMessages },
  { method: 'POST', pattern: `${base}/:devin_id/messages`, handler: sendMessage },
  {
    method: 'GET',
    pattern: `${base}/:devin_id/tags`,
    handler: (ctx) => ({ body: { tags: [...loadSession(ctx, 'ViewOrgSessions').tags] } }),
  },
  { method: 'POST', pattern: `${base}/:devin_id/tags`, handler: (ctx) => setTags(ctx, false) },
  { method: 'PUT', pattern: `${base}/:devin_id/tags`, handler: (ctx) => setTags(ctx, true) },
];
