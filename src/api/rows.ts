import * as l10n from '@vscode/l10n';
import type * as z from 'zod/mini';
import { DevinApiError } from './errors';

/**
 * Rows of a list response are checked one at a time: a row the extension cannot use (a `session_id:
 * null`, a `message: null`) is skipped and reported, and the rest of the page still shows.
 */

export interface SkippedRows {
  /** `METHOD /path`, without host or query. */
  readonly endpoint: string;
  readonly skipped: number;
  readonly total: number;
  /** The first failing field and what was wrong with it; never the row's values. */
  readonly reason: string;
}

/**
 * A page holding far more rows than any page size the API accepts (1–200) is refused rather than
 * held in memory: a server that ignores `first` could otherwise send tens of thousands of rows.
 */
export const MAX_ROWS_PER_PAGE = 1000;

export function checkRowCount(rows: readonly unknown[], requested: number | undefined, endpoint: string): void {
  const allowed = Math.max(MAX_ROWS_PER_PAGE, requested ?? 0);
  if (rows.length > allowed) throw new TooManyRowsError(endpoint, rows.length, requested);
}

export function parseRows<S extends z.core.$ZodType>(
  schema: S,
  rows: readonly unknown[],
  endpoint: string,
  onSkipped: ((report: SkippedRows) => void) | undefined,
): z.infer<S>[] {
  const valid: z.infer<S>[] = [];
  let reason: string | undefined;
  for (const row of rows) {
    const parsed = (schema as unknown as z.ZodMiniType).safeParse(row);
    if (parsed.success) valid.push(parsed.data as z.infer<S>);
    else reason ??= describeIssue(parsed.error.issues[0]);
  }
  const skipped = rows.length - valid.length;
  if (skipped === 0) return valid;
  // Every row failing says the response shape changed, which an empty list would hide.
  if (valid.length === 0) throw new DevinApiError({ kind: 'malformed', endpoint });
  onSkipped?.({ endpoint, skipped, total: rows.length, reason: reason ?? 'unexpected shape' });
  return valid;
}

function describeIssue(issue: { readonly path: readonly PropertyKey[]; readonly message: string } | undefined): string {
  if (!issue) return 'unexpected shape';
  const where = issue.path.map(String).join('.');
  return where ? `${where}: ${issue.message}` : issue.message;
}

export function describeSkippedRows(report: SkippedRows): string {
  return `Skipped ${report.skipped} of ${report.total} rows from ${report.endpoint} that this extension cannot read (${report.reason}); the other rows are shown.`;
}

/** A page with more rows than the extension will hold; the message says what came and what was asked. */
export class TooManyRowsError extends DevinApiError {
  constructor(endpoint: string, received: number, requested: number | undefined) {
    super({ kind: 'malformed', endpoint });
    this.name = 'TooManyRowsError';
    const limit = Math.max(MAX_ROWS_PER_PAGE, requested ?? 0);
    this.message =
      requested !== undefined
        ? l10n.t(
            'The Devin API sent {0} rows in one page ({1}) where {2} were asked for; more than {3} rows in a page are not accepted. If this keeps happening, check devin.apiBaseUrl points at the Devin API.',
            received,
            endpoint,
            requested,
            limit,
          )
        : l10n.t(
            'The Devin API sent {0} rows in one page ({1}); more than {2} rows in a page are not accepted. If this keeps happening, check devin.apiBaseUrl points at the Devin API.',
            received,
            endpoint,
            limit,
          );
  }
}
