import * as vscode from 'vscode';
import { deleteKnowledgeNote, getKnowledgeNote, replaceKnowledgeNote } from '../api/knowledgeNotes';
import { isDevinApiError } from '../api/errors';
import type { DevinAccount } from '../auth/account';
import { collectPages } from '../core/paging';
import type { KnowledgeNote } from '../core/models';

/**
 * An organization's Knowledge notes as Markdown files: `devin-knowledge:/{org_id}/{note name}.md`, the
 * file holding the note's body. Saving replaces the note (`PUT`), a new file creates one, renaming renames
 * it, deleting deletes it. Each file's modification time is the note's `updated_at` (plus a digest of
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

  static uri(orgId: string, note: Pick<KnowledgeNote, 'name'>): vscode.Uri {
    return vscode.Uri.from({ scheme: KnowledgeFileSystem.scheme, path: `/${orgId}/${fileName(note.name)}` });
  }

  watch(): vscode.Disposable {
    // Changes made elsewhere surface through `stat` when a file is saved or reopened.
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { orgId, file } = parse(uri);
    if (!orgId || !file) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    const note = await this.fresh(uri, orgId, file);
    return {
      type: vscode.FileType.File,
      ctime: 0,
      mtime: modificationTime(note),
      size: new TextEncoder().encode(note.body).length,
    };
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const { orgId, file } = parse(uri);
    if (!orgId || file) throw vscode.FileSystemError.FileNotADirectory(uri);
    const notes = await this.list(orgId);
    return notes.map((note) => [fileName(note.name), vscode.FileType.File]);
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const { orgId, file } = parse(uri);
    if (!orgId || !file) throw vscode.FileSystemError.FileIsADirectory(uri);
    const note = await this.fresh(uri, orgId, file);
    // A re-read under unsaved edits (a backup, a comparison) must not move the base the edits started from.
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    if (!open?.isDirty) this.bases.set(uri.toString(), version(note));
    return new TextEncoder().encode(note.body);
  }

  async writeFile(
    uri: vscode.Uri,
    content: Uint8Array,
    options: { create: boolean; overwrite: boolean },
  ): Promise<void> {
    const { orgId, file } = parse(uri);
    if (!orgId || !file)
      throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Knowledge notes live inside an organization.'));
    const body = new TextDecoder().decode(content);
    const existing = await this.find(orgId, file);
    const client = this.account.getClient();
    if (existing) {
      if (!options.overwrite) throw vscode.FileSystemError.FileExists(uri);
      const current = await this.call(uri, () => getKnowledgeNote(client, orgId, existing.id));
      const base = this.bases.get(uri.toString());
      if (base !== undefined && base !== version(current) && !this.overwrites.delete(uri.toString())) {
        void this.offerConflict(uri, current);
        throw vscode.FileSystemError.Unavailable(
          vscode.l10n.t(
            "{0} was changed in Devin since you opened it; compare the two, or overwrite Devin's version.",
            current.name,
          ),
        );
      }
      const saved = await this.call(uri, () => replaceKnowledgeNote(client, orgId, { ...current, body }));
      this.bases.set(uri.toString(), version(saved));
      this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
      return;
    }
    if (!options.create) throw vscode.FileSystemError.FileNotFound(uri);
    const name = noteName(file);
    // A note needs a trigger; a new file's name says what it is about, which is the best guess until edited.
    await this.call(uri, () => client.createKnowledgeNote(orgId, { name, body, trigger: name }));
    this.changed.fire([{ type: vscode.FileChangeType.Created, uri }]);
  }

  async delete(uri: vscode.Uri): Promise<void> {
    const { orgId, file } = parse(uri);
    if (!orgId || !file) throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Only notes can be deleted.'));
    const note = await this.find(orgId, file);
    if (!note) throw vscode.FileSystemError.FileNotFound(uri);
    await this.call(uri, () => deleteKnowledgeNote(this.account.getClient(), orgId, note.id));
    this.changed.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
  }

  async rename(oldUri: vscode.Uri, newUri: vscode.Uri, options: { overwrite: boolean }): Promise<void> {
    const from = parse(oldUri);
    const to = parse(newUri);
    if (!from.orgId || !from.file || !to.file || from.orgId !== to.orgId)
      throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('A note can be renamed within its organization only.'));
    const note = await this.find(from.orgId, from.file);
    if (!note) throw vscode.FileSystemError.FileNotFound(oldUri);
    if (!options.overwrite && (await this.find(to.orgId as string, to.file)))
      throw vscode.FileSystemError.FileExists(newUri);
    await this.call(oldUri, () =>
      replaceKnowledgeNote(this.account.getClient(), from.orgId as string, {
        ...note,
        name: noteName(to.file as string),
      }),
    );
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

  /** The note as Devin has it now (never a cached copy: the save conflict check depends on it). */
  private async fresh(uri: vscode.Uri, orgId: string, file: string): Promise<KnowledgeNote> {
    const listed = await this.find(orgId, file);
    if (!listed) throw vscode.FileSystemError.FileNotFound(uri);
    return this.call(uri, () => getKnowledgeNote(this.account.getClient(), orgId, listed.id));
  }

  private async find(orgId: string, file: string): Promise<KnowledgeNote | undefined> {
    return (await this.list(orgId)).find((note) => fileName(note.name) === file);
  }

  private async list(orgId: string): Promise<KnowledgeNote[]> {
    const client = this.account.getClient();
    const { items } = await this.call(vscode.Uri.from({ scheme: KnowledgeFileSystem.scheme, path: `/${orgId}` }), () =>
      collectPages((after) => client.listKnowledgeNotes(orgId, { first: 200, after }), 2000),
    );
    return items;
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

function parse(uri: vscode.Uri): { orgId?: string; file?: string } {
  const [orgId, file] = uri.path.split('/').filter((part) => part.length > 0);
  return { orgId, file };
}

/** Slashes would read as folders; the rest of a note's name is kept. */
export function fileName(name: string): string {
  return `${name.replace(/[/\\]/g, '∕')}.md`;
}

function noteName(file: string): string {
  return file.replace(/\.md$/i, '').replace(/∕/g, '/');
}

function modificationTime(note: KnowledgeNote): number {
  return (note.updatedAt ?? 0) * 1000;
}

/** `updated_at` counts whole seconds, so two edits within one second are told apart by their content too. */
function version(note: KnowledgeNote): string {
  return JSON.stringify([note.updatedAt, note.name, note.trigger, note.body]);
}
