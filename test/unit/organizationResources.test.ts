import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { DevinClient } from '../../src/api/client';
import { listSchedules } from '../../src/api/schedules';
import { findFolder, groupNotesByFolder } from '../../src/core/knowledgeFolders';
import type { KnowledgeNote, Page, Session } from '../../src/core/models';
import { describeFilter, isEmptyFilter, listFilterFor, matchesListFilter } from '../../src/core/sessionFilter';
import { OrgLists } from '../../src/store/orgLists';
import { SessionStore } from '../../src/store/sessionStore';
import { SANDBOX_ORG_IDS, SANDBOX_SCHEDULE_IDS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../sandbox/server';
import { sessionFixture } from './sessionFixture';

/** What the tree shows under an organization beside its sessions: schedules, their runs, Knowledge by folder. */

function note(name: string, folderPath: string | undefined): KnowledgeNote {
  return {
    id: `note-${name}`,
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

function session(id: string, orgId: string): Session {
  return sessionFixture({ id, orgId, status: 'exit', statusDetail: undefined, title: id });
}

describe('Knowledge folders', () => {
  test('notes are grouped by folder path: folders first, then notes, each alphabetically', () => {
    const root = groupNotesByFolder([
      note('Running the tests', 'Engineering/Testing'),
      note('Commit style', 'Engineering'),
      note('Secrets', 'Security'),
      note('Welcome', undefined),
      note('Frontend conventions', 'Engineering/Frontend'),
      note('About', ''),
      note('Release 10', 'Operations/'),
      note('Release 9', '/Operations'),
    ]);
    assert.deepEqual(
      root.folders.map((folder) => folder.path),
      ['Engineering', 'Operations', 'Security'],
    );
    assert.deepEqual(
      root.notes.map((n) => n.name),
      ['About', 'Welcome'],
      'notes without a folder sit at the top level',
    );
    const engineering = findFolder(root, 'Engineering');
    assert.deepEqual(
      engineering?.folders.map((folder) => [folder.name, folder.path]),
      [
        ['Frontend', 'Engineering/Frontend'],
        ['Testing', 'Engineering/Testing'],
      ],
    );
    assert.deepEqual(
      engineering?.notes.map((n) => n.name),
      ['Commit style'],
    );
    assert.deepEqual(
      findFolder(root, 'Operations')?.notes.map((n) => n.name),
      ['Release 9', 'Release 10'],
      'stray slashes are ignored and numbers sort as numbers',
    );
    assert.equal(findFolder(root, 'Engineering/Backend'), undefined);
    assert.equal(findFolder(root, ''), root);
  });
});

describe('the runs of a schedule as a session filter', () => {
  const runs = { schedule: { orgId: 'org-a', id: 'schedule-1', name: 'Nightly check' } };

  test('it is a filter like the others: not empty, described, and sent as the list parameter', () => {
    assert.equal(isEmptyFilter(runs), false);
    assert.equal(describeFilter(runs), 'Filtered: runs of "Nightly check"');
    assert.deepEqual(listFilterFor(runs, undefined, false).schedule, { orgId: 'org-a', id: 'schedule-1' });
    assert.equal(listFilterFor({}, undefined, false).schedule, undefined);
  });

  test("another organization's sessions are never runs of it", () => {
    const filter = listFilterFor(runs, undefined, false);
    assert.equal(matchesListFilter(session('devin-1', 'org-b'), filter), false);
    assert.equal(matchesListFilter(session('devin-1', 'org-a'), filter), true);
  });

  test('the store asks only the schedule’s organization, and lists only what that list returned', async () => {
    const asked: { orgId: string; scheduleId: string | undefined }[] = [];
    const store = new SessionStore({
      isSignedIn: async () => true,
      getIdentity: async () => ({ kind: 'service_user', id: 'u', name: 'u', orgId: undefined, role: undefined }),
      getClient: () => ({
        listOrganizations: async () => ({
          items: ['org-a', 'org-b'].map((id) => ({
            id,
            name: id,
            createdAt: undefined,
            maxCycleAcuLimit: undefined,
            maxSessionAcuLimit: undefined,
          })),
          nextCursor: undefined,
          total: 2,
        }),
        listSessions: async (orgId: string, query?: { schedule?: { id: string } }): Promise<Page<Session>> => {
          asked.push({ orgId, scheduleId: query?.schedule?.id });
          return { items: [session(`devin-${orgId}-run`, orgId)], nextCursor: undefined, total: 1 };
        },
      }),
      configuredOrgId: () => undefined,
      pageSize: () => 20,
    });
    await store.loadOrganizations();
    store.setListFilter(listFilterFor(runs, undefined, false));
    await store.loadFirstPage('org-a');
    await store.loadFirstPage('org-b');
    assert.deepEqual(asked, [{ orgId: 'org-a', scheduleId: 'schedule-1' }]);
    assert.equal(store.sessionsOf('org-b')?.sessions.length, 0, 'no runs in another organization');
    const run = store.sessionsOf('org-a')?.sessions[0];
    assert.ok(run && store.isListed(run));
    // A session a poll brings in cannot be told to be a run: it waits for the next load of the list.
    const polled = session('devin-new', 'org-a');
    store.merge([polled]);
    assert.equal(store.isListed(polled), false);
    store.setListFilter(listFilterFor({}, undefined, false));
    assert.equal(store.isListed(polled), true, 'clearing the filter lists it again');
  });
});

describe('lists loaded per organization on demand', () => {
  test('one request for concurrent askers; kept until dropped; a failure is a state, not a throw', async () => {
    let calls = 0;
    let fail = false;
    const lists = new OrgLists(async (orgId: string) => {
      calls++;
      if (fail) throw new Error('Devin is down');
      return [`${orgId}:${calls}`];
    });
    const [first, second] = await Promise.all([lists.load('org-a'), lists.load('org-a')]);
    assert.equal(calls, 1);
    assert.deepEqual(first, { status: 'loaded', items: ['org-a:1'] });
    assert.equal(second, first);
    await lists.load('org-a');
    assert.equal(calls, 1, 'kept');
    const dropped: (string | undefined)[] = [];
    lists.onDidChange((orgId) => dropped.push(orgId));
    fail = true;
    lists.invalidate('org-a');
    const failed = await lists.load('org-a');
    assert.equal(failed.status, 'failed');
    assert.equal(failed.status === 'failed' && failed.message, 'Devin is down');
    assert.deepEqual(dropped, ['org-a']);
  });

  test('an answer that arrives after its list was dropped is not kept', async () => {
    let release: (items: string[]) => void = () => undefined;
    let calls = 0;
    const lists = new OrgLists(
      (orgId: string) =>
        new Promise<string[]>((resolve) => {
          calls++;
          release = resolve;
          void orgId;
        }),
    );
    const stale = lists.load('org-a');
    lists.invalidate('org-a');
    release(['old']);
    assert.deepEqual(await stale, { status: 'loaded', items: ['old'] });
    assert.equal(lists.state('org-a'), undefined);
    const fresh = lists.load('org-a');
    release(['new']);
    assert.deepEqual(await fresh, { status: 'loaded', items: ['new'] });
    assert.equal(calls, 2);
  });
});

describe('schedules in the sandbox', () => {
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
  after(() => sandbox.close());
  afterEach(() => sandbox.reset());

  test('the seeded schedules read with their timing, state and last run', async () => {
    const schedules = await listSchedules(client, SANDBOX_ORG_IDS.acme);
    const byId = new Map(schedules.map((schedule) => [schedule.id, schedule]));
    assert.equal(schedules.length, 3);
    const nightly = byId.get(SANDBOX_SCHEDULE_IDS.nightly);
    assert.equal(nightly?.kind, 'recurring');
    assert.equal(nightly?.frequency, '0 6 * * 1-5');
    assert.equal(nightly?.enabled, true);
    assert.ok(nightly?.lastExecutedAt !== undefined);
    const audit = byId.get(SANDBOX_SCHEDULE_IDS.audit);
    assert.equal(audit?.enabled, false);
    assert.equal(audit?.consecutiveFailures, 2);
    assert.match(audit?.lastError ?? '', /not connected/);
    assert.equal(byId.get(SANDBOX_SCHEDULE_IDS.release)?.kind, 'oneTime');
    assert.deepEqual(
      (await listSchedules(client, SANDBOX_ORG_IDS.globex)).map((schedule) => schedule.id),
      [SANDBOX_SCHEDULE_IDS.triage],
    );
  });

  test('the session list takes schedule_id and returns only the sessions that schedule started', async () => {
    const page = await client.listSessions(SANDBOX_ORG_IDS.acme, {
      first: 50,
      schedule: { orgId: SANDBOX_ORG_IDS.acme, id: SANDBOX_SCHEDULE_IDS.nightly },
    });
    assert.equal(page.items.length, 2);
    assert.equal(sandbox.requests.at(-1)?.query.schedule_id, SANDBOX_SCHEDULE_IDS.nightly);
    const audit = await client.listSessions(SANDBOX_ORG_IDS.acme, {
      schedule: { orgId: SANDBOX_ORG_IDS.acme, id: SANDBOX_SCHEDULE_IDS.audit },
    });
    assert.equal(audit.items.length, 1);
    assert.equal(
      page.items.some((s) => audit.items.some((a) => a.id === s.id)),
      false,
    );
    const none = await client.listSessions(SANDBOX_ORG_IDS.acme, {
      schedule: { orgId: SANDBOX_ORG_IDS.acme, id: SANDBOX_SCHEDULE_IDS.release },
    });
    assert.equal(none.items.length, 0, 'a schedule that never ran started nothing');
  });
});
