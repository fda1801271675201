import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createSchedule } from '../../src/actions/createSchedule';
import { addKnowledgeNote } from '../../src/actions/knowledge';
import { createOrganization } from '../../src/actions/organizations';
import { createServiceUser } from '../../src/actions/serviceUsers';
import { SendGuard, sendKey } from '../../src/core/sendGuard';
import { SANDBOX_ORG_IDS } from '../sandbox/server';
import { actionsOnSandbox, posts, sandboxClient } from './actionsFixture';

/**
 * Creating an organization, a service user, a Knowledge note and a schedule against the sandbox over loopback: each makes one
 * object, a 403 names the missing permission, and a retry after a lost answer finds the object instead of making
 * a second one.
 */

const org = { orgId: SANDBOX_ORG_IDS.acme, name: 'Acme' };
const bench = actionsOnSandbox();

function deps(token?: 'member' | 'orgServiceUser') {
  return { client: sandboxClient(bench.sandbox, { token }), ui: bench.ui };
}

function messageOf(outcome: { kind: string; error?: unknown }): string {
  return outcome.error instanceof Error ? outcome.error.message : '';
}

/** Two presses at once under the commands' guard: the second is told it is already sending. */
async function pressedTwice<T>(key: string, send: () => Promise<T>): Promise<(T | 'alreadySending')[]> {
  const guard = new SendGuard();
  return Promise.all([
    guard.run(key, send, () => 'alreadySending' as const),
    guard.run(key, send, () => 'alreadySending' as const),
  ]);
}

describe('createOrganization', () => {
  const organizations = () => bench.sandbox.inventory().organizations;

  test('created: one POST with both limits', async () => {
    const before = organizations();
    const outcome = await createOrganization(deps(), {
      name: 'Initech',
      maxCycleAcuLimit: 500,
      maxSessionAcuLimit: 20,
    });
    assert.equal(outcome.kind, 'created');
    assert.equal(outcome.kind === 'created' && outcome.value.name, 'Initech');
    assert.equal(organizations(), before + 1);
    assert.equal(posts(bench.sandbox, '/enterprise/organizations'), 1);
    assert.deepEqual(
      bench.ui.shown.map((shown) => shown.title),
      ['Creating organization Initech…'],
    );
  });

  test('a 403 names the permission; nothing is created', async () => {
    const before = organizations();
    const outcome = await createOrganization(deps('member'), { name: 'Refused Org' });
    assert.equal(outcome.kind, 'failed');
    assert.equal(outcome.kind === 'failed' && outcome.outcomeUnknown, false);
    assert.match(messageOf(outcome), /ManageOrganizations/);
    assert.equal(organizations(), before);
  });

  test('a lost answer is uncertain; the Retry finds the organization and creates nothing', async () => {
    bench.sandbox.faults.inject({
      kind: 'dropAfterHandler',
      match: { method: 'POST', pathIncludes: '/organizations' },
    });
    const started = bench.clock.now();
    const first = await createOrganization(deps(), { name: 'Lost Org' });
    assert.equal(first.kind, 'failed');
    assert.equal(first.kind === 'failed' && first.outcomeUnknown, true);
    assert.equal(first.kind === 'failed' && first.uncertainSince, started);
    const afterFirst = organizations();
    bench.clock.advance(60_000);
    const retried = await createOrganization(
      deps(),
      { name: 'Lost Org' },
      { uncertainSince: first.kind === 'failed' ? first.uncertainSince : undefined },
    );
    assert.equal(retried.kind, 'found');
    assert.equal(retried.kind === 'found' && retried.value.name, 'Lost Org');
    assert.equal(organizations(), afterFirst);
    assert.equal(posts(bench.sandbox, '/enterprise/organizations'), 1, 'no second create');
  });

  test('a 2xx whose answer is unreadable is looked up', async () => {
    bench.sandbox.faults.inject({
      kind: 'malformedAfterHandler',
      match: { method: 'POST', pathIncludes: '/organizations' },
    });
    const outcome = await createOrganization(deps(), { name: 'Unreadable Org' });
    assert.equal(outcome.kind, 'createdButUnreadable');
    assert.equal(outcome.kind === 'createdButUnreadable' && outcome.value?.name, 'Unreadable Org');
  });

  test('two presses at once create one organization', async () => {
    const before = organizations();
    const [first, second] = await pressedTwice(sendKey('organization', 'Twice Org'), () =>
      createOrganization(deps(), { name: 'Twice Org' }),
    );
    assert.equal(first !== 'alreadySending' && first.kind, 'created');
    assert.equal(second, 'alreadySending');
    assert.equal(organizations(), before + 1);
  });
});

describe('createServiceUser', () => {
  const request = { name: 'ci-bot-2', roleId: 'org_member', ttlSeconds: 90 * 86_400 };

  test('created: one POST, the one-time token handed back', async () => {
    const outcome = await createServiceUser(deps(), org, request);
    assert.equal(outcome.kind, 'created');
    assert.equal(outcome.kind === 'created' && outcome.value.name, 'ci-bot-2');
    assert.match(outcome.kind === 'created' ? outcome.value.token : '', /^cog_/);
    assert.equal(posts(bench.sandbox, '/service-users'), 1);
    assert.deepEqual(
      bench.ui.shown.map((shown) => shown.title),
      ['Creating service user ci-bot-2…'],
    );
  });

  test('where the provisioning path answers 404, the specification path creates it', async () => {
    bench.sandbox.faults.inject({
      kind: 'status',
      status: 404,
      match: { method: 'POST', pathIncludes: `${org.orgId}/service-users` },
    });
    const outcome = await createServiceUser(deps(), org, request);
    assert.equal(outcome.kind, 'created');
    assert.equal(posts(bench.sandbox, '/members/service-users'), 1);
  });

  test('a 403 names the permission; nothing is created', async () => {
    const outcome = await createServiceUser(deps('member'), org, request);
    assert.equal(outcome.kind, 'failed');
    assert.equal(outcome.kind === 'failed' && outcome.outcomeUnknown, false);
    assert.match(messageOf(outcome), /ManageOrgServiceUsers/);
  });

  test('a lost answer is uncertain; the Retry finds the service user and creates nothing', async () => {
    bench.sandbox.faults.inject({
      kind: 'dropAfterHandler',
      match: { method: 'POST', pathIncludes: '/service-users' },
    });
    const first = await createServiceUser(deps(), org, request);
    assert.equal(first.kind, 'failed');
    assert.equal(first.kind === 'failed' && first.outcomeUnknown, true);
    bench.clock.advance(60_000);
    const retried = await createServiceUser(deps(), org, request, {
      uncertainSince: first.kind === 'failed' ? first.uncertainSince : undefined,
    });
    assert.equal(retried.kind, 'found');
    assert.equal(retried.kind === 'found' && retried.value.name, 'ci-bot-2');
    assert.equal(posts(bench.sandbox, '/service-users'), 1, 'no second create');
    assert.equal(bench.ui.shown.at(-1)?.title, 'Looking for service user ci-bot-2…');
  });

  test('a token that cannot list service users still creates after a lost answer, and says why it could not look', async () => {
    const why: unknown[] = [];
    const outcome = await createServiceUser(
      { ...deps('orgServiceUser'), lookFailed: (error) => why.push(error) },
      org,
      request,
      { uncertainSince: bench.clock.now() },
    );
    assert.equal(outcome.kind, 'created');
    assert.equal(why.length, 1);
    assert.equal(posts(bench.sandbox, '/service-users'), 1);
  });

  test('two presses at once create one service user', async () => {
    const [first, second] = await pressedTwice(sendKey('serviceUser', org.orgId, request.name), () =>
      createServiceUser(deps(), org, request),
    );
    assert.equal(first !== 'alreadySending' && first.kind, 'created');
    assert.equal(second, 'alreadySending');
    assert.equal(posts(bench.sandbox, '/service-users'), 1);
  });
});

describe('addKnowledgeNote', () => {
  const note = { name: 'Migrations', trigger: 'When changing db/migrations', body: 'Run make migrate first.' };
  const notes = () => bench.sandbox.inventory().notes;

  test('created: one POST of name, trigger and body', async () => {
    const before = notes();
    const outcome = await addKnowledgeNote(deps(), org, note);
    assert.equal(outcome.kind, 'created');
    assert.equal(outcome.kind === 'created' && outcome.value.name, 'Migrations');
    assert.equal(notes(), before + 1);
    assert.equal(posts(bench.sandbox, '/knowledge/notes'), 1);
    assert.deepEqual(
      bench.ui.shown.map((shown) => shown.title),
      ['Saving Knowledge note…'],
    );
  });

  test('a 403 names the permission; nothing is added', async () => {
    bench.sandbox.faults.inject({ kind: 'status', status: 403, match: { method: 'POST', pathIncludes: '/knowledge' } });
    const before = notes();
    const outcome = await addKnowledgeNote(deps(), org, note);
    assert.equal(outcome.kind, 'failed');
    assert.equal(outcome.kind === 'failed' && outcome.outcomeUnknown, false);
    assert.match(messageOf(outcome), /ManageAccountKnowledge/);
    assert.equal(notes(), before);
  });

  test('a lost answer is uncertain; the Retry finds the note and adds nothing', async () => {
    bench.sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST', pathIncludes: '/knowledge' } });
    const first = await addKnowledgeNote(deps(), org, note);
    assert.equal(first.kind, 'failed');
    assert.equal(first.kind === 'failed' && first.outcomeUnknown, true);
    const afterFirst = notes();
    bench.clock.advance(60_000);
    const retried = await addKnowledgeNote(deps(), org, note, {
      uncertainSince: first.kind === 'failed' ? first.uncertainSince : undefined,
    });
    assert.equal(retried.kind, 'found');
    assert.equal(notes(), afterFirst);
    assert.equal(posts(bench.sandbox, '/knowledge/notes'), 1, 'no second note');
  });

  test('a failed look sends nothing and says so', async () => {
    bench.sandbox.faults.inject({ kind: 'status', status: 500, times: Infinity, match: { method: 'GET' } });
    const outcome = await addKnowledgeNote(deps(), org, note, { uncertainSince: bench.clock.now() });
    assert.equal(outcome.kind, 'failed');
    assert.equal(outcome.kind === 'failed' && outcome.checkFailed, true);
    assert.equal(posts(bench.sandbox, '/knowledge/notes'), 0);
  });

  test('two presses at once add one note', async () => {
    const before = notes();
    const [first, second] = await pressedTwice(sendKey('knowledge', org.orgId, note.name), () =>
      addKnowledgeNote(deps(), org, note),
    );
    assert.equal(first !== 'alreadySending' && first.kind, 'created');
    assert.equal(second, 'alreadySending');
    assert.equal(notes(), before + 1);
  });
});

describe('createSchedule', () => {
  const request = {
    name: 'Nightly dependency check',
    prompt: 'Check the dependencies for updates and open a PR.',
    timing: { kind: 'recurring', cron: '0 3 * * *' } as const,
  };
  const schedules = () => bench.sandbox.inventory().schedules;

  test('created: one POST of name, prompt and timing', async () => {
    const before = schedules();
    const outcome = await createSchedule(deps(), org, request);
    assert.equal(outcome.kind, 'created');
    assert.equal(outcome.kind === 'created' && outcome.value.frequency, '0 3 * * *');
    assert.equal(schedules(), before + 1);
    assert.equal(posts(bench.sandbox, '/schedules'), 1);
  });

  test('a lost answer is uncertain; the Retry finds the schedule and creates nothing', async () => {
    bench.sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST', pathIncludes: '/schedules' } });
    const first = await createSchedule(deps(), org, request);
    assert.equal(first.kind, 'failed');
    assert.equal(first.kind === 'failed' && first.outcomeUnknown, true);
    const afterFirst = schedules();
    bench.clock.advance(60_000);
    const retried = await createSchedule(deps(), org, request, {
      uncertainSince: first.kind === 'failed' ? first.uncertainSince : undefined,
    });
    assert.equal(retried.kind, 'found');
    assert.equal(schedules(), afterFirst);
    assert.equal(posts(bench.sandbox, '/schedules'), 1, 'no second schedule');
  });

  test('a schedule of the same name made before the lost attempt is not taken for it', async () => {
    await createSchedule(deps(), org, request);
    bench.clock.advance(3_600_000);
    const outcome = await createSchedule(deps(), org, request, { uncertainSince: bench.clock.now() });
    assert.equal(outcome.kind, 'created');
    assert.equal(posts(bench.sandbox, '/schedules'), 2);
  });
});
