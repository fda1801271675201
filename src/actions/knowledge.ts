import * as l10n from '@vscode/l10n';
import type { DevinClient } from '../api/client';
import { findCreatedKnowledgeNote } from '../api/createdLookup';
import type { KnowledgeNote, OrgRef } from '../core/models';
import { sendOnceForRetry, type RetryOutcome } from './uncertainSend';
import type { Ui } from './ui';

/**
 * Adding a Knowledge note. A note whose answer was lost is looked for (same name, trigger and text) before the
 * next attempt adds another; what was written travels with the Retry instead of a draft.
 */

export interface NoteRequest {
  readonly name: string;
  readonly trigger: string;
  readonly body: string;
}

export function addKnowledgeNote(
  deps: { readonly client: DevinClient; readonly ui: Pick<Ui, 'progress' | 'now'> },
  org: OrgRef,
  note: NoteRequest,
  retry: { readonly uncertainSince?: number } = {},
): Promise<RetryOutcome<KnowledgeNote>> {
  const { client, ui } = deps;
  const sent = { orgId: org.orgId, name: note.name, trigger: note.trigger, body: note.body };
  return sendOnceForRetry(
    () => ui.now(),
    retry,
    () =>
      ui.progress({ title: l10n.t('Looking for the Knowledge note…'), quiet: true }, () =>
        findCreatedKnowledgeNote(client, sent),
      ),
    () =>
      ui.progress({ title: l10n.t('Saving Knowledge note…'), quiet: true }, () =>
        client.createKnowledgeNote(org.orgId, sent),
      ),
    () => findCreatedKnowledgeNote(client, sent),
  );
}
