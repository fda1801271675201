// In-memory state of one sandbox. Rebuilt from the seed on reset, so tests never leak into each other.

import type { Principal } from './auth';
import { fixedPrincipals } from './auth';
import { hex, mulberry32, type Rng } from './prng';
import { sec } from './http';

export interface OrgRecord {
  org_id: string;
  name: string;
  created_at: number;
  updated_at: number;
  max_cycle_acu_limit: number | null;
  max_session_acu_limit: number | null;
}

export interface MessageRecord {
  event_id: string;
  source: 'devin' | 'user';
  message: string;
  created_at: number;
}

export type LivePhase = 'new' | 'working' | 'waiting' | 'resuming' | 'replying' | 'finished';

/** Sessions touched in the sandbox progress lazily from the clock instead of timers. */
export interface LiveState {
  phase: LivePhase;
  phaseStartMs: number;
  workedMs: number;
  baseAcus: number;
  /** user message Devin will answer when the current work phase ends */
  reply: string | null;
}

export interface PullRequest {
  pr_url: string;
  pr_state: string | null;
}

export interface SessionRecord {
  /** 32 lowercase hex; the path accepts it bare or as devin-<key> */
  key: string;
  /** a few seeded sessions report bare hex ids, as some real responses do */
  bareId: boolean;
  org_id: string;
  prompt: string;
  title: string | null;
  status: string;
  status_detail: string | null;
  tags: string[];
  created_at: number;
  updated_at: number;
  acus_consumed: number;
  pull_requests: PullRequest[];
  user_id: string | null;
  service_user_id: string | null;
  playbook_id: string | null;
  parent_session_id: string | null;
  child_session_ids: string[] | null;
  is_archived: boolean;
  structured_output: Record<string, unknown> | null;
  origin: string | null;
  category: string | null;
  subcategory: string | null;
  repos: string[];
  /**
   * The schedule that started the session, for the list's `schedule_id` filter (§4.1). Not rendered:
   * the reference's SessionResponse has no such field.
   */
  schedule_id?: string;
  /** fields outside the current schema (a future version's, or an older one's such as `pull_request`), rendered as given */
  extra?: Record<string, unknown>;
  messages: MessageRecord[];
  live?: LiveState;
  createdInSandbox: boolean;
}

export interface ScheduleRecord {
  scheduled_session_id: string;
  org_id: string;
  name: string;
  prompt: string;
  schedule_type: 'recurring' | 'one_time';
  frequency: string | null;
  scheduled_at: string | null;
  enabled: boolean;
  agent: string;
  notify_on: string;
  playbook: { playbook_id: string; title: string | null } | null;
  tags: string[];
  consecutive_failures: number;
  last_executed_at: string | null;
  last_error_at: string | null;
  last_error_message: string | null;
  created_by: string;
  last_edited_by: string;
  created_at: string;
  updated_at: string;
}

export interface NoteRecord {
  /** org whose listing holds the note; enterprise notes report org_id null, so it is kept apart */
  ownerOrgId: string;
  note_id: string;
  name: string;
  body: string;
  trigger: string;
  folder_id: string | null;
  folder_path: string;
  is_enabled: boolean;
  macro: string | null;
  pinned_repo: string | null;
  org_id: string | null;
  access_type: 'enterprise' | 'org';
  created_at: number;
  updated_at: number;
}

/** A Knowledge folder; a note names it by `folder_id` and reports its `folder_path`. */
export interface NoteFolderRecord {
  ownerOrgId: string;
  folder_id: string;
  /** "Engineering/Testing" */
  path: string;
}

export interface AuditRecord {
  audit_log_id: string;
  action: string;
  created_at: number;
  data: Record<string, unknown>;
  org_id: string | null;
  service_user_id: string | null;
  service_user_name: string | null;
  user_email: string | null;
  user_id: string | null;
}

export interface ProductAcus {
  devin: number;
  cascade: number;
  terminal: number;
  review: number;
}

export class Store {
  readonly orgs = new Map<string, OrgRecord>();
  readonly sessions = new Map<string, SessionRecord>();
  readonly notes = new Map<string, NoteRecord>();
  readonly noteFolders = new Map<string, NoteFolderRecord>();
  readonly schedules = new Map<string, ScheduleRecord>();
  readonly auditLog: AuditRecord[] = [];
  /** org id -> day start (unix s, 08:00 UTC) -> ACUs */
  readonly consumption = new Map<string, Map<number, ProductAcus>>();
  readonly principals: Map<string, Principal> = fixedPrincipals();
  /** ids minted at runtime come from their own stream so seeded ids never shift */
  private readonly idRng: Rng = mulberry32(0x5eed1d5);

  constructor(
    readonly startMs: number,
    readonly stepMs: number,
  ) {}

  newId(prefix: string, length = 32): string {
    return `${prefix}${hex(this.idRng, length)}`;
  }

  /** Looks a session up by `devin-<hex>` or bare hex, within one org. */
  findSession(orgId: string, id: string): SessionRecord | undefined {
    const s = this.findAnySession(id);
    return s && s.org_id === orgId ? s : undefined;
  }

  /** Looks a session up by `devin-<hex>` or bare hex in every org, as the sandbox's control routes do. */
  findAnySession(id: string): SessionRecord | undefined {
    return this.sessions.get(id.toLowerCase().replace(/^devin-/, ''));
  }

  recordAudit(
    principal: Principal,
    action: string,
    orgId: string | null,
    data: Record<string, unknown>,
    nowMs: number,
  ): void {
    const isUser = principal.principalType === 'pat_user';
    this.auditLog.push({
      audit_log_id: this.newId('audit-', 24),
      action,
      created_at: sec(nowMs),
      data,
      org_id: orgId,
      service_user_id: isUser ? null : principal.id,
      service_user_name: isUser ? null : principal.name,
      user_email: principal.email,
      user_id: isUser ? principal.id : null,
    });
  }
}

export const DAY_S = 86_400;
/** Consumption days start at midnight PST = 08:00 UTC (§3.4). */
export const DAY_OFFSET_S = 8 * 3600;

export function dayStart(unixS: number): number {
  return Math.floor((unixS - DAY_OFFSET_S) / DAY_S) * DAY_S + DAY_OFFSET_S;
}

/** YYYY-MM-DD of the PST calendar day starting at `dayStartS`. */
export function dayLabel(dayStartS: number): string {
  return new Date(dayStartS * 1000).toISOString().slice(0, 10);
}

export function sessionPublicId(s: SessionRecord): string {
  return s.bareId ? s.key : `devin-${s.key}`;
}
