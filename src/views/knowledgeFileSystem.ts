import * as vscode from 'vscode';
import {
  listAllNotes,
  locateNote,
  missingAsUndefined,
  noteVersion,
  renameNote,
  saveNoteBody,
  type NoteAccess,
} from '../actions/knowledgeFiles';
import { deleteKnowledgeNote, getKnowledgeNote, replaceKnowledgeNote } from '../api/knowledgeNotes';
import { isDevinApiError } from '../api/errors';
import type { DevinAccount } from '../auth/account';
import {
  encodeSegment,
  inFolder,
  noteFileName,
  noteFilePath,
  noteIdQuery,
  parseNoteAddress,
  type NoteAddress,
} from '../core/knowledgeAddress';
import { findFolder, folderParts, groupNotesByFolder } from '../core/knowledgeFolders';
import type { KnowledgeNote } from '../core/models';

/**
 * An organization's Knowledge notes as Markdown files: `devin-knowledge:/{org_id}/{folder…}/{name}.md?note={note_id}`
 * (see knowledgeAddress), the file holding the note's body. The id in the query is what names the note;
 * the path gives the editor its title. Saving replaces the note (`PUT`), a new file creates one, renaming
 * renames it, deleting deletes it. Each file's modification time is the note's `updated_at` (plus a digest of
 * its body, since `updated_at` counts whole seconds), and `stat` always asks Devin, so when the note
 * changed on the server since it was opened, VS Code refuses the save and offers to compare or overwrite
 * instead of silently replacing someone else's edit.
 */
/** How long a reopen waits for VS Code to reload a note's kept text before showing it anyway. */
const RELOAD_WAIT_MS = 3000;

export class KnowledgeFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  static readonly scheme = 'devin-knowledge';
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  /** The version of each note an editor was given, to tell on save whether Devin's copy moved on since. */
  private readonly bases = new Map<string, string>();
  /** Notes the user chose to overwrite after a conflict; the next save of each goes through once. */
  private readonly overwrites = new Set<string>();

  constructor(private readonly account: DevinAccount) {}

  static uri(orgId: string, note: Pick<KnowledgeNote, 'id' | 'name' | 'folderPath'>): vscode.Uri {
    return vscode.Uri.from({
      scheme: KnowledgeFileSystem.scheme,
      path: noteFilePath(orgId, note),
      query: noteIdQuery(note.id),
    });
  }

  static orgIdOf(uri: vscode.Uri): string | undefined {
    return parseNoteAddress(uri.path, uri.query).orgId;
  }

  watch(): vscode.Disposable {
    // Changes made elsewhere surface through `stat` when a file is saved or reopened.
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const address = parse(uri);
    if (!address.orgId || !isNote(address)) {
      if (address.orgId && address.folder.length > 0 && !(await this.folder(address.orgId, address.folder)))
        throw vscode.FileSystemError.FileNotFound(uri);
      return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    }
    const note = await this.fresh(uri, address);
    return {
      type: vscode.FileType.File,
      ctime: 0,
      mtime: modificationTime(note),
      size: new TextEncoder().encode(note.body).length,
    };
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const address = parse(uri);
    if (!address.orgId || isNote(address)) throw vscode.FileSystemError.FileNotADirectory(uri);
    const folder = await this.folder(address.orgId, address.folder);
    if (!folder) throw vscode.FileSystemError.FileNotFound(uri);
    return [
      ...folder.folders.map((child): [string, vscode.FileType] => [
        encodeSegment(child.name),
        vscode.FileType.Directory,
      ]),
      ...folder.notes.map((note): [string, vscode.FileType] => [noteFileName(note.name), vscode.FileType.File]),
    ];
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const address = parse(uri);
    if (!address.orgId || !isNote(address)) throw vscode.FileSystemError.FileIsADirectory(uri);
    const note = await this.fresh(uri, address);
    // A re-read under unsaved edits (a backup, a comparison) must not move the base the edits started from.
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    if (!open?.isDirty) this.bases.set(uri.toString(), noteVersion(note));
    return new TextEncoder().encode(note.body);
  }

  async writeFile(
    uri: vscode.Uri,
    content: Uint8Array,
    options: { create: boolean; overwrite: boolean },
  ): Promise<void> {
    const address = parse(uri);
    const orgId = address.orgId;
    if (!orgId || !isNote(address))
      throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Knowledge notes live inside an organization.'));
    const body = new TextDecoder().decode(content);
    const saved = await saveNoteBody(this.access(uri), orgId, address, body, {
      overwrite: options.overwrite,
      base: this.bases.get(uri.toString()),
      overwriteChosen: () => this.overwrites.delete(uri.toString()),
    });
    switch (saved.kind) {
      case 'ambiguous':
        throw vscode.FileSystemError.Unavailable(ambiguity(saved.notes));
      case 'exists':
        throw vscode.FileSystemError.FileExists(uri);
      case 'changedInDevin':
        void this.offerConflict(uri, saved.current);
        throw vscode.FileSystemError.Unavailable(
          vscode.l10n.t(
            "{0} was changed in Devin since you opened it; compare the two, or overwrite Devin's version.",
            saved.current.name,
          ),
        );
      case 'saved':
        this.bases.set(uri.toString(), noteVersion(saved.note));
        this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
        return;
      case 'none':
        break;
    }
    // Saving again would make a new note each time under an id that never finds it.
    if (address.noteId !== undefined)
      throw vscode.FileSystemError.FileNotFound(
        vscode.l10n.t('This Knowledge note is no longer in Devin; copy your text into a new note.'),
      );
    if (!options.create) throw vscode.FileSystemError.FileNotFound(uri);
    const name = address.name as string;
    const folderId = address.folder.length > 0 ? await this.folderId(orgId, address.folder) : undefined;
    // A note needs a trigger; a new file's name says what it is about, which is the best guess until edited.
    const client = this.account.getClient();
    await this.call(uri, () => client.createKnowledgeNote(orgId, { name, body, trigger: name, folderId }));
    this.changed.fire([{ type: vscode.FileChangeType.Created, uri }]);
  }

  async delete(uri: vscode.Uri): Promise<void> {
    const address = parse(uri);
    const orgId = address.orgId;
    if (!orgId || !isNote(address))
      throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Only notes can be deleted.'));
    const noteId = address.noteId ?? (await this.locate(uri, address))?.id;
    if (noteId === undefined) throw vscode.FileSystemError.FileNotFound(uri);
    await this.call(uri, () => deleteKnowledgeNote(this.account.getClient(), orgId, noteId));
    this.changed.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
  }

  async rename(oldUri: vscode.Uri, newUri: vscode.Uri, options: { overwrite: boolean }): Promise<void> {
    const from = parse(oldUri);
    const to = parse(newUri);
    const orgId = from.orgId;
    if (!orgId || !isNote(from) || to.name === undefined || orgId !== to.orgId)
      throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('A note can be renamed within its organization only.'));
    // The folders in a path are for reading; a note is moved to another folder in Devin.
    if (from.folder.join('/') !== to.folder.join('/'))
      throw vscode.FileSystemError.NoPermissions(
        vscode.l10n.t('A note keeps its folder when renamed; move it in Devin.'),
      );
    const renamed = await renameNote(this.access(oldUri), orgId, from, to.name, options);
    if (renamed.kind === 'none') throw vscode.FileSystemError.FileNotFound(oldUri);
    if (renamed.kind === 'ambiguous') throw vscode.FileSystemError.Unavailable(ambiguity(renamed.notes));
    if (renamed.kind === 'nameTaken') throw vscode.FileSystemError.FileExists(newUri);
    this.changed.fire([
      { type: vscode.FileChangeType.Deleted, uri: oldUri },
      { type: vscode.FileChangeType.Created, uri: newUri },
    ]);
  }

  /** Devin's copy beside the editor's, or the editor's copy saved over it: the user's choice, never a silent loss. */
  private async offerConflict(uri: vscode.Uri, current: KnowledgeNote): Promise<void> {
    const compare = vscode.l10n.t('Compare');
    const overwrite = vscode.l10n.t("Overwrite Devin's Version");
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        'The Knowledge note "{0}" was changed in Devin since you opened it. Your edit is kept in the editor.',
        current.name,
      ),
      compare,
      overwrite,
    );
    if (choice === compare) {
      const theirs = await vscode.workspace.openTextDocument({ content: current.body, language: 'markdown' });
      await vscode.commands.executeCommand(
        'vscode.diff',
        theirs.uri,
        uri,
        vscode.l10n.t("{0}: Devin's version ↔ yours", current.name),
      );
    }
    if (choice === overwrite) {
      this.overwrites.add(uri.toString());
      await vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString())?.save();
    }
  }

  /**
   * VS Code keeps a note's text after its editor closes and, with no file watching here, would show that
   * text again when the note is reopened, however Devin's copy changed meanwhile. Before a reopen, a kept
   * copy without unsaved edits is compared with Devin's and, when they differ, reloaded.
   */
  async refreshKeptCopy(uri: vscode.Uri): Promise<void> {
    const kept = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    if (!kept || kept.isDirty) return;
    const current = new TextDecoder().decode(await this.readFile(uri));
    if (kept.getText() === current) return;
    const reloaded = new Promise<void>((resolve) => {
      const timer = setTimeout(() => done(), RELOAD_WAIT_MS);
      const listener = vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.uri.toString() === uri.toString() && event.document.getText() === current) done();
      });
      const done = () => {
        clearTimeout(timer);
        listener.dispose();
        resolve();
      };
    });
    // VS Code reloads an unedited document whose file says it changed.
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    await reloaded;
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Knowledge folders are made in Devin.'));
  }

  dispose(): void {
    this.changed.dispose();
  }

  private async fresh(uri: vscode.Uri, address: NoteAddress): Promise<KnowledgeNote> {
    const note = await this.locate(uri, address);
    if (!note) throw vscode.FileSystemError.FileNotFound(uri);
    return note;
  }

  /**
   * The note a file names, as Devin has it now (never a cached copy: the save conflict check depends on
   * it): by its id, or by its name when the address has no id and exactly one note answers it.
   */
  private async locate(uri: vscode.Uri, address: NoteAddress): Promise<KnowledgeNote | undefined> {
    const match = await locateNote(this.access(uri), address.orgId as string, address);
    if (match.kind === 'ambiguous') throw vscode.FileSystemError.Unavailable(ambiguity(match.notes));
    return match.kind === 'found' ? match.note : undefined;
  }

  /** Devin's notes, each call's failure worded as a file error about `uri` (the list's about its organization). */
  private access(uri: vscode.Uri): NoteAccess {
    const client = this.account.getClient();
    return {
      get: (orgId, noteId) => this.call(uri, () => getKnowledgeNote(client, orgId, noteId).catch(missingAsUndefined)),
      list: (orgId) => this.list(orgId),
      replace: (orgId, note) => this.call(uri, () => replaceKnowledgeNote(client, orgId, note)),
    };
  }

  private async folder(orgId: string, folder: readonly string[]) {
    return findFolder(groupNotesByFolder(await this.list(orgId)), folder.join('/'));
  }

  /** Folders are known by the notes in them; a new note goes into one only when a note there names its id. */
  private async folderId(orgId: string, folder: readonly string[]): Promise<string> {
    const id = (await this.list(orgId)).find((note) => note.folderId !== undefined && inFolder(note, folder))?.folderId;
    if (id === undefined)
      throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Knowledge folders are made in Devin.'));
    return id;
  }

  private list(orgId: string): Promise<KnowledgeNote[]> {
    const client = this.account.getClient();
    return this.call(vscode.Uri.from({ scheme: KnowledgeFileSystem.scheme, path: `/${orgId}` }), () =>
      listAllNotes(client, orgId),
    );
  }

  /** API failures become file-system errors VS Code knows how to show, with the API's own message. */
  private async call<T>(uri: vscode.Uri, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!isDevinApiError(error)) throw error;
      if (error.kind === 'notFound') throw vscode.FileSystemError.FileNotFound(uri);
      if (error.kind === 'forbidden' || error.kind === 'unauthorized' || error.kind === 'signedOut')
        throw vscode.FileSystemError.NoPermissions(error.message);
      throw vscode.FileSystemError.Unavailable(error.message);
    }
  }
}

function parse(uri: vscode.Uri): NoteAddress {
  return parseNoteAddress(uri.path, uri.query);
}

function isNote(address: NoteAddress): boolean {
  return address.name !== undefined || address.noteId !== undefined;
}

function ambiguity(notes: readonly KnowledgeNote[]): string {
  const folders = [...new Set(notes.map((note) => folderParts(note.folderPath).join('/')))].map(
    (folder) => folder || vscode.l10n.t('the top level'),
  );
  return vscode.l10n.t(
    'Several Knowledge notes are named "{0}" (in {1}); open the one you mean from the Devin view.',
    notes[0]?.name ?? '',
    folders.join(', '),
  );
}

function modificationTime(note: KnowledgeNote): number {
  return (note.updatedAt ?? 0) * 1000;
}
