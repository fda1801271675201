import * as l10n from '@vscode/l10n';
import type { DevinClient } from '../api/client';
import { findServiceUserByName } from '../api/createdLookup';
import { createServiceUser as postServiceUser } from '../api/serviceUsers';
import type { CreatedServiceUser, OrgRef } from '../core/models';
import { sendOnceForRetry, type RetryOutcome } from './uncertainSend';
import type { Ui } from './ui';

/**
 * Creating a service user in an organization. Its API token is in the create's answer and nowhere else, so a
 * lost answer loses the token even when the user was created: a retry first looks for it by name in the
 * enterprise's service users (an organization-scoped token cannot list them, and then a new one is created).
 * The client falls back to the organization's /members/service-users where the provisioning path answers 404.
 */

export interface ServiceUserRequest {
  readonly name: string;
  readonly roleId: string;
  readonly roleName?: string;
  readonly ttlSeconds: number;
}

export interface CreateServiceUserDeps {
  readonly client: DevinClient;
  readonly ui: Pick<Ui, 'progress' | 'now'>;
  /** Told why the service users could not be listed before a retry; the create goes ahead all the same. */
  readonly lookFailed?: (error: unknown) => void;
}

/** `found` and `createdButUnreadable` mean the token went with a lost answer; no lookup follows an unreadable one. */
export function createServiceUser(
  deps: CreateServiceUserDeps,
  org: OrgRef,
  request: ServiceUserRequest,
  retry: { readonly uncertainSince?: number } = {},
): Promise<RetryOutcome<CreatedServiceUser, { readonly id: string; readonly name: string }>> {
  const { client, ui } = deps;
  const { name } = request;
  return sendOnceForRetry(
    () => ui.now(),
    retry,
    () =>
      ui.progress({ title: l10n.t('Looking for service user {0}…', name) }, () =>
        // An organization-scoped token cannot list service users; the user chose Retry knowing that.
        findServiceUserByName(client, { orgId: org.orgId, name }).catch((error: unknown) => {
          deps.lookFailed?.(error);
          return undefined;
        }),
      ),
    () =>
      ui.progress({ title: l10n.t('Creating service user {0}…', name) }, () =>
        postServiceUser(client, org.orgId, {
          name,
          roleId: request.roleId,
          roleName: request.roleName,
          ttlSeconds: request.ttlSeconds,
        }),
      ),
  );
}
