// Org knowledge notes (§4.6). Reads need ViewOrgKnowledge, writes ManageAccountKnowledge (the name the
// docs use "for the specified organization").

import { requireOrg } from '../auth';
import type { NoteRecord } from '../data';
import type { Ctx, Reply } from '../http';
import { bodyObject, invalid, legacy, one, paginate, requireStrings, sec } from '../http';
import type { Route } from '../router';

const READ = 'ViewOrgKnowledge';
const WRITE = 'ManageAccountKnowledge';

function render(n: NoteRecord): Record<string, unknown> {
  const { ownerOrgId: _owner, ...pub } = n;
  return { ...pub };
}

function loadNote(ctx: Ctx, permission: string): NoteRecord {
  const orgId = ctx.params.org_id as string;
  requireOrg(ctx, orgId, permission);
  const note = ctx.store.notes.get(ctx.params.note_id as string);
  if (!note || note.ownerOrgId !== orgId) throw legacy(404, `Knowledge note ${ctx.params.note_id} not found`);
  return note;
}

function listNotes(ctx: Ctx): Reply {
  const orgId = ctx.params.org_id as string;
  requireOrg(ctx, orgId, READ);
  const search = one(ctx.query, 'search')?.toLowerCase();
  const folder = one(ctx.query, 'folder_path');
  const repo = one(ctx.query, 'pinned_repo');
  const rows = [...ctx.store.notes.values()]
    .filter(
      (n) =>
        n.ownerOrgId === orgId &&
        (!search || [n.name, n.trigger, n.body].some((f) => f.toLowerCase().includes(search))) &&
        (folder === undefined || n.folder_path === folder || n.folder_path.startsWith(`${folder}/`)) &&
        (repo === undefined || n.pinned_repo === repo),
    )
    .sort((a, b) => a.created_at - b.created_at || (a.note_id < b.note_id ? -1 : 1));
  return { body: paginate(ctx.query, rows, render) };
}

/**
 * Shared by create and full-replace update: a field left out is cleared (no folder, no pinned repository,
 * enabled), as the real API's `PUT` replaces the whole note.
 */
function readNoteBody(
  ctx: Ctx,
  orgId: string,
): Pick<NoteRecord, 'name' | 'body' | 'trigger' | 'folder_id' | 'folder_path' | 'is_enabled' | 'pinned_repo'> {
  const body = bodyObject(ctx);
  requireStrings(body, ['name', 'body', 'trigger']);
  const optionalString = (field: string): string | null => {
    const v = body[field];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') throw invalid(['body', field], 'Input should be a valid string', 'string_type', v);
    return v;
  };
  const enabled = body.is_enabled;
  if (enabled !== undefined && enabled !== null && typeof enabled !== 'boolean') {
    throw invalid(['body', 'is_enabled'], 'Input should be a valid boolean', 'bool_type', enabled);
  }
  const folderId = optionalString('folder_id');
  const folder = folderId === null ? undefined : ctx.store.noteFolders.get(folderId);
  if (folderId !== null && folder?.ownerOrgId !== orgId) throw legacy(404, `Knowledge folder ${folderId} not found`);
  return {
    name: body.name as string,
    body: body.body as string,
    trigger: body.trigger as string,
    folder_id: folderId,
    folder_path: folder?.path ?? '',
    pinned_repo: optionalString('pinned_repo'),
    is_enabled: typeof enabled === 'boolean' ? enabled : true,
  };
}

function createNote(ctx: Ctx): Reply {
  const orgId = ctx.params.org_id as string;
  requireOrg(ctx, orgId, WRITE);
  const fields = readNoteBody(ctx, orgId);
  const now = sec(ctx.nowMs);
  const note: NoteRecord = {
    ownerOrgId: orgId,
    note_id: ctx.store.newId('note-'),
    ...fields,
    macro: null,
    org_id: orgId,
    access_type: 'org',
    created_at: now,
    updated_at: now,
  };
  ctx.store.notes.set(note.note_id, note);
  ctx.store.recordAudit(
    ctx.principal,
    'create_knowledge',
    orgId,
    { note_id: note.note_id, name: note.name },
    ctx.nowMs,
  );
  return { body: render(note) };
}

function updateNote(ctx: Ctx): Reply {
  const note = loadNote(ctx, WRITE);
  Object.assign(note, readNoteBody(ctx, note.ownerOrgId), { updated_at: sec(ctx.nowMs) });
  ctx.store.recordAudit(ctx.principal, 'edit_knowledge', note.ownerOrgId, { note_id: note.note_id }, ctx.nowMs);
  return { body: render(note) };
}

function deleteNote(ctx: Ctx): Reply {
  const note = loadNote(ctx, WRITE);
  ctx.store.notes.delete(note.note_id);
  ctx.store.recordAudit(ctx.principal, 'delete_knowledge', note.ownerOrgId, { note_id: note.note_id }, ctx.nowMs);
  return { body: render(note) };
}

const base = '/organizations/:org_id/knowledge/notes';

export const knowledgeRoutes: Route[] = [
  { method: 'GET', pattern: base, handler: listNotes },
  { method: 'POST', pattern: base, handler: createNote },
  { method: 'GET', pattern: `${base}/:note_id`, handler: (ctx) => ({ body: render(loadNote(ctx, READ)) }) },
  { method: 'PUT', pattern: `${base}/:note_id`, handler: updateNote },
  { method: 'DELETE', pattern: `${base}/:note_id`, handler: deleteNote },
];
