import { folderParts } from './knowledgeFolders';
import type { KnowledgeNote } from './models';

/**
 * Where a Knowledge note opens as a file: `/{org_id}/{folder…}/{name}.md?note={note_id}`. The path is for
 * people (an editor tab shows the file name, its breadcrumbs the folders); the `note` query is what names
 * the note, because names repeat across folders and change on rename. Each part that comes from the
 * server is encoded, so no name or folder can add a path segment or climb out of its organization.
 */

export interface NoteAddress {
  readonly orgId: string | undefined;
  /** Folder names, outermost first, decoded. */
  readonly folder: readonly string[];
  /** The note's name, when the path ends in a `.md` file. */
  readonly name: string | undefined;
  /** Absent from a file created by path and from an editor restored from before notes carried ids. */
  readonly noteId: string | undefined;
}

const EXTENSION = /\.md$/i;
const ID_PARAMETER = 'note';

/**
 * A name as one path segment: separators, `%` (so decoding is exact) and control characters are
 * percent-encoded, and a segment of dots alone, which paths read as "here" or "up", is encoded entirely.
 */
export function encodeSegment(text: string): string {
  const encoded = text.replace(/[%/\\\p{Cc}]/gu, (character) => encodeURIComponent(character));
  return /^\.+$/.test(encoded) ? encoded.replaceAll('.', '%2E') : encoded;
}

export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // Typed by hand with a stray "%": taken as written.
    return segment;
  }
}

export function noteFileName(name: string): string {
  return `${encodeSegment(name)}.md`;
}

/** `/{folder…}/{name}.md`, the part of a note's path below whatever holds it. */
export function notePath(note: Pick<KnowledgeNote, 'name' | 'folderPath'>): string {
  return [...folderParts(note.folderPath).map(encodeSegment), noteFileName(note.name)]
    .map((part) => `/${part}`)
    .join('');
}

export function noteFilePath(orgId: string, note: Pick<KnowledgeNote, 'name' | 'folderPath'>): string {
  return `/${encodeSegment(orgId)}${notePath(note)}`;
}

export function noteIdQuery(noteId: string): string {
  return `${ID_PARAMETER}=${encodeURIComponent(noteId)}`;
}

export function parseNoteAddress(path: string, query: string): NoteAddress {
  const segments = path.split('/').filter((segment) => segment.length > 0);
  const [org, ...rest] = segments;
  const last = rest.at(-1);
  const isFile = last !== undefined && EXTENSION.test(last);
  return {
    orgId: org === undefined ? undefined : decodeSegment(org),
    folder: (isFile ? rest.slice(0, -1) : rest).map(decodeSegment),
    name: isFile ? decodeSegment(last.replace(EXTENSION, '')) : undefined,
    noteId: new URLSearchParams(query).get(ID_PARAMETER) ?? undefined,
  };
}

export function inFolder(note: Pick<KnowledgeNote, 'folderPath'>, folder: readonly string[]): boolean {
  const parts = folderParts(note.folderPath);
  return parts.length === folder.length && parts.every((part, index) => part === folder[index]);
}

export type NoteMatch =
  | { readonly kind: 'found'; readonly note: KnowledgeNote }
  | { readonly kind: 'none' }
  | { readonly kind: 'ambiguous'; readonly notes: readonly KnowledgeNote[] };

/**
 * The note an address without an id names: the one of that name in that folder. An address at the top
 * level that no top-level note matches may come from before paths carried folders (when a "/" in a name
 * was written "∕"), so a note of that name anywhere answers it, as long as only one does; several are
 * never guessed between.
 */
export function matchNoteByName(notes: readonly KnowledgeNote[], address: NoteAddress): NoteMatch {
  const here = notes.filter((note) => note.name === address.name && inFolder(note, address.folder));
  if (here.length > 0 || address.folder.length > 0) return verdict(here);
  const earlierName = address.name?.replaceAll('∕', '/');
  return verdict(notes.filter((note) => note.name === address.name || note.name === earlierName));
}

function verdict(candidates: readonly KnowledgeNote[]): NoteMatch {
  if (candidates.length === 0) return { kind: 'none' };
  if (candidates.length === 1) return { kind: 'found', note: candidates[0] as KnowledgeNote };
  return { kind: 'ambiguous', notes: candidates };
}
