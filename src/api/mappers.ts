import * as l10n from '@vscode/l10n';
import type {
  AuditLogEntry,
  Identity,
  KnowledgeNote,
  Organization,
  Page,
  PullRequest,
  Session,
  SessionMessage,
} from '../core/models';
import { toDevinId } from '../core/models';
import type { AuditLogWire, KnowledgeNoteWire, OrganizationWire, SelfWire, SessionWire } from './schemas';

/** Wire shapes (either version) to the extension's models. */

export function toPage<W, T>(
  wire: { items: readonly W[]; end_cursor?: string | null; has_next_page?: boolean | null; total?: number | null },
  map: (item: W) => T | undefined,
): Page<T> {
  const items = wire.items.map(map).filter((item): item is T => item !== undefined);
  // `has_next_page` defaults to false; a cursor without it is not trusted to mean "more".
  const nextCursor = wire.has_next_page && wire.end_cursor ? wire.end_cursor : undefined;
  return { items, nextCursor, total: wire.total ?? undefined };
}

export function toOrganization(wire: OrganizationWire): Organization | undefined {
  const id = wire.org_id ?? wire.id;
  if (id === undefined) return undefined;
  return {
    id: String(id),
    name: wire.name ?? wire.display_name ?? String(id),
    createdAt: toUnixSeconds(wire.created_at),
    maxCycleAcuLimit: wire.max_cycle_acu_limit ?? wire.acu_limit ?? undefined,
    maxSessionAcuLimit: wire.max_session_acu_limit ?? undefined,
  };
}

export function toIdentity(wire: SelfWire): Identity {
  const kind =
    wire.principal_type === 'service_user' || wire.principal_type === 'pat_user'
      ? wire.principal_type
      : wire.service_user_id
        ? 'service_user'
        : wire.user_id
          ? 'pat_user'
          : 'unknown';
  const id = wire.service_user_id ?? wire.user_id;
  const name =
    wire.service_user_name ??
    wire.user_name ??
    wire.name ??
    wire.api_key_name ??
    (id !== undefined && id !== null ? String(id) : l10n.t('Devin user'));
  return {
    kind,
    id: id === undefined || id === null ? undefined : String(id),
    name,
    orgId: wire.org_id ?? undefined,
    role: wire.role ?? undefined,
  };
}

export function toSession(wire: SessionWire, fallbackOrgId: string): Session {
  return {
    id: toDevinId(String(wire.session_id)),
    orgId: wire.org_id ?? fallbackOrgId,
    url: wire.url ?? undefined,
    status: wire.status ?? 'unknown',
    statusDetail: wire.status_detail ?? wire.status_enum ?? undefined,
    title: wire.title?.trim() || undefined,
    tags: wire.tags ?? [],
    createdAt: toUnixSeconds(wire.created_at),
    updatedAt: toUnixSeconds(wire.updated_at),
    acusConsumed: wire.acus_consumed ?? undefined,
    pullRequests: toPullRequests(wire),
    isArchived: wire.is_archived ?? false,
    origin: wire.origin ?? undefined,
    userId: wire.user_id ?? undefined,
    serviceUserId: wire.service_user_id ?? undefined,
  };
}

/** Both fields may name the same pull request; it is one row (tree ids are per URL), with whichever state is known. */
function toPullRequests(wire: SessionWire): PullRequest[] {
  const all = [...(wire.pull_requests ?? []), ...(wire.pull_request ? [wire.pull_request] : [])];
  const byUrl = new Map<string, PullRequest>();
  for (const pr of all) {
    const url = pr.pr_url ?? pr.url;
    if (url) byUrl.set(url, { url, state: byUrl.get(url)?.state ?? pr.pr_state ?? pr.state ?? undefined });
  }
  return [...byUrl.values()];
}

export function toSessionMessage(
  wire: {
    event_id?: string | number | null;
    source?: string | null;
    message: string;
    created_at?: number | string | null;
  },
  index: number,
): SessionMessage {
  return {
    id: wire.event_id !== undefined && wire.event_id !== null ? String(wire.event_id) : `message-${index}`,
    source: wire.source ?? 'unknown',
    message: wire.message,
    createdAt: toUnixSeconds(wire.created_at),
  };
}

export function toKnowledgeNote(wire: KnowledgeNoteWire): KnowledgeNote | undefined {
  const id = wire.note_id ?? wire.id;
  if (id === undefined) return undefined;
  return {
    id: String(id),
    name: wire.name ?? String(id),
    body: wire.body ?? '',
    trigger: wire.trigger ?? wire.trigger_description ?? '',
    folderPath: wire.folder_path ?? undefined,
    folderId: wire.folder_id === undefined || wire.folder_id === null ? undefined : String(wire.folder_id),
    pinnedRepo: wire.pinned_repo ?? undefined,
    isEnabled: wire.is_enabled ?? true,
    updatedAt: toUnixSeconds(wire.updated_at),
  };
}

export function toAuditLogEntry(wire: AuditLogWire, index: number): AuditLogEntry {
  return {
    id: wire.audit_log_id !== undefined && wire.audit_log_id !== null ? String(wire.audit_log_id) : `audit-${index}`,
    action: wire.action ?? 'unknown',
    createdAt: toUnixSeconds(wire.created_at),
    orgId: wire.org_id ?? undefined,
    userId: wire.user_id ?? undefined,
    userEmail: wire.user_email ?? undefined,
    serviceUserId: wire.service_user_id ?? undefined,
    serviceUserName: wire.service_user_name ?? undefined,
    data: wire.data ?? undefined,
  };
}

/** v3 sends Unix seconds; v1-era and schedule shapes send ISO strings. */
export function toUnixSeconds(value: number | string | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return value > 1e12 ? Math.floor(value / 1000) : value;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : Math.floor(parsed / 1000);
}

/**
 * Whether an identity answer names who the token belongs to: a service user's or user's id, or the name the
 * specification's older example reads. An answer of the right type with none of them is no proof of a valid
 * token (a proxy's or captive portal's JSON would pass), so sign-in refuses it.
 */
export function identifiesPrincipal(wire: SelfWire): boolean {
  const present = (value: string | number | null | undefined) => value !== undefined && value !== null && value !== '';
  if (wire.principal_type === 'service_user') return present(wire.service_user_id);
  if (wire.principal_type === 'pat_user') return present(wire.user_id);
  return present(wire.service_user_id) || present(wire.user_id) || present(wire.name?.trim());
}
