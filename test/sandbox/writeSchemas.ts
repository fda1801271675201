// The request bodies the current API documents (§3–§4 of the reference), field names only. The real
// server may ignore fields it does not know; the sandbox refuses them on the current routes instead, so a
// client that still sends an older field (`acu_limit`, `role`, `is_enabled` on a schedule…) fails a test
// rather than being silently half-understood in production. `/v3beta1` keeps accepting the
// specification's older bodies, except on the routes that only exist there, which are current.

import type { ApiVersion } from './http';
import { ValidationFailure, type FieldError } from './http';

interface WriteSchema {
  readonly method: string;
  readonly pattern: RegExp;
  readonly fields: readonly string[];
}

const ORG = '/organizations/[^/]+';
const SESSION = `${ORG}/sessions/[^/]+`;

const SESSION_CREATE = [
  'prompt',
  'title',
  'tags',
  'playbook_id',
  'knowledge_ids',
  'secret_ids',
  'session_secrets',
  'repos',
  'attachment_urls',
  'max_acu_limit',
  'create_as_user_id',
  'structured_output_schema',
  'structured_output_required',
  'devin_mode',
  'platform',
  'bypass_approval',
  'child_playbook_id',
  'session_links',
  'advanced_mode',
];
const NOTE = ['name', 'body', 'trigger', 'pinned_repo', 'folder_id', 'is_enabled'];
const SCHEDULE = [
  'name',
  'prompt',
  'schedule_type',
  'frequency',
  'scheduled_at',
  'agent',
  'notify_on',
  'playbook_id',
  'tags',
  'bypass_approval',
  'interval_count',
  'target_devin_id',
  'slack_channel_id',
  'slack_team_id',
  'create_as_user_id',
  'platform',
];
const ORGANIZATION = ['name', 'max_cycle_acu_limit', 'max_session_acu_limit'];
const PROVISION = ['name', 'role_id', 'ttl_seconds'];

const CURRENT: readonly WriteSchema[] = [
  { method: 'POST', pattern: /^\/enterprise\/organizations$/, fields: ORGANIZATION },
  { method: 'PATCH', pattern: /^\/enterprise\/organizations\/[^/]+$/, fields: ORGANIZATION },
  { method: 'POST', pattern: new RegExp(`^${ORG}/sessions$`), fields: SESSION_CREATE },
  { method: 'POST', pattern: new RegExp(`^${SESSION}/messages$`), fields: ['message', 'message_as_user_id'] },
  { method: 'POST', pattern: new RegExp(`^${SESSION}/archive$`), fields: [] },
  { method: 'POST', pattern: new RegExp(`^${SESSION}/tags$`), fields: ['tags'] },
  { method: 'PUT', pattern: new RegExp(`^${SESSION}/tags$`), fields: ['tags'] },
  { method: 'POST', pattern: new RegExp(`^${ORG}/knowledge/notes$`), fields: NOTE },
  { method: 'PUT', pattern: new RegExp(`^${ORG}/knowledge/notes/[^/]+$`), fields: NOTE },
  { method: 'POST', pattern: new RegExp(`^${ORG}/schedules$`), fields: SCHEDULE },
  {
    method: 'PATCH',
    pattern: new RegExp(`^${ORG}/schedules/[^/]+$`),
    fields: [...SCHEDULE, 'enabled', 'run_as_user_id'],
  },
  {
    method: 'POST',
    pattern: new RegExp(`^${ORG}/secrets$`),
    fields: ['type', 'key', 'value', 'is_sensitive', 'note'],
  },
  { method: 'POST', pattern: /^\/enterprise\/sessions\/[^/]+\/messages$/, fields: ['message', 'message_as_user_id'] },
  {
    method: 'PUT',
    pattern: /^\/enterprise\/consumption\/acu-limits\/devin\/organizations\/[^/]+$/,
    fields: ['cycle_acu_limit'],
  },
];

/** Still beta (§4.11, §5): answered under `/v3beta1` only, and with the current body there. */
const BETA_ONLY: readonly WriteSchema[] = [
  { method: 'POST', pattern: new RegExp(`^${ORG}/service-users$`), fields: PROVISION },
  { method: 'POST', pattern: /^\/enterprise\/service-users$/, fields: PROVISION },
];

/** The specification's service-user call: an older beta route, never promoted to `/v3`. */
const BETA_ONLY_PATHS: readonly RegExp[] = [
  ...BETA_ONLY.map((schema) => schema.pattern),
  new RegExp(`^${ORG}/members/service-users$`),
  new RegExp(`^${ORG}/members/(users|idp-users)(/[^/]+)?$`),
];

/** True when the path exists only under `/v3beta1`, so `/v3` must answer 404. */
export function isBetaOnly(version: ApiVersion, path: string): boolean {
  return version === 'v3' && BETA_ONLY_PATHS.some((pattern) => pattern.test(path));
}

/** Throws a 422 listing every field the current schema of this route does not have. */
export function checkWriteBody(version: ApiVersion, method: string, path: string, body: unknown): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
  const schemas = version === 'v3' ? CURRENT : BETA_ONLY;
  const schema = schemas.find((candidate) => candidate.method === method && candidate.pattern.test(path));
  if (!schema) return;
  const errors: FieldError[] = Object.keys(body)
    .filter((field) => !schema.fields.includes(field))
    .map((field) => ({
      loc: ['body', field],
      msg: 'Extra inputs are not permitted',
      type: 'extra_forbidden',
      input: (body as Record<string, unknown>)[field],
    }));
  if (errors.length > 0) throw new ValidationFailure(errors);
}
