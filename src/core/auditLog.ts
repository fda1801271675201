import * as l10n from '@vscode/l10n';
import { csvField } from './consumptionCsv';
import type { AuditLogEntry } from './models';
import { redactSecrets } from './redaction';
import { safePathSegment } from './safePathSegment';

/** The audit log as the extension shows it (Markdown) and exports it (CSV, JSON). */

export interface AuditLogFilters {
  /** Unix seconds. */
  readonly from: number;
  readonly to: number;
  readonly action?: string;
  readonly orgId?: string;
}

/** How much of an event's data a table cell shows; exports carry all of it. */
const DATA_CELL_LIMIT = 200;

export function auditLogMarkdown(entries: readonly AuditLogEntry[], filters: AuditLogFilters, more: boolean): string {
  const scope = [
    filters.action ? l10n.t('action {0}', `\`${inlineCode(filters.action)}\``) : undefined,
    filters.orgId ? l10n.t('organization {0}', `\`${inlineCode(filters.orgId)}\``) : undefined,
  ].filter((part) => part !== undefined);
  const from = isoMinute(filters.from);
  const to = isoMinute(filters.to);
  const counted =
    entries.length === 1
      ? l10n.t('1 event from {0} to {1} UTC, newest first.', from, to)
      : l10n.t('{0} events from {1} to {2} UTC, newest first.', entries.length, from, to);
  const lines = [
    `# ${l10n.t('Devin audit log')}`,
    '',
    scope.length > 0 ? `${counted} ${l10n.t('Only {0}.', scope.join(', '))}` : counted,
    '',
  ];
  if (more)
    lines.push(
      l10n.t(
        'More events exist: run **Devin: Load More Audit Log Events** to add the next ones, or **Devin: Export Audit Log…** to save what is shown.',
      ),
      '',
    );
  if (entries.length === 0) return [...lines, l10n.t('No events in this window.'), ''].join('\n');
  lines.push(
    `| ${l10n.t('Time (UTC)')} | ${l10n.t('Action')} | ${l10n.t('Who')} | ${l10n.t('Organization')} | ${l10n.t('Data')} |`,
    '| --- | --- | --- | --- | --- |',
  );
  for (const entry of entries) {
    lines.push(
      `| ${entry.createdAt !== undefined ? isoMinute(entry.createdAt) : ''} | ${cell(entry.action)} | ${cell(who(entry))} | ${cell(entry.orgId ?? '')} | ${cell(dataSummary(entry))} |`,
    );
  }
  return [...lines, ''].join('\n');
}

const CSV_COLUMNS = [
  'created_at_utc',
  'action',
  'org_id',
  'user_email',
  'user_id',
  'service_user_name',
  'service_user_id',
  'audit_log_id',
  'data',
] as const;

/**
 * RFC 4180 with CRLF line ends; every cell passes the spreadsheet formula guard, since the API's strings may hold
 * anything. Credentials are hidden as in the document on screen: a file travels further than a window.
 */
export function auditLogToCsv(entries: readonly AuditLogEntry[]): string {
  const rows = entries.map((entry) => [
    entry.createdAt !== undefined ? new Date(entry.createdAt * 1000).toISOString() : '',
    entry.action,
    entry.orgId ?? '',
    entry.userEmail ?? '',
    entry.userId ?? '',
    entry.serviceUserName ?? '',
    entry.serviceUserId ?? '',
    entry.id,
    entry.data && Object.keys(entry.data).length > 0 ? JSON.stringify(entry.data) : '',
  ]);
  return redactSecrets(`${[[...CSV_COLUMNS], ...rows].map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`);
}

/** The events with the API's field names, so the file reads like the API's own answer; credentials hidden as on screen. */
export function auditLogToJson(entries: readonly AuditLogEntry[], filters: AuditLogFilters): string {
  return redactSecrets(
    `${JSON.stringify(
      {
        time_after: filters.from,
        time_before: filters.to,
        ...(filters.action ? { action: filters.action } : {}),
        ...(filters.orgId ? { org_id: filters.orgId } : {}),
        items: entries.map((entry) => ({
          audit_log_id: entry.id,
          action: entry.action,
          created_at: entry.createdAt ?? null,
          org_id: entry.orgId ?? null,
          user_id: entry.userId ?? null,
          user_email: entry.userEmail ?? null,
          service_user_id: entry.serviceUserId ?? null,
          service_user_name: entry.serviceUserName ?? null,
          data: entry.data ?? {},
        })),
      },
      null,
      2,
    )}\n`,
  );
}

export function suggestedAuditLogFileName(filters: AuditLogFilters, format: 'csv' | 'json'): string {
  const day = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);
  const action = filters.action ? `-${filters.action.replace(/[^A-Za-z0-9_-]/g, '_')}` : '';
  return safePathSegment(`devin-audit-log-${day(filters.from)}-to-${day(filters.to)}${action}.${format}`);
}

function who(entry: AuditLogEntry): string {
  return entry.userEmail ?? entry.serviceUserName ?? entry.userId ?? entry.serviceUserId ?? '';
}

function dataSummary(entry: AuditLogEntry): string {
  if (!entry.data || Object.keys(entry.data).length === 0) return '';
  const json = JSON.stringify(entry.data);
  return json.length > DATA_CELL_LIMIT ? `${json.slice(0, DATA_CELL_LIMIT - 1)}…` : json;
}

function isoMinute(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Table cells cannot hold pipes or line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function inlineCode(text: string): string {
  return text.replace(/`/g, "'").replace(/\r?\n/g, ' ');
}
