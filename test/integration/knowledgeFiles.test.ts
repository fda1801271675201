import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { apiClient } from '../sandbox/client';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS } from '../sandbox/server';
import { signedInSuite } from './support';

/** Knowledge notes as files: open, edit, save (PUT), create, rename, delete, and a save that meets a newer server copy. */

type Outcome = { ok: boolean; error?: string; uri?: string };

suite('Devin Knowledge as files', () => {
  const suite = signedInSuite({ apiVersion: 'v3' });
  const org = SANDBOX_ORG_IDS.acme;

  async function firstNote(): Promise<{ note_id: string; name: string; body: string; trigger: string }> {
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
});
