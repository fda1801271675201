import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { DevinClient } from '../../src/api/client';
import { getKnowledgeNote, replaceKnowledgeNote } from '../../src/api/knowledgeNotes';
import {
  decodeSegment,
  encodeSegment,
  matchNoteByName,
  noteFilePath,
  noteIdQuery,
  parseNoteAddress,
} from '../../src/core/knowledgeAddress';
import type { KnowledgeNote } from '../../src/core/models';
import { apiClient } from '../sandbox/client';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../sandbox/server';

/** A Knowledge note's file address (name for people, id for the note) and a replace that keeps every field. */

const ACME = SANDBOX_ORG_IDS.acme;

function note(id: string, name: string, folderPath: string | undefined): KnowledgeNote {
  return {
    id,
    name,
    body: '',
    trigger: '',
    folderPath,
    folderId: undefined,
    pinnedRepo: undefined,
    isEnabled: true,
    updatedAt: undefined,
  };
}

describe('Knowledge note addresses', () => {
  test("a note's path shows its folders and name; the query carries its id", () => {
    const path = noteFilePath(ACME, note('note-1', 'Running the tests', 'Engineering/Testing'));
    assert.equal(path, `/${ACME}/Engineering/Testing/Running the tests.md`);
    assert.deepEqual(parseNoteAddress(path, noteIdQuery('note-1')), {
      orgId: ACME,
      folder: ['Engineering', 'Testing'],
      name: 'Running the tests',
      noteId: 'note-1',
    });
    assert.equal(parseNoteAddress(path, noteIdQuery('a&note=b c')).noteId, 'a&note=b c');
  });

  test('names and folders from the server cannot add segments or climb, and come back exactly', () => {
    for (const [name, folder] of [
      ['../../other-org/Secret', '..'],
      ['a/b\\c', './x'],
      ['..', '.'],
      ['100% sure %2F', 'Ops/../..'],
      ['line\nbreak', 'Tab\there\u0085'],
    ] as const) {
      const path = noteFilePath(ACME, note('n', name, folder));
      const segments = path.split('/').slice(1);
      assert.equal(segments[0], ACME, path);
      assert.ok(
        segments.every((segment) => segment.length > 0 && !/^\.+$/.test(segment) && !/[\\\p{Cc}]/u.test(segment)),
        path,
      );
      const parsed = parseNoteAddress(path, '');
      assert.equal(parsed.orgId, ACME);
      assert.equal(parsed.name, name);
      assert.deepEqual(
        parsed.folder,
        folder.split('/').filter((part) => part.trim()),
      );
    }
    assert.equal(encodeSegment('Plain name'), 'Plain name');
    assert.equal(decodeSegment('stray % sign'), 'stray % sign');
  });

  test('a path without an id finds the one note of that name in that folder, and never guesses between several', () => {
    const notes = [
      note('note-a', 'Runbook', 'Engineering'),
      note('note-b', 'Runbook', 'Operations'),
      note('note-c', 'Welcome', undefined),
      note('note-d', 'Style', 'Engineering'),
      note('note-e', 'CI/CD', 'Operations'),
    ];
    const at = (path: string) => matchNoteByName(notes, parseNoteAddress(path, ''));
    assert.deepEqual(at(`/${ACME}/Operations/Runbook.md`), { kind: 'found', note: notes[1] });
    assert.deepEqual(at(`/${ACME}/Welcome.md`), { kind: 'found', note: notes[2] });
    // From before paths had folders: the name alone, when only one note has it.
    assert.deepEqual(at(`/${ACME}/Style.md`), { kind: 'found', note: notes[3] });
    assert.deepEqual(at(`/${ACME}/CI∕CD.md`), { kind: 'found', note: notes[4] });
    assert.deepEqual(at(`/${ACME}/Operations/CI%2FCD.md`), { kind: 'found', note: notes[4] });
    assert.deepEqual(at(`/${ACME}/Runbook.md`), { kind: 'ambiguous', notes: [notes[0], notes[1]] });
    assert.deepEqual(at(`/${ACME}/Security/Runbook.md`), { kind: 'none' });
  });
});

describe('Knowledge note replace', () => {
  let sandbox: Sandbox;
  let client: DevinClient;

  before(async () => {
    sandbox = await startSandbox();
    client = new DevinClient({
      baseUrl: sandbox.baseUrl,
      apiVersion: 'v3',
      getToken: async () => SANDBOX_TOKENS.enterpriseAdmin,
      timeoutMs: 5000,
    });
  });
  after(async () => {
    await sandbox.close();
  });
  afterEach(() => sandbox.reset());

  /** A seeded note that has a folder and a pinned repository. */
  async function filedNote(): Promise<{ note_id: string; name: string; folder_id: string; pinned_repo: string }> {
    const listed = await apiClient(sandbox.baseUrl, SANDBOX_TOKENS.enterpriseAdmin).get(
      `/v3/organizations/${ACME}/knowledge/notes?first=200`,
    );
    const found = (listed.json.items as Record<string, unknown>[]).find(
      (item) => typeof item.folder_id === 'string' && typeof item.pinned_repo === 'string',
    );
    assert.ok(found, 'the seed has a note in a folder with a pinned repository');
    return found as { note_id: string; name: string; folder_id: string; pinned_repo: string };
  }

  async function serverCopy(noteId: string): Promise<Record<string, unknown>> {
    const got = await apiClient(sandbox.baseUrl, SANDBOX_TOKENS.enterpriseAdmin).get(
      `/v3/organizations/${ACME}/knowledge/notes/${noteId}`,
    );
    assert.equal(got.status, 200);
    return got.json;
  }

  test('the sandbox replaces on PUT, as Devin does: a folder or pinned repository left out is cleared', async () => {
    const seeded = await filedNote();
    const before = await serverCopy(seeded.note_id);
    assert.ok(before.folder_path, 'a seeded note in a folder reports its path');
    const put = await apiClient(sandbox.baseUrl, SANDBOX_TOKENS.enterpriseAdmin).put(
      `/v3/organizations/${ACME}/knowledge/notes/${seeded.note_id}`,
      { name: seeded.name, body: 'b', trigger: 't' },
    );
    assert.equal(put.status, 200);
    const after = await serverCopy(seeded.note_id);
    assert.equal(after.folder_id, null);
    assert.equal(after.folder_path, '');
    assert.equal(after.pinned_repo, null);
    const unknownFolder = await apiClient(sandbox.baseUrl, SANDBOX_TOKENS.enterpriseAdmin).put(
      `/v3/organizations/${ACME}/knowledge/notes/${seeded.note_id}`,
      { name: seeded.name, body: 'b', trigger: 't', folder_id: 'folder-nowhere' },
    );
    assert.equal(unknownFolder.status, 404);
  });

  for (const [change, edit] of [
    ['a save', (current: KnowledgeNote) => ({ ...current, body: 'A new body.' })],
    ['a rename', (current: KnowledgeNote) => ({ ...current, name: 'A new name' })],
  ] as const) {
    test(`${change} keeps the note's folder and pinned repository`, async () => {
      const seeded = await filedNote();
      const before = await serverCopy(seeded.note_id);
      const current = await getKnowledgeNote(client, ACME, seeded.note_id);
      await replaceKnowledgeNote(client, ACME, edit(current));
      const put = sandbox.requests.find(
        (request) =>
          request.method === 'PUT' && request.path === `/v3/organizations/${ACME}/knowledge/notes/${seeded.note_id}`,
      );
      assert.ok(put, 'the note was replaced');
      assert.equal((put.body as Record<string, unknown>).folder_id, seeded.folder_id);
      assert.equal((put.body as Record<string, unknown>).pinned_repo, seeded.pinned_repo);
      const after = await serverCopy(seeded.note_id);
      assert.equal(after.folder_id, before.folder_id);
      assert.equal(after.folder_path, before.folder_path);
      assert.equal(after.pinned_repo, before.pinned_repo);
      assert.equal(after.is_enabled, before.is_enabled);
    });
  }
});
