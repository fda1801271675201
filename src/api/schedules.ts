import type { Schedule } from '../core/models';
import type { DevinClient } from './client';
import { DevinApiError } from './errors';
import { schemas } from './schemaLoader';
import type { ScheduleWire } from './schemas';
import { toUnixSeconds } from './mappers';

/** Scheduled sessions (§4.10 of the reference): `…/organizations/{org}/schedules`, `ManageOrgSchedules`. */

const PERMISSION = 'ManageOrgSchedules';

export type { Schedule } from '../core/models';

export type ScheduleTiming =
  | { readonly kind: 'recurring'; readonly cron: string }
  | { readonly kind: 'oneTime'; /** Unix seconds. */ readonly at: number };

export interface CreateScheduleRequest {
  readonly name: string;
  readonly prompt: string;
  readonly timing: ScheduleTiming;
  readonly playbookId?: string;
}

function toSchedule(wire: ScheduleWire, orgId: string): Schedule {
  const id = String(wire.scheduled_session_id);
  return {
    id,
    orgId,
    name: wire.name ?? id,
    prompt: wire.prompt ?? '',
    enabled: wire.enabled ?? true,
    kind: wire.schedule_type === 'one_time' ? 'oneTime' : 'recurring',
    frequency: wire.frequency ?? undefined,
    scheduledAt: toUnixSeconds(wire.scheduled_at),
    lastExecutedAt: toUnixSeconds(wire.last_executed_at),
    lastError: wire.last_error_message ?? undefined,
    lastErrorAt: toUnixSeconds(wire.last_error_at),
    consecutiveFailures: wire.consecutive_failures ?? 0,
    createdAt: toUnixSeconds(wire.created_at),
  };
}

const path = (orgId: string, scheduleId?: string) =>
  `/organizations/${encodeURIComponent(orgId)}/schedules${scheduleId ? `/${encodeURIComponent(scheduleId)}` : ''}`;

export async function listSchedules(client: DevinClient, orgId: string, signal?: AbortSignal): Promise<Schedule[]> {
  const schedules: Schedule[] = [];
  let after: string | undefined;
  // An organization has few schedules; five pages is far more than any has.
  for (let page = 0; page < 5; page++) {
    const wire = await client.requestJson('GET', path(orgId), schemas().scheduleListSchema, {
      query: { first: 200, after },
      signal,
      permission: PERMISSION,
    });
    const rows = client.rows(schemas().scheduleSchema, wire.items, { first: 200 }, `GET ${path(orgId)}`);
    schedules.push(...rows.map((item) => toSchedule(item, orgId)));
    after = wire.has_next_page && wire.end_cursor ? wire.end_cursor : undefined;
    if (!after) break;
  }
  return schedules;
}

export async function createSchedule(
  client: DevinClient,
  orgId: string,
  request: CreateScheduleRequest,
  signal?: AbortSignal,
): Promise<Schedule> {
  const timing =
    request.timing.kind === 'recurring'
      ? { schedule_type: 'recurring', frequency: request.timing.cron }
      : { schedule_type: 'one_time', scheduled_at: new Date(request.timing.at * 1000).toISOString() };
  const wire = await client.requestJson('POST', path(orgId), schemas().scheduleSchema, {
    body: {
      name: request.name,
      prompt: request.prompt,
      ...timing,
      ...(request.playbookId ? { playbook_id: request.playbookId } : {}),
    },
    signal,
    permission: PERMISSION,
  });
  return toSchedule(wire, orgId);
}

export async function setScheduleEnabled(
  client: DevinClient,
  orgId: string,
  scheduleId: string,
  enabled: boolean,
): Promise<Schedule> {
  const wire = await client.requestJson('PATCH', path(orgId, scheduleId), schemas().scheduleSchema, {
    body: { enabled },
    permission: PERMISSION,
  });
  if (wire.enabled !== undefined && wire.enabled !== null && wire.enabled !== enabled)
    throw new DevinApiError({ kind: 'malformed', endpoint: `PATCH ${path(orgId, scheduleId)}` });
  return toSchedule(wire, orgId);
}

export async function deleteSchedule(client: DevinClient, orgId: string, scheduleId: string): Promise<void> {
  await client.requestJson('DELETE', path(orgId, scheduleId), undefined, { permission: PERMISSION });
}

/** Five cron fields (UTC), each `*`, a number, a range, a list or a step. */
export function isCronExpression(text: string): boolean {
  const fields = text.trim().split(/\s+/);
  return (
    fields.length === 5 && fields.every((field) => /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/.test(field))
  );
}
