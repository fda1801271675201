import * as l10n from '@vscode/l10n';
import type { DevinClient } from '../api/client';
import { findCreatedSchedule } from '../api/createdLookup';
import { createSchedule as postSchedule, type CreateScheduleRequest } from '../api/schedules';
import type { OrgRef, Schedule } from '../core/models';
import { sendOnceForRetry, type RetryOutcome } from './uncertainSend';
import type { Ui } from './ui';

export type { CreateScheduleRequest };

/**
 * Creating a scheduled session. v3 has no idempotency key, so a create whose answer was lost is looked for (same
 * name and prompt, created since that attempt) before the next one; what was typed travels with the Retry instead
 * of a draft, as for organizations and Knowledge notes.
 */
export function createSchedule(
  deps: { readonly client: DevinClient; readonly ui: Pick<Ui, 'progress' | 'now'> },
  org: OrgRef,
  request: CreateScheduleRequest,
  retry: { readonly uncertainSince?: number } = {},
): Promise<RetryOutcome<Schedule>> {
  const { client, ui } = deps;
  const sent = (since: number) => ({ orgId: org.orgId, name: request.name, prompt: request.prompt, since });
  return sendOnceForRetry(
    () => ui.now(),
    retry,
    (since) =>
      ui.progress({ title: l10n.t('Looking for schedule "{0}"…', request.name), quiet: true }, () =>
        findCreatedSchedule(client, sent(since)),
      ),
    () =>
      ui.progress({ title: l10n.t('Creating schedule "{0}"…', request.name), quiet: true }, () =>
        postSchedule(client, org.orgId, request),
      ),
    (since) => findCreatedSchedule(client, sent(since)),
  );
}
