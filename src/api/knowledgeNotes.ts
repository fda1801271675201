import type { KnowledgeNote } from '../core/models';
import type { DevinClient } from './client';
import { DevinApiError } from './errors';
import { toKnowledgeNote } from './mappers';
import { schemas } from './schemaLoader';

/** One Knowledge note: read, full replace (`PUT`) and delete (§4.6). */

const PERMISSION = 'ManageAccountKnowledge';
const notePath = (orgId: string, noteId: string) =>
  `/organizations/${encodeURIComponent(orgId)}/knowledge/notes/${encodeURIComponent(noteId)}`;

function parsed(note: KnowledgeNote | undefined, endpoint: string): KnowledgeNote {
  if (!note) throw new DevinApiError({ kind: 'malformed', endpoint });
  return note;
}

export async function getKnowledgeNote(client: DevinClient, orgId: string, noteId: string): Promise<KnowledgeNote> {
  const wire = await client.requestJson('GET', notePath(orgId, noteId), schemas().knowledgeNoteSchema, {
    permission: PERMISSION,
  });
  return parsed(toKnowledgeNote(wire), `GET ${notePath(orgId, noteId)}`);
}

/**
 * `PUT` replaces the whole note: a field left out is cleared, so every field the reference lists for it
 * goes back as the note has it (a rename must not take a note out of its folder or unpin its repository).
 */
export async function replaceKnowledgeNote(
  client: DevinClient,
  orgId: string,
  note: Pick<KnowledgeNote, 'id' | 'name' | 'body' | 'trigger' | 'folderId' | 'pinnedRepo' | 'isEnabled'>,
): Promise<KnowledgeNote> {
  const wire = await client.requestJson('PUT', notePath(orgId, note.id), schemas().knowledgeNoteSchema, {
    body: {
      name: note.name,
      body: note.body,
      trigger: note.trigger,
      folder_id: note.folderId ?? null,
      pinned_repo: note.pinnedRepo ?? null,
      is_enabled: note.isEnabled,
    },
    permission: PERMISSION,
  });
  return parsed(toKnowledgeNote(wire), `PUT ${notePath(orgId, note.id)}`);
}

export async function deleteKnowledgeNote(client: DevinClient, orgId: string, noteId: string): Promise<void> {
  await client.requestJson('DELETE', notePath(orgId, noteId), undefined, { permission: PERMISSION });
}
