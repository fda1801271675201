import * as l10n from '@vscode/l10n';
import type { DevinClient } from '../api/client';
import { findCreatedOrganization } from '../api/createdLookup';
import type { Organization } from '../core/models';
import { sendOnceForRetry, type RetryOutcome } from './uncertainSend';
import type { Ui } from './ui';

/**
 * Creating an organization. v3 has no idempotency key, so a create whose answer was lost is looked for by name
 * (created since that attempt) before the next one; what was typed travels with the Retry instead of a draft.
 */

export interface OrganizationRequest {
  readonly name: string;
  readonly maxCycleAcuLimit?: number;
  readonly maxSessionAcuLimit?: number;
}

export function createOrganization(
  deps: { readonly client: DevinClient; readonly ui: Pick<Ui, 'progress' | 'now'> },
  request: OrganizationRequest,
  retry: { readonly uncertainSince?: number } = {},
): Promise<RetryOutcome<Organization>> {
  const { client, ui } = deps;
  const { name } = request;
  return sendOnceForRetry(
    () => ui.now(),
    retry,
    (since) =>
      ui.progress({ title: l10n.t('Looking for organization {0}…', name) }, () =>
        findCreatedOrganization(client, { name, since }),
      ),
    () =>
      ui.progress({ title: l10n.t('Creating organization {0}…', name) }, () =>
        client.createOrganization({
          name,
          maxCycleAcuLimit: request.maxCycleAcuLimit,
          maxSessionAcuLimit: request.maxSessionAcuLimit,
        }),
      ),
    (since) => findCreatedOrganization(client, { name, since }),
  );
}
