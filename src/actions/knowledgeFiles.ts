import type { DevinClient } from '../api/client';
import { isDevinApiError } from '../api/errors';
import { getKnowledgeNote, replaceKnowledgeNote } from '../api/knowledgeNotes';
import { inFolder, matchNoteByName, type NoteAddress, type NoteMatch } from '../core/knowledgeAddress';
import { folderParts } from '../core/knowledgeFolders';
import type { KnowledgeNote } from '../core/models';
import { collectPages } from '../core/paging';

/**
 * Saving and renaming a Knowledge note opened as a file: the note is read as Devin has it now (never a kept copy),
 * a save is refused when Devin's copy changed since the editor was given it, and a rename is refused when the
 * name is taken in the note's folder. The file system in src/views words each outcome as a file error.
 */

/** How the flows reach Devin's notes; the file system wraps each call so that a failure reads as a file error. */
export interface NoteAccess {
  /** Undefined when Devin no longer has the note. */
  get(orgId: string, noteId: string): Promise<KnowledgeNote | undefined>;
  list(orgId: string): Promise<readonly KnowledgeNote[]>;
  replace(orgId: string, note: KnowledgeNote): Promise<KnowledgeNote>;
}

/** Far more notes than an organization keeps; the list stops there. */
const MAX_NOTES = 2000;

export async function listAllNotes(client: DevinClient, orgId: string): Promise<KnowledgeNote[]> {
  const { items } = await collectPages((after) => client.listKnowledgeNotes(orgId, { first: 200, after }), MAX_NOTES);
  return items;
}

/** Devin's notes straight from the client, each failure as the API's own error. */
export function noteAccess(client: DevinClient): NoteAccess {
  return {
    get: (orgId, noteId) => getKnowledgeNote(client, orgId, noteId).catch(missingAsUndefined),
    list: (orgId) => listAllNotes(client, orgId),
    replace: (orgId, note) => replaceKnowledgeNote(client, orgId, note),
  };
}

export function missingAsUndefined(error: unknown): undefined {
  if (isDevinApiError(error) && error.kind === 'notFound') return undefined;
  throw error;
}

/**
 * The note an address names, as Devin has it now: by its id, or by its name when the address has no id and
 * exactly one note answers it.
 */
export async function locateNote(access: NoteAccess, orgId: string, address: NoteAddress): Promise<NoteMatch> {
  let noteId = address.noteId;
  if (noteId === undefined) {
    const match = matchNoteByName(await access.list(orgId), address);
    if (match.kind !== 'found') return match;
    noteId = match.note.id;
  }
  const note = await access.get(orgId, noteId);
  return note ? { kind: 'found', note } : { kind: 'none' };
}

/** `updated_at` counts whole seconds, so two edits within one second are told apart by their content too. */
export function noteVersion(note: KnowledgeNote): string {
  return JSON.stringify([note.updatedAt, note.name, note.trigger, note.body]);
}

export type SaveOutcome =
  | { readonly kind: 'saved'; readonly note: KnowledgeNote }
  /** No such note: the caller decides whether the file makes a new one. */
  | { readonly kind: 'none' }
  | { readonly kind: 'ambiguous'; readonly notes: readonly KnowledgeNote[] }
  /** The note exists and the save did not allow replacing it. */
  | { readonly kind: 'exists' }
  /** Devin's copy changed since the editor was given `base`, and the user has not chosen to overwrite it. */
  | { readonly kind: 'changedInDevin'; readonly current: KnowledgeNote };

/**
 * Replaces the note's body. `base` is the version the editor started from (see `noteVersion`); when Devin's copy
 * moved on since, `overwriteChosen` says whether the user chose to overwrite it anyway.
 */
export async function saveNoteBody(
  access: NoteAccess,
  orgId: string,
  address: NoteAddress,
  body: string,
  options: { readonly overwrite: boolean; readonly base: string | undefined; readonly overwriteChosen: () => boolean },
): Promise<SaveOutcome> {
  const located = await locateNote(access, orgId, address);
  if (located.kind !== 'found') return located;
  const current = located.note;
  if (!options.overwrite) return { kind: 'exists' };
  if (options.base !== undefined && options.base !== noteVersion(current) && !options.overwriteChosen())
    return { kind: 'changedInDevin', current };
  return { kind: 'saved', note: await access.replace(orgId, { ...current, body }) };
}

export type RenameOutcome =
  | { readonly kind: 'renamed'; readonly note: KnowledgeNote }
  | { readonly kind: 'none' }
  | { readonly kind: 'ambiguous'; readonly notes: readonly KnowledgeNote[] }
  /** Another note of the folder has that name, and the rename did not allow replacing it. */
  | { readonly kind: 'nameTaken' };

/** Renames the note in place: it keeps its folder, trigger and everything else (`PUT` replaces the whole note). */
export async function renameNote(
  access: NoteAccess,
  orgId: string,
  address: NoteAddress,
  name: string,
  options: { readonly overwrite: boolean },
): Promise<RenameOutcome> {
  const located = await locateNote(access, orgId, address);
  if (located.kind !== 'found') return located;
  const note = located.note;
  const folder = folderParts(note.folderPath);
  if (
    !options.overwrite &&
    (await access.list(orgId)).some((other) => other.id !== note.id && other.name === name && inFolder(other, folder))
  )
    return { kind: 'nameTaken' };
  return { kind: 'renamed', note: await access.replace(orgId, { ...note, name }) };
}
