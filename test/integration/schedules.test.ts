import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS } from '../sandbox/server';
import { signIn, signedInSuite } from './support';

/** Scheduled sessions: create (recurring and one-time), disable and enable, delete; refused for a member. */

type Outcome = { ok: boolean; error?: string; cancelled?: boolean; [key: string]: unknown };

suite('Devin schedules', () => {
  const suite = signedInSuite({ apiVersion: 'v3' });
  const schedulesPath = `/v3/organizations/${SANDBOX_ORG_IDS.acme}/schedules`;

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('devin').update('orgId', undefined, vscode.ConfigurationTarget.Global);
  });

  test('a recurring schedule is created, disabled, enabled again and deleted', async () => {
    suite.sandbox.reset();
    const created = (await vscode.commands.executeCommand('devin.createSchedule', {
      orgId: SANDBOX_ORG_IDS.acme,
      name: 'Nightly dependency check',
      prompt: 'Check for outdated dependencies and open a PR.',
      cron: '0 6 * * 1-5',
    })) as Outcome;
    assert.equal(created.ok, true, created.error);
    const post = suite.sandbox.requests.find((request) => request.method === 'POST' && request.path === schedulesPath);
    assert.deepEqual(post?.body, {
      name: 'Nightly dependency check',
      prompt: 'Check for outdated dependencies and open a PR.',
      schedule_type: 'recurring',
      frequency: '0 6 * * 1-5',
    });
    const target = { orgId: SANDBOX_ORG_IDS.acme, scheduleId: created.scheduleId };

    const disabled = (await vscode.commands.executeCommand('devin.toggleSchedule', target)) as Outcome;
    assert.equal(disabled.ok, true, disabled.error);
    assert.equal(disabled.enabled, false);
    const enabled = (await vscode.commands.executeCommand('devin.toggleSchedule', target)) as Outcome;
    assert.equal(enabled.enabled, true);
    assert.deepEqual(
      suite.sandbox.requests.filter((request) => request.method === 'PATCH').map((request) => request.body),
      [{ enabled: false }, { enabled: true }],
    );

    const deleted = (await vscode.commands.executeCommand('devin.deleteSchedule', {
      ...target,
      confirmed: true,
    })) as Outcome;
    assert.equal(deleted.ok, true, deleted.error);
    const again = (await vscode.commands.executeCommand('devin.toggleSchedule', target)) as Outcome;
    assert.equal(again.ok, false);
    assert.match(again.error ?? '', /may have been deleted/);
  });

  test('a one-time schedule goes with an ISO time; a past time is refused before any request', async () => {
    suite.sandbox.reset();
    const at = new Date(Date.now() + 86_400_000).toISOString();
    const created = (await vscode.commands.executeCommand('devin.createSchedule', {
      orgId: SANDBOX_ORG_IDS.acme,
      name: 'Release notes',
      prompt: 'Draft the release notes.',
      at,
    })) as Outcome;
    assert.equal(created.ok, true, created.error);
    const body = suite.sandbox.requests.find((request) => request.method === 'POST')?.body as Record<string, unknown>;
    assert.equal(body.schedule_type, 'one_time');
    // Whole seconds: the API's other timestamps are Unix seconds too.
    assert.equal(Date.parse(String(body.scheduled_at)), Math.floor(Date.parse(at) / 1000) * 1000);
    suite.sandbox.requests.length = 0;
    const past = (await vscode.commands.executeCommand('devin.createSchedule', {
      orgId: SANDBOX_ORG_IDS.acme,
      name: 'Too late',
      prompt: 'x',
      at: '2020-01-01T00:00Z',
    })) as Outcome;
    assert.equal(past.ok, false);
    assert.match(past.error ?? '', /in the future/);
    assert.equal(suite.sandbox.requests.filter((request) => request.method === 'POST').length, 0);
  });

  test('a member is told it lacks ManageOrgSchedules before any input', async () => {
    await vscode.workspace
      .getConfiguration('devin')
      .update('orgId', SANDBOX_ORG_IDS.acme, vscode.ConfigurationTarget.Global);
    await signIn(SANDBOX_TOKENS.member);
    const outcome = (await vscode.commands.executeCommand('devin.createSchedule')) as Outcome;
    assert.equal(outcome.ok, false);
    assert.notEqual(outcome.cancelled, true);
    assert.match(outcome.error ?? '', /ManageOrgSchedules/);
  });
});
