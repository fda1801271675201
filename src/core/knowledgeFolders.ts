import type { KnowledgeNote } from './models';

/**
 * Knowledge notes arranged by the folder each one names (`folder_path`, e.g. "Engineering/Testing", §4.6),
 * folders first and then notes, each alphabetically. Notes without a folder sit at the top level.
 */

export interface KnowledgeFolder {
  /** "" for the top level, else the folder's full path with "/" between names. */
  readonly path: string;
  /** The last part of the path. */
  readonly name: string;
  readonly folders: readonly KnowledgeFolder[];
  readonly notes: readonly KnowledgeNote[];
}

interface MutableFolder {
  readonly path: string;
  readonly name: string;
  readonly folders: Map<string, MutableFolder>;
  readonly notes: KnowledgeNote[];
}

/** The parts of a folder path, without empty ones ("/a//b/" is "a/b"). */
export function folderParts(folderPath: string | undefined): string[] {
  return (folderPath ?? '').split('/').flatMap((part) => (part.trim() ? [part.trim()] : []));
}

export function groupNotesByFolder(notes: readonly KnowledgeNote[]): KnowledgeFolder {
  const root: MutableFolder = { path: '', name: '', folders: new Map(), notes: [] };
  for (const note of notes) {
    let folder = root;
    for (const part of folderParts(note.folderPath)) {
      let child = folder.folders.get(part);
      if (!child) {
        child = { path: folder.path ? `${folder.path}/${part}` : part, name: part, folders: new Map(), notes: [] };
        folder.folders.set(part, child);
      }
      folder = child;
    }
    folder.notes.push(note);
  }
  return freeze(root);
}

function freeze(folder: MutableFolder): KnowledgeFolder {
  const byName = (a: { name: string }, b: { name: string }) =>
    a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true });
  return {
    path: folder.path,
    name: folder.name,
    folders: [...folder.folders.values()].sort(byName).map(freeze),
    notes: [...folder.notes].sort(byName),
  };
}

/** The folder at `path` ("" for the top level), if any note lives in or below it. */
export function findFolder(root: KnowledgeFolder, path: string): KnowledgeFolder | undefined {
  let folder: KnowledgeFolder | undefined = root;
  for (const part of folderParts(path)) {
    folder = folder.folders.find((child) => child.name === part);
    if (!folder) return undefined;
  }
  return folder;
}
