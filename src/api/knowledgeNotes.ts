import type { KnowledgeNote } from '../core/models';
import type { DevinClient } from './client';
import { DevinApiError } from './errors';
import { toKnowledgeNote } from './mappers';
import { schemas } from './schemaLoader';

/** One Knowledge note: read, full replace (`PUT`, which needs name, body and trigger) and delete (§4.6). */

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

export async function replaceKnowledgeNote(
  client: DevinClient,
  orgId: string,
  note: Pick<KnowledgeNote, 'id' | 'name' | 'body' | 'trigger' | 'isEnabled'>,
): Promise<KnowledgeNote> {
  const wire = await client.requestJson('PUT', notePath(orgId, note.id), schemas().knowledgeNoteSchema, {
    body: { name: note.name, body: note.body, trigger: note.trigger, is_enabled: note.isEnabled },
    permission: PERMISSION,
  });
  return parsed(toKnowledgeNote(wire), `PUT ${notePath(orgId, note.id)}`);
}

export async function deleteKnowledgeNote(client: DevinClient, orgId: string, noteId: string): Promise<void> {
  await client.requestJson('DELETE', notePath(orgId, noteId), undefined, { permission: PERMISSION });
}
