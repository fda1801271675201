// Scheduled sessions (§4.10): list, create, read, update (enable/disable among others) and delete.
// Schedule timestamps are ISO-8601 strings, unlike the rest of v3. Schedules live in the store, so a
// reset brings back the seeded ones.

import { requireOrg } from '../auth';
import type { ScheduleRecord } from '../data';
import type { Ctx, Reply } from '../http';
import { bodyObject, invalid, legacy, paginate, requireStrings } from '../http';
import type { Route } from '../router';

const PERMISSION = 'ManageOrgSchedules';
/** Five fields, each a number, `*`, a range, a list or a step: enough to refuse what is clearly not cron. */
const CRON = /^(\S+\s+){4}\S+$/;
const CRON_FIELD = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;

function schedules(ctx: Ctx): Map<string, ScheduleRecord> {
  return ctx.store.schedules;
}

function load(ctx: Ctx): ScheduleRecord {
  const orgId = ctx.params.org_id as string;
  requireOrg(ctx, orgId, PERMISSION);
  const record = schedules(ctx).get(ctx.params.schedule_id as string);
  if (!record || record.org_id !== orgId) throw legacy(404, `Schedule ${ctx.params.schedule_id} not found`);
  return record;
}

function validTiming(
  type: unknown,
  frequency: unknown,
  scheduledAt: unknown,
  nowMs: number,
): Pick<ScheduleRecord, 'schedule_type' | 'frequency' | 'scheduled_at'> {
  const scheduleType = type ?? 'recurring';
  if (scheduleType !== 'recurring' && scheduleType !== 'one_time')
    throw invalid(['body', 'schedule_type'], "Input should be 'recurring' or 'one_time'", 'enum', type);
  if (scheduleType === 'recurring') {
    if (
      typeof frequency !== 'string' ||
      !CRON.test(frequency.trim()) ||
      !frequency
        .trim()
        .split(/\s+/)
        .every((f) => CRON_FIELD.test(f))
    )
      throw invalid(
        ['body', 'frequency'],
        'A cron expression with five fields is required for a recurring schedule',
        'value_error',
        frequency,
      );
    return { schedule_type: 'recurring', frequency: frequency.trim(), scheduled_at: null };
  }
  const when = typeof scheduledAt === 'string' ? Date.parse(scheduledAt) : NaN;
  if (Number.isNaN(when) || !/(Z|[+-]\d{2}:?\d{2})$/.test(String(scheduledAt)))
    throw invalid(
      ['body', 'scheduled_at'],
      'An ISO-8601 datetime with a time zone is required for a one-time schedule',
      'value_error',
      scheduledAt,
    );
  if (when <= nowMs)
    throw invalid(['body', 'scheduled_at'], 'scheduled_at must be in the future', 'value_error', scheduledAt);
  return { schedule_type: 'one_time', frequency: null, scheduled_at: new Date(when).toISOString() };
}

function listSchedules(ctx: Ctx): Reply {
  const orgId = ctx.params.org_id as string;
  requireOrg(ctx, orgId, PERMISSION);
  const rows = [...schedules(ctx).values()].filter((record) => record.org_id === orgId);
  return { body: paginate(ctx.query, rows) };
}

function createSchedule(ctx: Ctx): Reply {
  const orgId = ctx.params.org_id as string;
  requireOrg(ctx, orgId, PERMISSION);
  const body = bodyObject(ctx);
  requireStrings(body, ['name', 'prompt']);
  const timing = validTiming(body.schedule_type, body.frequency, body.scheduled_at, ctx.nowMs);
  const now = new Date(ctx.nowMs).toISOString();
  const playbookId = typeof body.playbook_id === 'string' && body.playbook_id ? body.playbook_id : null;
  const record: ScheduleRecord = {
    scheduled_session_id: ctx.store.newId('schedule-', 24),
    org_id: orgId,
    name: (body.name as string).trim(),
    prompt: body.prompt as string,
    ...timing,
    enabled: true,
    agent: typeof body.agent === 'string' ? body.agent : 'devin',
    notify_on: typeof body.notify_on === 'string' ? body.notify_on : 'failure',
    playbook: playbookId ? { playbook_id: playbookId, title: null } : null,
    tags: Array.isArray(body.tags) ? body.tags.filter((tag): tag is string => typeof tag === 'string') : [],
    consecutive_failures: 0,
    last_executed_at: null,
    last_error_at: null,
    last_error_message: null,
    created_by: ctx.principal.id,
    last_edited_by: ctx.principal.id,
    created_at: now,
    updated_at: now,
  };
  schedules(ctx).set(record.scheduled_session_id, record);
  return { body: record };
}

function updateSchedule(ctx: Ctx): Reply {
  const record = load(ctx);
  const body = bodyObject(ctx);
  if (body.enabled !== undefined) {
    if (typeof body.enabled !== 'boolean')
      throw invalid(['body', 'enabled'], 'Input should be a valid boolean', 'bool_type', body.enabled);
    record.enabled = body.enabled;
  }
  for (const field of ['name', 'prompt'] as const) {
    if (body[field] === undefined) continue;
    if (typeof body[field] !== 'string' || !(body[field] as string).trim())
      throw invalid(['body', field], 'String should have at least 1 character', 'string_too_short', body[field]);
    record[field] = body[field] as string;
  }
  if (body.schedule_type !== undefined || body.frequency !== undefined || body.scheduled_at !== undefined)
    Object.assign(
      record,
      validTiming(
        body.schedule_type ?? record.schedule_type,
        body.frequency ?? record.frequency,
        body.scheduled_at ?? record.scheduled_at,
        ctx.nowMs,
      ),
    );
  record.last_edited_by = ctx.principal.id;
  record.updated_at = new Date(ctx.nowMs).toISOString();
  return { body: record };
}

function deleteSchedule(ctx: Ctx): Reply {
  const record = load(ctx);
  schedules(ctx).delete(record.scheduled_session_id);
  return { body: record };
}

const base = '/organizations/:org_id/schedules';

export const scheduleRoutes: Route[] = [
  { method: 'GET', pattern: base, handler: listSchedules },
  { method: 'POST', pattern: base, handler: createSchedule },
  { method: 'GET', pattern: `${base}/:schedule_id`, handler: (ctx) => ({ body: load(ctx) }) },
  { method: 'PATCH', pattern: `${base}/:schedule_id`, handler: updateSchedule },
  { method: 'DELETE', pattern: `${base}/:schedule_id`, handler: deleteSchedule },
];
