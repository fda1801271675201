import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { apiClient } from '../sandbox/client';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS } from '../sandbox/server';
import { signedInSuite } from './support';

/**
 * Knowledge notes as files: open, edit, save (PUT), create, rename, delete, a save that meets a newer server
 * copy, and notes that share a name (each reached by its id; a path with the name alone never guesses).
 */

type Outcome = { ok: boolean; error?: string; uri?: string };

suite('Devin Knowledge as files', () => {
  const suite = signedInSuite({ apiVersion: 'v3' });
  const org = SANDBOX_ORG_IDS.acme;

  interface WireNote {
    note_id: string;
    name: string;
    body: string;
    trigger: string;
    folder_id: string | null;
    folder_path: string;
    pinned_repo: string | null;
  }

  async function notes(): Promise<WireNote[]> {
    const listed = await apiClient(suite.sandbox.baseUrl, SANDBOX_TOKENS.enterpriseAdmin).get(
      `/v3/organizations/${org}/knowledge/notes?first=200`,
    );
    return listed.json.items;
  }

  async function serverNote(noteId: string): Promise<{ status: number; json: WireNote }> {
    return apiClient(suite.sandbox.baseUrl, SANDBOX_TOKENS.enterpriseAdmin).get(
      `/v3/organizations/${org}/knowledge/notes/${noteId}`,
    );
  }

  /** A second note named as a seeded one, in another folder; returns both. */
  async function sameNameElsewhere(): Promise<{ first: WireNote; second: WireNote }> {
    const all = await notes();
    const first = all.find((note) => note.folder_path === 'Engineering/Testing');
    const elsewhere = all.find((note) => note.folder_path === 'Operations');
    assert.ok(first && elsewhere?.folder_id);
    const created = await apiClient(suite.sandbox.baseUrl, SANDBOX_TOKENS.enterpriseAdmin).post(
      `/v3/organizations/${org}/knowledge/notes`,
      { name: first.name, body: 'The second, in Operations.', trigger: 'When meant', folder_id: elsewhere.folder_id },
    );
    assert.equal(created.status, 200);
    return { first, second: created.json };
  }

  async function firstNote(): Promise<WireNote> {
    const listed = await apiClient(suite.sandbox.baseUrl, SANDBOX_TOKENS.enterpriseAdmin).get(
      `/v3/organizations/${org}/knowledge/notes?first=1`,
    );
    return listed.json.items[0];
  }

  async function openNote(noteId: string): Promise<vscode.TextEditor> {
    const outcome = (await vscode.commands.executeCommand('devin.editKnowledge', { orgId: org, noteId })) as Outcome;
    assert.equal(outcome.ok, true, outcome.error);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), outcome.uri);
    return editor as vscode.TextEditor;
  }

  async function replaceAll(editor: vscode.TextEditor, text: string): Promise<void> {
    const document = editor.document;
    await editor.edit((edit) =>
      edit.replace(new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text),
    );
  }

  test('a note opens as its body, and Save sends the whole note back with PUT', async () => {
    suite.sandbox.reset();
    const note = await firstNote();
    const editor = await openNote(note.note_id);
    assert.equal(editor.document.getText(), note.body);
    assert.equal(editor.document.isDirty, false);
    await replaceAll(editor, `${note.body}\n\nAlso: run the linter.`);
    assert.equal(await editor.document.save(), true);
    const put = suite.sandbox.requests.find((request) => request.method === 'PUT');
    assert.equal(put?.path, `/v3/organizations/${org}/knowledge/notes/${note.note_id}`);
    assert.deepEqual(put?.body, {
      name: note.name,
      body: `${note.body}\n\nAlso: run the linter.`,
      trigger: note.trigger,
      folder_id: note.folder_id,
      pinned_repo: note.pinned_repo,
      is_enabled: true,
    });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('a note changed on the server since it was opened is not overwritten by Save', async () => {
    suite.sandbox.reset();
    const note = await firstNote();
    const editor = await openNote(note.note_id);
    await replaceAll(editor, 'My local edit.');
    // Someone else edits the note in Devin meanwhile.
    const other = await apiClient(suite.sandbox.baseUrl, SANDBOX_TOKENS.enterpriseAdmin).put(
      `/v3/organizations/${org}/knowledge/notes/${note.note_id}`,
      { name: note.name, body: 'Their newer text.', trigger: note.trigger },
    );
    assert.equal(other.status, 200);
    suite.sandbox.requests.length = 0;
    assert.equal(await editor.document.save(), false, 'the save is refused');
    assert.equal(editor.document.isDirty, true, 'the local edit is kept');
    assert.equal(
      suite.sandbox.requests.filter((request) => request.method === 'PUT').length,
      0,
      'nothing was written over the newer note',
    );
    const server = await apiClient(suite.sandbox.baseUrl, SANDBOX_TOKENS.enterpriseAdmin).get(
      `/v3/organizations/${org}/knowledge/notes/${note.note_id}`,
    );
    assert.equal(server.json.body, 'Their newer text.');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('files can be created, renamed and deleted', async () => {
    suite.sandbox.reset();
    const created = vscode.Uri.from({ scheme: 'devin-knowledge', path: `/${org}/Release checklist.md` });
    await vscode.workspace.fs.writeFile(created, new TextEncoder().encode('1. Tag. 2. Publish.'));
    const post = suite.sandbox.requests.find((request) => request.method === 'POST');
    assert.deepEqual(post?.body, {
      name: 'Release checklist',
      body: '1. Tag. 2. Publish.',
      trigger: 'Release checklist',
    });
    const listing = await vscode.workspace.fs.readDirectory(
      vscode.Uri.from({ scheme: 'devin-knowledge', path: `/${org}` }),
    );
    assert.ok(listing.some(([name]) => name === 'Release checklist.md'));

    const renamed = vscode.Uri.from({ scheme: 'devin-knowledge', path: `/${org}/Releasing.md` });
    await vscode.workspace.fs.rename(created, renamed);
    assert.equal(
      (suite.sandbox.requests.filter((request) => request.method === 'PUT').at(-1)?.body as { name: string }).name,
      'Releasing',
    );
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(renamed)), '1. Tag. 2. Publish.');

    await vscode.workspace.fs.delete(renamed);
    assert.equal(suite.sandbox.requests.filter((request) => request.method === 'DELETE').length, 1);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(renamed)), (error: unknown) => {
      assert.ok(error instanceof vscode.FileSystemError);
      return true;
    });
  });

  test("a rename and a save keep the note's folder and pinned repository", async () => {
    suite.sandbox.reset();
    const filed = (await notes()).find((note) => note.folder_id && note.pinned_repo);
    assert.ok(filed, 'a seeded note in a folder with a pinned repository');
    const renamed = (await vscode.commands.executeCommand('devin.renameKnowledge', {
      orgId: org,
      noteId: filed.note_id,
      name: 'Renamed, still filed',
    })) as Outcome;
    assert.equal(renamed.ok, true, renamed.error);
    const afterRename = (await serverNote(filed.note_id)).json;
    assert.equal(afterRename.name, 'Renamed, still filed');
    assert.deepEqual(
      [afterRename.folder_id, afterRename.folder_path, afterRename.pinned_repo],
      [filed.folder_id, filed.folder_path, filed.pinned_repo],
    );

    const editor = await openNote(filed.note_id);
    await replaceAll(editor, 'Saved, still filed.');
    assert.equal(await editor.document.save(), true);
    const afterSave = (await serverNote(filed.note_id)).json;
    assert.equal(afterSave.body, 'Saved, still filed.');
    assert.deepEqual(
      [afterSave.folder_id, afterSave.folder_path, afterSave.pinned_repo],
      [filed.folder_id, filed.folder_path, filed.pinned_repo],
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('of two notes with one name, Edit and Save by id reach the second', async () => {
    suite.sandbox.reset();
    const { first, second } = await sameNameElsewhere();
    const editor = await openNote(second.note_id);
    assert.equal(editor.document.getText(), 'The second, in Operations.');
    await replaceAll(editor, 'The second, edited.');
    assert.equal(await editor.document.save(), true);
    const secondPath = `/v3/organizations/${org}/knowledge/notes/${second.note_id}`;
    assert.ok(suite.sandbox.requests.some((request) => request.method === 'PUT' && request.path === secondPath));
    assert.equal((await serverNote(second.note_id)).json.body, 'The second, edited.');
    assert.equal((await serverNote(first.note_id)).json.body, first.body);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('a path with only a name that two notes have opens neither and says why; one note of that name still opens', async () => {
    suite.sandbox.reset();
    const { first } = await sameNameElsewhere();
    // An editor restored from before addresses carried ids names the note by name only.
    const nameOnly = vscode.Uri.from({ scheme: 'devin-knowledge', path: `/${org}/${first.name}.md` });
    const names = (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      assert.match(message, new RegExp(`Several Knowledge notes are named "${first.name}"`));
      assert.match(message, /Engineering\/Testing/);
      assert.match(message, /Operations/);
      return true;
    };
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(nameOnly)), (error: unknown) => {
      assert.ok(error instanceof vscode.FileSystemError);
      return names(error);
    });
    await assert.rejects(Promise.resolve(vscode.workspace.openTextDocument(nameOnly)), names);
    assert.ok(!vscode.workspace.textDocuments.some((document) => document.uri.toString() === nameOnly.toString()));

    // With one note of that name, the old address still finds it.
    const single = (await notes()).find((note) => note.name === 'Commit message style');
    assert.ok(single);
    const old = vscode.Uri.from({ scheme: 'devin-knowledge', path: `/${org}/${single.name}.md` });
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(old)), single.body);
  });
});
