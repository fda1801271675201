import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DevinExtensionApi } from '../../src/extension';
import type { DevinNode } from '../../src/views/nodes';
import { apiClient } from '../sandbox/client';
import { SANDBOX_ORG_IDS, SANDBOX_SCHEDULE_IDS, SANDBOX_TOKENS, type Sandbox } from '../sandbox/server';
import { activateExtension, eventually, signIn, signOut, startSandboxForExtension } from './support';

/**
 * Beside its sessions, each organization in the tree has Schedules and Knowledge rows, loaded when
 * expanded: schedules with their next run and state, enabled, disabled, deleted and their runs shown
 * from the row; notes grouped by folder and opened as files; both hidden from a token that may not read them.
 */

type Outcome = { ok: boolean; error?: string; cancelled?: boolean; [key: string]: unknown };

const ACME = SANDBOX_ORG_IDS.acme;
const GLOBEX = SANDBOX_ORG_IDS.globex;

suite('Devin schedules and Knowledge in the tree', () => {
  let sandbox: Sandbox;
  let api: DevinExtensionApi;

  function exec<T = Outcome>(command: string, ...args: unknown[]): Promise<T> {
    return vscode.commands.executeCommand(command, ...args) as Promise<T>;
  }

  function item(node: DevinNode): vscode.TreeItem {
    return api.sessionsTree.getTreeItem(node) as vscode.TreeItem;
  }

  async function organizationRows(orgId: string): Promise<DevinNode[]> {
    const organization = (await api.sessionsTree.getChildren()).find(
      (node) => node.kind === 'organization' && node.organization.id === orgId,
    );
    assert.ok(organization, `organization ${orgId} is listed`);
    return api.sessionsTree.getChildren(organization);
  }

  async function group(orgId: string, kind: 'schedules' | 'knowledge'): Promise<DevinNode> {
    const found = (await organizationRows(orgId)).find((node) => node.kind === kind);
    assert.ok(found, `the ${kind} row of ${orgId}`);
    return found;
  }

  async function scheduleRows(orgId: string): Promise<DevinNode[]> {
    return api.sessionsTree.getChildren(await group(orgId, 'schedules'));
  }

  async function scheduleRow(orgId: string, scheduleId: string): Promise<DevinNode | undefined> {
    return (await scheduleRows(orgId)).find((node) => node.kind === 'schedule' && node.schedule.id === scheduleId);
  }

  function sessionIds(rows: readonly DevinNode[]): string[] {
    return rows.flatMap((node) => (node.kind === 'session' ? [node.session.id] : []));
  }

  /** Every note row under a Knowledge row, through its folders. */
  async function noteRows(node: DevinNode): Promise<DevinNode[]> {
    const children = await api.sessionsTree.getChildren(node);
    const nested = await Promise.all(children.filter((child) => child.kind === 'knowledgeFolder').map(noteRows));
    return [...children.filter((child) => child.kind === 'knowledgeNote'), ...nested.flat()];
  }

  suiteSetup(async () => {
    sandbox = await startSandboxForExtension({ apiVersion: 'v3' });
    api = await activateExtension();
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
  });

  setup(async () => {
    sandbox.reset();
    await exec('devin.refresh');
  });

  suiteTeardown(async () => {
    await exec('devin.clearSessionFilter');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('devin').update('orgId', undefined, vscode.ConfigurationTarget.Global);
    await signOut();
    await sandbox.close();
  });

  test('the Schedules row lists the schedules, loaded only when expanded, each with its timing and state', async () => {
    const rows = await organizationRows(ACME);
    assert.deepEqual(
      rows.slice(0, 2).map((node) => node.kind),
      ['schedules', 'knowledge'],
      'Schedules and Knowledge come before the sessions',
    );
    assert.ok(rows.slice(2).every((node) => node.kind === 'session' || node.kind === 'loadMore'));
    assert.ok(
      !sandbox.requests.some((request) => request.path.includes('/schedules') || request.path.includes('/knowledge')),
      'nothing is loaded before the rows are expanded',
    );

    const schedules = await scheduleRows(ACME);
    const shown = schedules.map((node) => {
      const treeItem = item(node);
      return [treeItem.label, treeItem.description, treeItem.contextValue];
    });
    assert.equal(shown.length, 3);
    assert.deepEqual(
      shown.map(([label]) => label),
      ['Draft release notes', 'Nightly dependency check', 'Weekly security audit'],
    );
    const [release, nightly, audit] = shown as [string, string, string][];
    assert.deepEqual(release, ['Draft release notes', 'next run in 3d · one-time', 'schedule.enabled']);
    assert.match(
      nightly[1],
      /^next run in (under a minute|\d+[mhd]) · recurring · last run (just now|\d+(m|h|d|mo) ago)$/,
    );
    assert.equal(nightly[2], 'schedule.enabled');
    assert.deepEqual(audit, [
      'Weekly security audit',
      'paused · recurring · last run failed 3d ago',
      'schedule.paused',
    ]);
    const hover = item(schedules[2] as DevinNode).tooltip as vscode.MarkdownString;
    assert.match(hover.value, /Last error: Repository acme\/infra is not connected/);
    assert.equal(
      sandbox.requests.filter((request) => request.path === `/v3/organizations/${ACME}/schedules`).length,
      1,
      'one request for the list, however often it is drawn',
    );
    await scheduleRows(ACME);
    assert.equal(sandbox.requests.filter((request) => request.path.endsWith('/schedules')).length, 1);

    const globex = await scheduleRows(GLOBEX);
    assert.deepEqual(
      globex.map((node) => item(node).label),
      ['Flaky test triage'],
    );
    const empty = await scheduleRows(SANDBOX_ORG_IDS.empty);
    assert.equal(empty.length, 1);
    assert.equal(empty[0]?.kind, 'resourceStatus');
    assert.equal(item(empty[0] as DevinNode).label, 'No schedules yet');
  });

  test('a failed load shows in place and its row retries', async () => {
    sandbox.faults.inject({ kind: 'status', status: 500, times: Infinity, match: { pathIncludes: '/schedules' } });
    const [failed] = await scheduleRows(ACME);
    assert.equal(failed?.kind, 'resourceStatus');
    assert.equal(item(failed as DevinNode).label, 'Could not load schedules. Click to retry.');
    assert.match(String(item(failed as DevinNode).description), /internal error/);
    sandbox.faults.clear();
    const retry = item(failed as DevinNode).command;
    assert.equal(retry?.command, 'devin.refresh');
    await exec(retry?.command as string, ...(retry?.arguments ?? []));
    assert.equal((await scheduleRows(ACME)).length, 3);
  });

  test('Disable and Enable from a row change the schedule and redraw the row', async () => {
    const row = await scheduleRow(ACME, SANDBOX_SCHEDULE_IDS.nightly);
    assert.ok(row);
    const disabled = await exec('devin.disableSchedule', row);
    assert.equal(disabled.ok, true, disabled.error);
    assert.equal(disabled.enabled, false);
    const paused = await scheduleRow(ACME, SANDBOX_SCHEDULE_IDS.nightly);
    assert.ok(paused);
    assert.match(String(item(paused).description), /^paused · recurring/);
    assert.equal(item(paused).contextValue, 'schedule.paused');

    const enabled = await exec('devin.enableSchedule', paused);
    assert.equal(enabled.ok, true, enabled.error);
    const again = await scheduleRow(ACME, SANDBOX_SCHEDULE_IDS.nightly);
    assert.ok(again);
    assert.match(String(item(again).description), /^next run in /);
    assert.equal(item(again).contextValue, 'schedule.enabled');

    // The palette's toggle takes the row too, and flips what the row shows.
    const toggled = await exec('devin.toggleSchedule', again);
    assert.equal(toggled.enabled, false);
    assert.deepEqual(
      sandbox.requests.filter((request) => request.method === 'PATCH').map((request) => [request.path, request.body]),
      [false, true, false].map((value) => [
        `/v3/organizations/${ACME}/schedules/${SANDBOX_SCHEDULE_IDS.nightly}`,
        { enabled: value },
      ]),
    );
  });

  test('Delete from a row removes the schedule and its row; New from the Schedules row adds one', async () => {
    const row = await scheduleRow(ACME, SANDBOX_SCHEDULE_IDS.audit);
    assert.ok(row?.kind === 'schedule');
    // What the row hands the command, with the confirmation a person would give in the dialog.
    const deleted = await exec('devin.deleteSchedule', {
      orgId: row.organization.id,
      scheduleId: row.schedule.id,
      confirmed: true,
    });
    assert.equal(deleted.ok, true, deleted.error);
    assert.equal(await scheduleRow(ACME, SANDBOX_SCHEDULE_IDS.audit), undefined);
    assert.equal((await scheduleRows(ACME)).length, 2);

    const created = await exec('devin.createSchedule', {
      orgId: ACME,
      name: 'Morning triage',
      prompt: 'Triage the new issues.',
      cron: '0 8 * * *',
    });
    assert.equal(created.ok, true, created.error);
    assert.ok(await scheduleRow(ACME, created.scheduleId as string), 'the new schedule has a row');
  });

  test('Show Runs lists only the sessions the schedule started; clearing the filter brings the others back', async () => {
    const before = sessionIds(await organizationRows(ACME));
    assert.equal(before.length, 20);
    const runs = await apiClient(sandbox.baseUrl, SANDBOX_TOKENS.enterpriseAdmin).get(
      `/v3/organizations/${ACME}/sessions?schedule_id=${SANDBOX_SCHEDULE_IDS.nightly}`,
    );
    const expected = (runs.json.items as { session_id: string }[]).map((s) => s.session_id).sort();
    assert.equal(expected.length, 2);

    const row = await scheduleRow(ACME, SANDBOX_SCHEDULE_IDS.nightly);
    assert.ok(row);
    sandbox.requests.length = 0;
    const shown = await exec('devin.showScheduleRuns', row);
    assert.equal(shown.ok, true, shown.error);
    assert.match(String(shown.description), /Filtered: runs of "Nightly dependency check"/);
    const listed = await eventually(async () => {
      const ids = sessionIds(await organizationRows(ACME));
      return ids.length === 2 ? ids : undefined;
    }, 'the runs of the schedule');
    assert.deepEqual([...listed].sort(), expected);
    const sessionLists = sandbox.requests.filter((request) => request.path.endsWith('/sessions'));
    assert.ok(sessionLists.length > 0);
    assert.ok(
      sessionLists.every(
        (request) =>
          request.path === `/v3/organizations/${ACME}/sessions` &&
          request.query.schedule_id === SANDBOX_SCHEDULE_IDS.nightly,
      ),
      'only the schedule’s organization is asked, with schedule_id',
    );
    const globexRows = await organizationRows(GLOBEX);
    assert.deepEqual(sessionIds(globexRows), [], 'another organization has no runs of it');
    assert.ok(
      globexRows.some((node) => node.kind === 'schedules'),
      'its own Schedules row stays',
    );

    const cleared = await exec('devin.clearSessionFilter');
    assert.equal(cleared.ok, true, cleared.error);
    assert.doesNotMatch(String(cleared.description ?? ''), /runs of/);
    const after = await eventually(async () => {
      const ids = sessionIds(await organizationRows(ACME));
      return ids.length === 20 ? ids : undefined;
    }, 'all sessions again');
    assert.deepEqual(after, before);
  });

  test('the Knowledge row lists every note by folder; a note opens as its Markdown body', async () => {
    const knowledge = await group(ACME, 'knowledge');
    const top = await api.sessionsTree.getChildren(knowledge);
    assert.deepEqual(
      top.map((node) => [node.kind, item(node).label]),
      [
        ['knowledgeFolder', 'Engineering'],
        ['knowledgeFolder', 'Operations'],
        ['knowledgeFolder', 'Security'],
      ],
    );
    const engineering = await api.sessionsTree.getChildren(top[0] as DevinNode);
    assert.deepEqual(
      engineering.filter((node) => node.kind === 'knowledgeFolder').map((node) => item(node).label),
      ['Backend', 'Frontend', 'Testing'],
    );
    assert.ok(engineering.some((node) => item(node).label === 'Commit message style'));

    const listed = await apiClient(sandbox.baseUrl, SANDBOX_TOKENS.enterpriseAdmin).get(
      `/v3/organizations/${ACME}/knowledge/notes?first=200`,
    );
    const notes = listed.json.items as { note_id: string; body: string; folder_path: string; name: string }[];
    const rows = await noteRows(knowledge);
    assert.deepEqual(
      rows.map((node) => (node.kind === 'knowledgeNote' ? node.note.id : '')).sort(),
      notes.map((note) => note.note_id).sort(),
      'every note once',
    );
    for (const node of rows)
      if (node.kind === 'knowledgeNote')
        assert.equal(node.note.folderPath, notes.find((note) => note.note_id === node.note.id)?.folder_path);

    const testing = await api.sessionsTree.getChildren(
      engineering.find((node) => item(node).label === 'Testing') as DevinNode,
    );
    const note = testing[0];
    assert.ok(note?.kind === 'knowledgeNote');
    const click = item(note).command;
    assert.equal(click?.command, 'devin.editKnowledge');
    const opened = await exec(click?.command as string, ...(click?.arguments ?? []));
    assert.equal(opened.ok, true, opened.error);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), opened.uri);
    assert.equal(editor?.document.uri.scheme, 'devin-knowledge');
    const listedNote = notes.find((candidate) => candidate.note_id === note.note.id);
    assert.equal(editor?.document.getText(), listedNote?.body);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    // Changed in Devin after the editor closed: reopening shows Devin's text, not the text VS Code kept.
    const edited = await apiClient(sandbox.baseUrl, SANDBOX_TOKENS.enterpriseAdmin).put(
      `/v3/organizations/${ACME}/knowledge/notes/${note.note.id}`,
      { name: listedNote?.name, body: 'Edited in the web app.', trigger: 'When testing' },
    );
    assert.equal(edited.status, 200);
    const reopened = await exec(click?.command as string, ...(click?.arguments ?? []));
    assert.equal(reopened.ok, true, reopened.error);
    assert.equal(vscode.window.activeTextEditor?.document.getText(), 'Edited in the web app.');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('Rename and Delete from a note row change the note and the rows; Add puts a new note in the list', async () => {
    const knowledge = await group(ACME, 'knowledge');
    const [first] = (await noteRows(knowledge)).filter((node) => node.kind === 'knowledgeNote');
    assert.ok(first?.kind === 'knowledgeNote');
    const renamed = await exec('devin.renameKnowledge', {
      orgId: ACME,
      noteId: first.note.id,
      name: 'Renamed from the tree',
    });
    assert.equal(renamed.ok, true, renamed.error);
    const afterRename = await noteRows(await group(ACME, 'knowledge'));
    const renamedRow = afterRename.find((node) => node.kind === 'knowledgeNote' && node.note.id === first.note.id);
    assert.equal(renamedRow && item(renamedRow).label, 'Renamed from the tree');

    const deleted = await exec('devin.deleteKnowledge', { orgId: ACME, noteId: first.note.id, confirmed: true });
    assert.equal(deleted.ok, true, deleted.error);
    const afterDelete = await noteRows(await group(ACME, 'knowledge'));
    assert.ok(!afterDelete.some((node) => node.kind === 'knowledgeNote' && node.note.id === first.note.id));
    assert.equal(afterDelete.length, afterRename.length - 1);

    const added = await exec('devin.addKnowledge', {
      orgId: ACME,
      name: 'Added from the tree',
      trigger: 'When testing the tree',
      body: 'Hello.',
    });
    assert.equal(added.ok, true, added.error);
    const afterAdd = await noteRows(await group(ACME, 'knowledge'));
    assert.ok(afterAdd.some((node) => node.kind === 'knowledgeNote' && node.note.id === added.noteId));
  });

  /** A second note named as a seeded one, in another folder, and both rows of that name. */
  async function twoNotesOfOneName(): Promise<{
    first: { note_id: string; name: string; body: string };
    second: Extract<DevinNode, { kind: 'knowledgeNote' }>;
    other: DevinNode;
  }> {
    const admin = apiClient(sandbox.baseUrl, SANDBOX_TOKENS.enterpriseAdmin);
    const listed = (await admin.get(`/v3/organizations/${ACME}/knowledge/notes?first=200`)).json.items as {
      note_id: string;
      name: string;
      body: string;
      folder_id: string | null;
      folder_path: string;
    }[];
    const first = listed.find((note) => note.folder_path === 'Engineering/Testing');
    const elsewhere = listed.find((note) => note.folder_path === 'Operations');
    assert.ok(first && elsewhere?.folder_id);
    const created = await admin.post(`/v3/organizations/${ACME}/knowledge/notes`, {
      name: first.name,
      body: 'The second note, in Operations.',
      trigger: 'When the second is meant',
      folder_id: elsewhere.folder_id,
    });
    assert.equal(created.status, 200);
    await exec('devin.refresh');
    const named = (await noteRows(await group(ACME, 'knowledge'))).filter(
      (node) => node.kind === 'knowledgeNote' && node.note.name === first.name,
    );
    assert.deepEqual(
      named.map((node) => (node.kind === 'knowledgeNote' ? node.note.id : '')).sort(),
      [first.note_id, created.json.note_id].sort(),
    );
    const second = named.find((node) => node.kind === 'knowledgeNote' && node.note.id === created.json.note_id);
    const other = named.find((node) => node !== second);
    assert.ok(second?.kind === 'knowledgeNote' && other);
    return { first, second, other };
  }

  function notePath(noteId: string): string {
    return `/v3/organizations/${ACME}/knowledge/notes/${noteId}`;
  }

  test("two notes of one name in different folders: the second row's Edit and Save act on the second note", async () => {
    const { first, second, other } = await twoNotesOfOneName();
    const click = item(second).command;
    const opened = await exec(click?.command as string, ...(click?.arguments ?? []));
    assert.equal(opened.ok, true, opened.error);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && editor.document.uri.toString() === opened.uri);
    assert.equal(editor.document.getText(), 'The second note, in Operations.');
    assert.equal(editor.document.uri.path.split('/').at(-1), `${first.name}.md`, 'the tab shows the name');
    assert.notEqual(item(other).resourceUri?.toString(), item(second).resourceUri?.toString());

    await editor.edit((edit) => edit.insert(editor.document.positionAt(editor.document.getText().length), ' Edited.'));
    assert.equal(await editor.document.save(), true);
    const put = sandbox.requests.find(
      (request) => request.method === 'PUT' && request.path === notePath(second.note.id),
    );
    assert.equal((put?.body as { body?: string } | undefined)?.body, 'The second note, in Operations. Edited.');
    assert.ok(
      !sandbox.requests.some((request) => request.method === 'PUT' && request.path === notePath(first.note_id)),
    );
    const admin = apiClient(sandbox.baseUrl, SANDBOX_TOKENS.enterpriseAdmin);
    assert.equal((await admin.get(notePath(first.note_id))).json.body, first.body);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('two notes of one name in different folders: Delete on the second row deletes the second note', async () => {
    const { first, second } = await twoNotesOfOneName();
    // What the row's Delete passes, confirmed.
    const deleted = await exec('devin.deleteKnowledge', {
      orgId: second.organization.id,
      noteId: second.note.id,
      confirmed: true,
    });
    assert.equal(deleted.ok, true, deleted.error);
    assert.ok(
      sandbox.requests.some((request) => request.method === 'DELETE' && request.path === notePath(second.note.id)),
      'DELETE of the second note',
    );
    assert.ok(
      !sandbox.requests.some((request) => request.method === 'DELETE' && request.path === notePath(first.note_id)),
    );
    const admin = apiClient(sandbox.baseUrl, SANDBOX_TOKENS.enterpriseAdmin);
    assert.equal((await admin.get(notePath(first.note_id))).status, 200);
    assert.equal((await admin.get(notePath(second.note.id))).status, 404);
  });

  test('a member without ManageOrgSchedules has no Schedules row; a role that cannot read Knowledge has no Knowledge row', async () => {
    const devin = vscode.workspace.getConfiguration('devin');
    try {
      await devin.update('orgId', ACME, vscode.ConfigurationTarget.Global);
      await signIn(SANDBOX_TOKENS.member);
      const permissions = await eventually(async () => {
        const current = await api.tokenPermissions();
        return current && !current.manageSchedules ? current : undefined;
      }, 'the permissions of the member token');
      assert.equal(permissions.viewKnowledge, true, 'a member reads Knowledge');
      const rows = await organizationRows(ACME);
      assert.ok(!rows.some((node) => node.kind === 'schedules'));
      assert.ok(rows.some((node) => node.kind === 'knowledge'));
      assert.ok(
        rows.some((node) => node.kind === 'session'),
        'its sessions are still there',
      );

      // The same member in another organization, whose role there does not include reading Knowledge.
      sandbox.faults.inject({ kind: 'status', status: 403, times: Infinity, match: { pathIncludes: '/knowledge/' } });
      await devin.update('orgId', GLOBEX, vscode.ConfigurationTarget.Global);
      await signIn(SANDBOX_TOKENS.member);
      await eventually(async () => (await api.tokenPermissions())?.viewKnowledge === false, 'Knowledge denied');
      const globex = await organizationRows(GLOBEX);
      assert.deepEqual(
        globex.filter((node) => node.kind === 'schedules' || node.kind === 'knowledge'),
        [],
      );
    } finally {
      sandbox.faults.clear();
      await devin.update('orgId', undefined, vscode.ConfigurationTarget.Global);
      await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    }
  });
});
