import * as l10n from '@vscode/l10n';
import type { AuditLogQuery, DevinClient } from '../api/client';
import { isDevinApiError } from '../api/errors';
import type { AuditLogFilters } from '../core/auditLog';
import type { AuditLogEntry } from '../core/models';
import { collectPages } from '../core/paging';
import type { Ui } from './ui';

/**
 * Reading the audit log a batch at a time: Show Audit Log reads the first batch, Load More the next one from
 * where the last stopped. A failure is thrown for the caller to show; what arrived before it is kept.
 */

/** Events read per batch: enough to scroll through, few enough to read in a few seconds. */
export const AUDIT_LOG_BATCH = 1000;
const API_PAGE = 200;

/** What has been read of one audit log, and where the next batch starts. */
export interface AuditLogRead {
  readonly filters: AuditLogFilters;
  readonly batchSize: number;
  readonly items: AuditLogEntry[];
  cursor: string | undefined;
}

/** The last `days` days up to `nowMs`, nothing read yet. */
export function newAuditLogRead(
  days: number,
  filters: Pick<AuditLogFilters, 'action' | 'orgId'>,
  nowMs: number,
  batchSize = AUDIT_LOG_BATCH,
): AuditLogRead {
  const to = Math.floor(nowMs / 1000);
  return {
    filters: { from: to - days * 86_400, to, action: filters.action, orgId: filters.orgId },
    batchSize: Math.max(1, batchSize),
    items: [],
    cursor: undefined,
  };
}

/** Reads the next batch into `log`; undefined when the user cancelled. Whatever arrived before a cancel is kept. */
export async function readAuditLogBatch(
  deps: { readonly client: DevinClient; readonly ui: Pick<Ui, 'progress'> },
  log: AuditLogRead,
): Promise<number | undefined> {
  const { client, ui } = deps;
  const start = log.items.length;
  const query: AuditLogQuery = {
    timeAfter: log.filters.from,
    timeBefore: log.filters.to,
    action: log.filters.action,
    orgId: log.filters.orgId,
  };
  try {
    await ui.progress({ title: l10n.t('Reading the Devin audit log…'), cancellable: true }, async (report, signal) => {
      // The cursor advances page by page, so a cancelled batch keeps what arrived and Load More resumes after it.
      await collectPages(
        async () => {
          const page = await client.listAuditLogs({
            ...query,
            first: Math.min(API_PAGE, log.batchSize),
            after: log.cursor,
            signal,
          });
          log.items.push(...page.items);
          log.cursor = page.nextCursor;
          return page;
        },
        log.batchSize,
        () => report(l10n.t('{0} events', log.items.length)),
      );
    });
  } catch (error) {
    if (isDevinApiError(error) && error.kind === 'cancelled') return undefined;
    throw error;
  }
  return log.items.length - start;
}
