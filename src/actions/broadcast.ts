import * as l10n from '@vscode/l10n';
import type { DevinClient } from '../api/client';
import { isDevinApiError } from '../api/errors';
import type { SessionDraft } from '../core/drafts';
import type { OrgRef, Session } from '../core/models';
import type { BroadcastRow } from '../core/reports';
import { firstLine } from '../core/selectionPrompt';
import { sessionLabel } from '../core/sessionPresentation';
import type { SessionStore } from '../store/sessionStore';
import { errorMessage } from './errorText';
import { sendOnce, type KeptText } from './uncertainSend';
import type { Ui } from './ui';

/**
 * One prompt, one new session in each organization, a few at a time. Each organization's result (the session,
 * or why not) becomes a row of the report; a failure a retry can fix keeps the prompt as a draft for that
 * organization, worded as any create's (a lost answer is kept uncertain, for Retry Unsent to look first).
 */

const BROADCAST_CONCURRENCY = 4;

export interface BroadcastDeps {
  readonly client: DevinClient;
  readonly ui: Pick<Ui, 'progress' | 'now' | 'drafts'>;
  readonly store: Pick<SessionStore, 'addOrUpdateSession' | 'refresh'>;
}

export interface BroadcastResult {
  /** One per organization, in the order the organizations were given. */
  readonly rows: readonly BroadcastRow[];
  readonly created: number;
  readonly uncertain: number;
  readonly failed: number;
  /** Devin rejected the token for at least one organization. */
  readonly signInNeeded: boolean;
}

export async function broadcastPrompt(
  deps: BroadcastDeps,
  organizations: readonly OrgRef[],
  prompt: string,
): Promise<BroadcastResult> {
  const rows: BroadcastRow[] = [];
  let signInNeeded = false;
  await deps.ui.progress({ title: l10n.t('Starting Devin sessions…') }, async (report) => {
    const queue = [...organizations];
    const worker = async () => {
      for (let organization = queue.shift(); organization; organization = queue.shift()) {
        const row = await startOne(deps, organization, prompt);
        rows.push(row.row);
        signInNeeded ||= row.signInNeeded;
        report(l10n.t('{0} of {1}', rows.length, organizations.length), 100 / organizations.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(BROADCAST_CONCURRENCY, organizations.length) }, worker));
  });
  // The report lists organizations in the order the user sees them, not the order the answers came in.
  const order = new Map(organizations.map((organization, index) => [organization.orgId, index]));
  rows.sort((a, b) => (order.get(a.organizationId) ?? 0) - (order.get(b.organizationId) ?? 0));
  return {
    rows,
    created: rows.filter((row) => row.result === 'created').length,
    uncertain: rows.filter((row) => row.result === 'uncertain').length,
    failed: rows.filter((row) => row.result === 'failed').length,
    signInNeeded,
  };
}

/** Errors a later retry cannot fix: the token's role, the request itself, or the organization. */
const NOT_WORTH_RETRYING = new Set(['forbidden', 'validation', 'badRequest', 'notFound']);

async function startOne(
  deps: BroadcastDeps,
  organization: OrgRef,
  prompt: string,
): Promise<{ row: BroadcastRow; signInNeeded: boolean }> {
  const base = { organizationName: organization.name ?? organization.orgId, organizationId: organization.orgId };
  // A fresh send each time (nothing is looked for first); only a failure worth retrying is kept.
  const kept: KeptText = {
    uncertainSince: undefined,
    keep: async ({ uncertainSince, lastError }) =>
      lastError === 'outcomeUnknown' || !NOT_WORTH_RETRYING.has(lastError)
        ? (
            await deps.ui.drafts.save<SessionDraft>({
              kind: 'session',
              orgId: organization.orgId,
              prompt,
              lastError,
              uncertainSince,
            })
          ).id
        : undefined,
    forget: async () => undefined,
  };
  const outcome = await sendOnce<Session, never>(
    () => deps.ui.now(),
    kept,
    async () => undefined,
    () => deps.client.createSession(organization.orgId, { prompt }),
  );
  switch (outcome.kind) {
    case 'created':
    case 'found' /* nothing is looked for */: {
      deps.store.addOrUpdateSession(outcome.value);
      const label = sessionLabel(outcome.value, firstLine(prompt));
      return {
        row: { ...base, result: 'created', sessionUrl: outcome.value.url, sessionLabel: label, kept: false },
        signInNeeded: false,
      };
    }
    case 'createdButUnreadable': {
      deps.store.refresh(organization.orgId);
      const reason = l10n.t("Created; Devin's answer could not be read, so refresh the view to see it.");
      return { row: { ...base, result: 'created', reason, kept: false }, signInNeeded: false };
    }
    case 'cancelled':
      // Nothing here is given a signal, so nothing is cancelled; should the client still say so, nothing was sent.
      return { row: { ...base, result: 'failed', kept: false }, signInNeeded: false };
    case 'failed': {
      const kind = isDevinApiError(outcome.error) ? outcome.error.kind : 'error';
      return {
        row: {
          ...base,
          result: outcome.outcomeUnknown ? 'uncertain' : 'failed',
          reason: errorMessage(outcome.error),
          kept: outcome.draftId !== undefined,
        },
        signInNeeded: kind === 'unauthorized' || kind === 'signedOut',
      };
    }
  }
}
