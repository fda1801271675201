import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DevinExtensionApi } from '../../src/extension';
import type { Session } from '../../src/core/models';
import type { DevinNode } from '../../src/views/nodes';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, type Sandbox } from '../sandbox/server';
import { activateExtension, eventually, onlyRequestTo, signIn, signOut, startSandboxForExtension } from './support';

/**
 * Acting on sessions in a real VS Code against the sandbox: archive, stop, tags, the archived toggle,
 * filters, opening by id or link, and the failures (missing permission, vanished session, bad input).
 */

type Outcome = { ok: boolean; cancelled?: boolean; error?: string; session?: Session; opened?: string; link?: string };

suite('Session actions', () => {
  let sandbox: Sandbox;
  let api: DevinExtensionApi;

  async function rows(orgId: string): Promise<DevinNode[]> {
    const roots = await api.sessionsTree.getChildren();
    const org = roots.find((node) => node.kind === 'organization' && node.organization.id === orgId);
    assert.ok(org, `organization ${orgId} is listed`);
    return api.sessionsTree.getChildren(org);
  }

  async function sessions(orgId: string): Promise<Session[]> {
    return (await rows(orgId)).flatMap((node) => (node.kind === 'session' ? [node.session] : []));
  }

  function item(node: DevinNode): vscode.TreeItem {
    return api.sessionsTree.getTreeItem(node) as vscode.TreeItem;
  }

  async function run(command: string, args?: unknown): Promise<Outcome> {
    return (await vscode.commands.executeCommand(command, args)) as Outcome;
  }

  const listRequests = (orgId: string) =>
    sandbox.requests.filter(
      (request) => request.method === 'GET' && request.path.endsWith(`/organizations/${orgId}/sessions`),
    );

  suiteSetup(async () => {
    sandbox = await startSandboxForExtension();
    api = await activateExtension();
  });

  suiteTeardown(async () => {
    await vscode.workspace
      .getConfiguration('devin')
      .update('showArchived', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('devin.clearSessionFilter');
    await signOut();
    await sandbox.close();
  });

  teardown(async () => {
    await vscode.workspace
      .getConfiguration('devin')
      .update('showArchived', undefined, vscode.ConfigurationTarget.Workspace);
  });

  setup(async () => {
    sandbox.reset();
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    await vscode.commands.executeCommand('devin.refresh');
  });

  test('archived sessions are hidden by default and the toolbar toggle shows them, saved per workspace', async () => {
    const hidden = await sessions(SANDBOX_ORG_IDS.acme);
    assert.equal(listRequests(SANDBOX_ORG_IDS.acme).at(-1)?.query.is_archived, 'false');
    assert.ok(hidden.length > 0 && hidden.every((session) => !session.isArchived));
    const target = hidden.find((session) => session.status === 'running');
    assert.ok(target);
    const archived = await run('devin.archiveSession', { orgId: target.orgId, sessionId: target.id, confirmed: true });
    assert.equal(archived.ok, true, archived.error);

    await vscode.commands.executeCommand('devin.showArchivedSessions');
    const setting = vscode.workspace.getConfiguration('devin').inspect<boolean>('showArchived');
    assert.equal(setting?.workspaceValue, true, 'remembered in the workspace settings');
    const archivedRow = await eventually(
      async () =>
        (await rows(SANDBOX_ORG_IDS.acme)).find((node) => node.kind === 'session' && node.session.id === target.id),
      'the archived session to come back',
    );
    assert.equal(listRequests(SANDBOX_ORG_IDS.acme).at(-1)?.query.is_archived, undefined, 'no filter: both kinds');
    assert.match(String(item(archivedRow).description), /archived/);
    assert.match(String(item(archivedRow).contextValue), /\barchived\b/, 'Archive is no longer offered on the row');

    await vscode.commands.executeCommand('devin.hideArchivedSessions');
    assert.equal(vscode.workspace.getConfiguration('devin').inspect<boolean>('showArchived')?.workspaceValue, false);
    await eventually(
      async () => !(await sessions(SANDBOX_ORG_IDS.acme)).some((session) => session.id === target.id),
      'the archived session to leave again',
    );
    assert.equal(listRequests(SANDBOX_ORG_IDS.acme).at(-1)?.query.is_archived, 'false');
  });

  test('archive: the API is called once and the row leaves the list from its answer, without a reload', async () => {
    const target = (await sessions(SANDBOX_ORG_IDS.acme)).find((session) => session.status === 'running');
    assert.ok(target, 'a running session to archive');
    const listsBefore = listRequests(SANDBOX_ORG_IDS.acme).length;
    const since = sandbox.requests.length;
    const outcome = await run('devin.archiveSession', { orgId: target.orgId, sessionId: target.id, confirmed: true });
    assert.equal(outcome.ok, true, outcome.error);
    assert.equal(outcome.session?.isArchived, true);
    onlyRequestTo(sandbox, 'POST', `/v3/organizations/${SANDBOX_ORG_IDS.acme}/sessions/${target.id}/archive`, since);
    const after = await sessions(SANDBOX_ORG_IDS.acme);
    assert.ok(!after.some((session) => session.id === target.id), 'the archived row is gone');
    assert.equal(listRequests(SANDBOX_ORG_IDS.acme).length, listsBefore, 'no list reload was needed');
  });

  test('stop: DELETE ends the session and the row shows it; "archive too" sends archive=true', async () => {
    const running = (await sessions(SANDBOX_ORG_IDS.acme)).filter((session) => session.status === 'running');
    assert.ok(running.length >= 2);
    const [first, second] = running as [Session, Session];
    const beforeStop = sandbox.requests.length;
    const stopped = await run('devin.terminateSession', { orgId: first.orgId, sessionId: first.id, confirmed: true });
    assert.equal(stopped.ok, true, stopped.error);
    const call = onlyRequestTo(
      sandbox,
      'DELETE',
      `/v3/organizations/${SANDBOX_ORG_IDS.acme}/sessions/${first.id}`,
      beforeStop,
    );
    assert.equal(call.query.archive, undefined);
    const row = (await rows(SANDBOX_ORG_IDS.acme)).find(
      (node) => node.kind === 'session' && node.session.id === first.id,
    );
    assert.ok(row && row.kind === 'session');
    assert.equal(row.session.status, 'exit');
    assert.match(String(item(row).description), /^Ended/);
    assert.match(String(item(row).contextValue), /\bended\b/, 'Stop is no longer offered on the row');

    const beforeArchive = sandbox.requests.length;
    const archived = await run('devin.terminateSession', {
      orgId: second.orgId,
      sessionId: second.id,
      confirmed: 'archive',
    });
    assert.equal(archived.ok, true, archived.error);
    const archiveCall = onlyRequestTo(
      sandbox,
      'DELETE',
      `/v3/organizations/${SANDBOX_ORG_IDS.acme}/sessions/${second.id}`,
      beforeArchive,
    );
    assert.equal(archiveCall.query.archive, 'true');
    assert.ok(!(await sessions(SANDBOX_ORG_IDS.acme)).some((session) => session.id === second.id));
  });

  test('edit tags: PUT replaces the tags and the row tooltip shows the saved ones', async () => {
    const target = (await sessions(SANDBOX_ORG_IDS.acme))[0];
    assert.ok(target);
    const outcome = await run('devin.editSessionTags', {
      orgId: target.orgId,
      sessionId: target.id,
      tags: [' release ', 'needs-review', 'release', ''],
    });
    assert.equal(outcome.ok, true, outcome.error);
    const call = sandbox.requests.find((request) => request.method === 'PUT');
    assert.equal(call?.path, `/v3/organizations/${SANDBOX_ORG_IDS.acme}/sessions/${target.id}/tags`);
    assert.deepEqual(call?.body, { tags: ['release', 'needs-review'] });
    const row = (await rows(SANDBOX_ORG_IDS.acme)).find(
      (node) => node.kind === 'session' && node.session.id === target.id,
    );
    assert.ok(row);
    const tooltip = item(row).tooltip as vscode.MarkdownString;
    assert.match(tooltip.value, /Tags: release, needs\\?-review/);
  });

  test('without ManageOrgSessions each action says which permission is missing and changes nothing', async () => {
    await signIn(SANDBOX_TOKENS.orgViewer);
    await vscode.commands.executeCommand('devin.refresh');
    const target = (await sessions(SANDBOX_ORG_IDS.acme)).find((session) => session.status === 'running');
    assert.ok(target);
    const args = { orgId: target.orgId, sessionId: target.id };
    for (const [command, extra] of [
      ['devin.archiveSession', { confirmed: true }],
      ['devin.terminateSession', { confirmed: true }],
      ['devin.editSessionTags', { tags: ['x'] }],
    ] as const) {
      const outcome = await run(command, { ...args, ...extra });
      assert.equal(outcome.ok, false, command);
      assert.match(outcome.error ?? '', /ManageOrgSessions/, `${command} names the permission`);
      assert.ok(!(outcome.error ?? '').includes('cog_'), 'no token in the message');
    }
    const still = (await sessions(SANDBOX_ORG_IDS.acme)).find((session) => session.id === target.id);
    assert.equal(still?.status, 'running', 'the row is unchanged');
    assert.deepEqual(still?.tags, target.tags);
  });

  test('a session that vanished is reported as such and its organization is reloaded', async () => {
    await sessions(SANDBOX_ORG_IDS.acme);
    const listsBefore = listRequests(SANDBOX_ORG_IDS.acme).length;
    const outcome = await run('devin.archiveSession', {
      orgId: SANDBOX_ORG_IDS.acme,
      sessionId: `devin-${'0'.repeat(32)}`,
      confirmed: true,
    });
    assert.equal(outcome.ok, false);
    assert.match(outcome.error ?? '', /no longer has this session/);
    await sessions(SANDBOX_ORG_IDS.acme);
    assert.equal(listRequests(SANDBOX_ORG_IDS.acme).length, listsBefore + 1, 'the list was read again');
  });

  test('open by web app URL finds the organization through the enterprise look-up and opens the session', async () => {
    const target = (await sessions(SANDBOX_ORG_IDS.globex))[3];
    assert.ok(target);
    const bareHex = target.id.replace(/^devin-/, '');
    sandbox.requests.length = 0;
    const outcome = await run('devin.openSessionById', { reference: `https://app.devin.ai/sessions/${bareHex}` });
    assert.equal(outcome.ok, true, outcome.error);
    assert.equal(outcome.session?.orgId, SANDBOX_ORG_IDS.globex);
    assert.equal(sandbox.requests[0]?.path, `/v3/enterprise/sessions/${target.id}`);
    const panel = (await vscode.commands.getCommands(true)).includes('devin.openSession');
    assert.equal(outcome.opened, panel ? 'devin.openSession' : 'devin.showConversation');
    if (!panel) assert.equal(vscode.window.activeTextEditor?.document.uri.scheme, 'devin-view');
  });

  test('open by bare id without the enterprise permission asks the organizations instead', async () => {
    await signIn(SANDBOX_TOKENS.orgServiceUser);
    await vscode.commands.executeCommand('devin.refresh');
    const target = (await sessions(SANDBOX_ORG_IDS.acme))[2];
    assert.ok(target);
    sandbox.requests.length = 0;
    const outcome = await run('devin.openSessionById', { reference: target.id.replace(/^devin-/, '').toUpperCase() });
    assert.equal(outcome.ok, true, outcome.error);
    assert.equal(outcome.session?.id, target.id);
    assert.equal(outcome.session?.orgId, SANDBOX_ORG_IDS.acme);
    assert.equal(sandbox.requests[0]?.path, `/v3/enterprise/sessions/${target.id}`, 'the enterprise look-up first');
    assert.ok(
      sandbox.requests.some(
        (request) => request.path === `/v3/organizations/${SANDBOX_ORG_IDS.acme}/sessions/${target.id}`,
      ),
    );
  });

  test('open by id: text that is no session, and a session nobody has, each get a clear message', async () => {
    const bad = await run('devin.openSessionById', { reference: 'https://example.com/not-a-session' });
    assert.equal(bad.ok, false);
    assert.match(bad.error ?? '', /does not point to a Devin session/);
    const word = await run('devin.openSessionById', { reference: 'hello' });
    assert.match(word.error ?? '', /not a Devin session ID or link/);
    const missing = await run('devin.openSessionById', { reference: `devin-${'f'.repeat(32)}` });
    assert.equal(missing.ok, false);
    assert.match(missing.error ?? '', /No organization your token can see has the session devin-f{32}/);
  });

  test('copy link: the editor link names session and organization, and opening it asks that organization only', async () => {
    const target = (await sessions(SANDBOX_ORG_IDS.globex))[1];
    assert.ok(target);
    const copied = await run('devin.copySessionLink', { orgId: target.orgId, sessionId: target.id, link: 'editor' });
    assert.equal(copied.ok, true, copied.error);
    const link = await vscode.env.clipboard.readText();
    assert.equal(
      link,
      `${vscode.env.uriScheme}://devin-vscode.devin-vscode/session?id=${target.id}&org=${SANDBOX_ORG_IDS.globex}`,
    );
    // The URI handler hands the link's query to the same command; pasting the link takes that path.
    sandbox.requests.length = 0;
    const opened = await run('devin.openSessionById', { reference: link });
    assert.equal(opened.ok, true, opened.error);
    assert.deepEqual(
      sandbox.requests.map((request) => request.path).slice(0, 1),
      [`/v3/organizations/${SANDBOX_ORG_IDS.globex}/sessions/${target.id}`],
      'no enterprise look-up when the link names the organization',
    );
    const web = await run('devin.copySessionLink', { orgId: target.orgId, sessionId: target.id, link: 'web' });
    assert.equal(web.link, target.url);
    assert.equal(await vscode.env.clipboard.readText(), target.url);
  });
});

suite('Session filters', () => {
  let sandbox: Sandbox;
  let api: DevinExtensionApi;
  type FilterOutcome = { ok: boolean; error?: string; description?: string };

  async function acmeSessions(): Promise<Session[]> {
    const roots = await api.sessionsTree.getChildren();
    const org = roots.find((node) => node.kind === 'organization' && node.organization.id === SANDBOX_ORG_IDS.acme);
    assert.ok(org);
    return (await api.sessionsTree.getChildren(org)).flatMap((node) => (node.kind === 'session' ? [node.session] : []));
  }
  const lastList = () =>
    sandbox.requests.filter((request) => request.method === 'GET' && request.path.endsWith('/sessions')).at(-1);

  suiteSetup(async () => {
    sandbox = await startSandboxForExtension({ pageSize: 50 });
    api = await activateExtension();
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('devin.clearSessionFilter');
    await signOut();
    await sandbox.close();
  });

  setup(() => sandbox.reset());

  test('tags, origin and repository go to the list parameters; status filters the rows; the view says so', async () => {
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    const outcome = (await vscode.commands.executeCommand('devin.filterSessions', {
      filter: {
        tags: ['urgent'],
        origins: ['api', 'jira'],
        repoNames: ['acme/api'],
        statuses: ['finished', 'ended'],
      },
    })) as FilterOutcome;
    assert.equal(outcome.ok, true, outcome.error);
    assert.match(
      outcome.description ?? '',
      /^Filtered: Finished, Ended \(exit or error\) · tags urgent · from api, jira · in acme\/api/,
    );
    const rows = await acmeSessions();
    const query = lastList()?.query;
    assert.equal(query?.tags, 'urgent');
    assert.deepEqual(query?.origins, ['api', 'jira']);
    assert.equal(query?.repo_names, 'acme/api');
    assert.equal(query?.is_archived, 'false', 'archived sessions stay hidden under a filter');
    assert.ok(rows.length > 0, 'the seeded data has matching sessions');
    for (const session of rows) {
      assert.ok(session.tags.includes('urgent'));
      assert.ok(['api', 'jira'].includes(session.origin ?? ''));
      assert.ok(session.status === 'exit' || session.status === 'error' || session.statusDetail === 'finished');
    }

    const cleared = (await vscode.commands.executeCommand('devin.clearSessionFilter')) as FilterOutcome;
    assert.equal(cleared.ok, true);
    assert.doesNotMatch(cleared.description ?? '', /Filtered/);
    await acmeSessions();
    assert.deepEqual(Object.keys(lastList()?.query ?? {}).sort(), ['first', 'is_archived']);
  });

  test('"created by me" asks for the signed-in service user\'s sessions', async () => {
    await signIn(SANDBOX_TOKENS.orgServiceUser);
    const outcome = (await vscode.commands.executeCommand('devin.filterSessions', {
      filter: { createdByMe: true },
    })) as FilterOutcome;
    assert.equal(outcome.ok, true, outcome.error);
    const rows = await acmeSessions();
    assert.equal(lastList()?.query.service_user_ids, 'service-user-sandbox-acme-ci');
    assert.equal(lastList()?.query.user_ids, undefined);
    assert.ok(rows.length > 0);
    assert.ok(rows.every((session) => session.serviceUserId === 'service-user-sandbox-acme-ci'));
    // Another principal signs in: the previous one's filter does not follow it.
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    await acmeSessions();
    assert.equal(lastList()?.query.service_user_ids, undefined);
    assert.equal(lastList()?.authorized, 'enterprise-admin');
  });
});

suite('Session attachments and create options', () => {
  let sandbox: Sandbox;
  let api: DevinExtensionApi;
  let folder: string;
  type AttachmentOutcome = { ok: boolean; error?: string; attachments?: number; savedTo?: string; opened?: string };

  async function acmeSessions(): Promise<Session[]> {
    const roots = await api.sessionsTree.getChildren();
    const org = roots.find((node) => node.kind === 'organization' && node.organization.id === SANDBOX_ORG_IDS.acme);
    assert.ok(org);
    return (await api.sessionsTree.getChildren(org)).flatMap((node) => (node.kind === 'session' ? [node.session] : []));
  }

  suiteSetup(async () => {
    sandbox = await startSandboxForExtension({ pageSize: 100 });
    api = await activateExtension();
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'devin-attachments-test-'));
  });

  suiteTeardown(async () => {
    await signOut();
    await sandbox.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  test("a session's attachment is downloaded through the redirect and saved where asked", async () => {
    const withPr = (await acmeSessions()).find((session) => session.pullRequests.length > 0);
    assert.ok(withPr);
    const saveTo = path.join(folder, 'saved.patch');
    const outcome = (await vscode.commands.executeCommand('devin.showAttachments', {
      orgId: withPr.orgId,
      sessionId: withPr.id,
      name: 'changes.patch',
      action: 'save',
      saveTo,
    })) as AttachmentOutcome;
    assert.equal(outcome.ok, true, outcome.error);
    assert.equal(outcome.savedTo, saveTo);
    const saved = fs.readFileSync(saveTo, 'utf8');
    assert.ok(saved.includes(withPr.pullRequests[0]?.url ?? '?'), 'the file Devin attached for this pull request');
    assert.match(saved, /\+const retries = 3;/);
    const download = sandbox.requests.find((request) => request.path.includes('/attachments/'));
    assert.equal(download?.authorized, 'enterprise-admin', 'the API itself saw the token (storage must not)');
  });

  test('open shows the attachment in an editor; a session without attachments says so', async () => {
    const sessions = await acmeSessions();
    const withPr = sessions.find((session) => session.pullRequests.length > 0);
    const without = sessions.find((session) => session.pullRequests.length === 0);
    assert.ok(withPr && without);
    const opened = (await vscode.commands.executeCommand('devin.showAttachments', {
      orgId: withPr.orgId,
      sessionId: withPr.id,
      name: 'changes.patch',
      action: 'open',
    })) as AttachmentOutcome;
    assert.equal(opened.ok, true, opened.error);
    await eventually(
      () => vscode.window.activeTextEditor?.document.uri.fsPath === opened.opened,
      'the attachment to open in an editor',
    );
    assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /retries = 3/);
    const empty = (await vscode.commands.executeCommand('devin.showAttachments', {
      orgId: without.orgId,
      sessionId: without.id,
    })) as AttachmentOutcome;
    assert.equal(empty.ok, true, empty.error);
    assert.equal(empty.attachments, 0);
  });

  test('files attached on create are uploaded and named in the prompt as ATTACHMENT lines', async () => {
    const file = path.join(folder, 'failing-test.log');
    fs.writeFileSync(file, 'FAIL src/login.test.ts\n  expected 3 retries, got 1\n');
    sandbox.requests.length = 0;
    const outcome = (await vscode.commands.executeCommand('devin.createSession', {
      prompt: 'Make the attached test pass',
      orgId: SANDBOX_ORG_IDS.acme,
      attachments: [file],
    })) as AttachmentOutcome;
    assert.equal(outcome.ok, true, outcome.error);
    const upload = sandbox.requests.find(
      (request) => request.method === 'POST' && request.path.endsWith('/attachments'),
    );
    assert.equal(upload?.path, `/v3/organizations/${SANDBOX_ORG_IDS.acme}/attachments`);
    const create = sandbox.requests.find((request) => request.method === 'POST' && request.path.endsWith('/sessions'));
    const prompt = (create?.body as { prompt: string }).prompt;
    const url = /^Make the attached test pass\n\nATTACHMENT:"(http[^"]+\/failing-test\.log)"$/.exec(prompt)?.[1];
    assert.ok(url, `the prompt ends with the attachment line: ${prompt}`);
    // The uploaded bytes are what the API serves back (through its redirect to storage).
    const redirect = await fetch(url, {
      headers: { authorization: `Bearer ${SANDBOX_TOKENS.enterpriseAdmin}` },
      redirect: 'manual',
    });
    assert.equal(redirect.status, 307);
    const stored = await fetch(new URL(redirect.headers.get('location') ?? '', url));
    assert.equal(await stored.text(), 'FAIL src/login.test.ts\n  expected 3 retries, got 1\n');
  });

  test('create options reach the API: playbook, Knowledge, repositories and an ACU limit', async () => {
    sandbox.requests.length = 0;
    const outcome = (await vscode.commands.executeCommand('devin.createSession', {
      prompt: 'Follow the CI playbook',
      orgId: SANDBOX_ORG_IDS.acme,
      playbookId: 'playbook-1',
      knowledgeIds: ['note-1', 'note-2'],
      repos: ['acme/api'],
      maxAcuLimit: 5,
    })) as AttachmentOutcome;
    assert.equal(outcome.ok, true, outcome.error);
    const create = sandbox.requests.find((request) => request.method === 'POST' && request.path.endsWith('/sessions'));
    assert.deepEqual(create?.body, {
      prompt: 'Follow the CI playbook',
      playbook_id: 'playbook-1',
      knowledge_ids: ['note-1', 'note-2'],
      repos: ['acme/api'],
      max_acu_limit: 5,
    });
  });

  test('an ACU limit the API rejects is explained and the prompt is kept', async () => {
    const outcome = (await vscode.commands.executeCommand('devin.createSession', {
      prompt: 'Do it cheaply',
      orgId: SANDBOX_ORG_IDS.acme,
      maxAcuLimit: 0,
    })) as AttachmentOutcome & { draftId?: string };
    assert.equal(outcome.ok, false);
    assert.match(outcome.error ?? '', /max_acu_limit.*greater than 0/);
    assert.ok(outcome.draftId, 'the prompt is kept');
  });

  test('a file that cannot be read keeps the prompt as a draft and creates nothing', async () => {
    sandbox.requests.length = 0;
    const outcome = (await vscode.commands.executeCommand('devin.createSession', {
      prompt: 'Look at the missing file',
      orgId: SANDBOX_ORG_IDS.acme,
      attachments: [path.join(folder, 'does-not-exist.txt')],
    })) as AttachmentOutcome & { draftId?: string };
    assert.equal(outcome.ok, false);
    assert.match(outcome.error ?? '', /Could not read .*does-not-exist\.txt/);
    assert.ok(outcome.draftId, 'the prompt is kept');
    assert.ok(!sandbox.requests.some((request) => request.method === 'POST'), 'nothing was sent');
  });

  test('a vanished session gets a clear message', async () => {
    const outcome = (await vscode.commands.executeCommand('devin.showAttachments', {
      orgId: SANDBOX_ORG_IDS.acme,
      sessionId: `devin-${'e'.repeat(32)}`,
    })) as AttachmentOutcome;
    assert.equal(outcome.ok, false);
    assert.match(outcome.error ?? '', /Could not list the attachments.*could not find/);
  });
});
