import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS } from '../sandbox/server';
import { eventually, onlyRequestTo, signIn, signedInSuite } from './support';

/** The API's other workflows from the palette: identity, organizations, service users, Knowledge, audit log, broadcast. */

type Outcome = { ok: boolean; error?: string; [key: string]: unknown };

suite('Devin workflows', () => {
  const suite = signedInSuite({ apiVersion: 'v3beta1', freshEachTest: true });

  test("identity is read through the specification's /enterprise/self on v3beta1", async () => {
    const outcome = (await vscode.commands.executeCommand('devin.showIdentity')) as Outcome;
    assert.equal(outcome.ok, true, outcome.error);
    assert.ok(typeof outcome.name === 'string' && outcome.name.length > 0);
  });

  test('a new organization appears in the tree', async () => {
    const outcome = (await vscode.commands.executeCommand('devin.createOrganization', {
      name: 'Umbrella Research',
      maxCycleAcuLimit: 250,
    })) as Outcome;
    assert.equal(outcome.ok, true, outcome.error);
    const request = suite.sandbox.requests.find((candidate) => candidate.method === 'POST');
    assert.equal(request?.path, '/v3beta1/enterprise/organizations');
    assert.deepEqual(request?.body, { name: 'Umbrella Research', acu_limit: 250 });
    const roots = await suite.api.sessionsTree.getChildren();
    assert.ok(
      roots.some(
        (node) =>
          node.kind === 'organization' &&
          node.organization.id === outcome.orgId &&
          node.organization.name === 'Umbrella Research',
      ),
    );
  });

  test('a service user is provisioned under /v3beta1 with a real role id and a lifetime', async () => {
    const outcome = (await vscode.commands.executeCommand('devin.createServiceUser', {
      orgId: SANDBOX_ORG_IDS.globex,
      name: 'ci-bot',
      roleId: 'org_member',
      ttlDays: 90,
    })) as Outcome;
    assert.equal(outcome.ok, true, outcome.error);
    const request = suite.sandbox.requests.find((candidate) => candidate.method === 'POST');
    assert.equal(request?.path, `/v3beta1/organizations/${SANDBOX_ORG_IDS.globex}/service-users`);
    assert.deepEqual(request?.body, { name: 'ci-bot', role_id: 'org_member', ttl_seconds: 90 * 86_400 });
  });

  test('a service-user lifetime beyond 365 days is refused with a message, before any request', async () => {
    const outcome = (await vscode.commands.executeCommand('devin.createServiceUser', {
      orgId: SANDBOX_ORG_IDS.globex,
      name: 'ci-bot',
      roleId: 'org_member',
      ttlDays: 400,
    })) as Outcome;
    assert.equal(outcome.ok, false);
    assert.match(outcome.error ?? '', /365 days/);
    assert.equal(suite.sandbox.requests.filter((request) => request.method === 'POST').length, 0);
  });

  test('Knowledge: a note is added to the organization', async () => {
    const since = suite.sandbox.requests.length;
    const outcome = (await vscode.commands.executeCommand('devin.addKnowledge', {
      orgId: SANDBOX_ORG_IDS.acme,
      name: 'Migrations',
      trigger: 'When touching db/',
      body: 'Run make migrate.',
    })) as Outcome;
    assert.equal(outcome.ok, true, outcome.error);
    assert.deepEqual(onlyRequestTo(suite.sandbox, 'POST', '/knowledge/notes', since).body, {
      name: 'Migrations',
      body: 'Run make migrate.',
      trigger: 'When touching db/',
    });
  });

  test('the audit log opens as a read-only document', async () => {
    const since = suite.sandbox.requests.length;
    const outcome = (await vscode.commands.executeCommand('devin.showAuditLog', { days: 30 })) as Outcome;
    assert.equal(outcome.ok, true, outcome.error);
    assert.ok(Number(outcome.count) > 0);
    const document = vscode.window.activeTextEditor?.document;
    assert.equal(document?.uri.scheme, 'devin-view');
    assert.ok(document?.getText().startsWith('# Devin audit log'));
    const query = onlyRequestTo(suite.sandbox, 'GET', '/enterprise/audit-logs', since).query;
    assert.ok(query.time_after && query.time_before, 'the window is sent');
  });

  test('the audit log filters by action and organization, through the organization endpoint', async () => {
    const since = suite.sandbox.requests.length;
    const outcome = (await vscode.commands.executeCommand('devin.showAuditLog', {
      days: 100,
      action: 'create_session',
      orgId: SANDBOX_ORG_IDS.acme,
    })) as Outcome;
    assert.equal(outcome.ok, true, outcome.error);
    const request = onlyRequestTo(suite.sandbox, 'GET', /\/audit-logs$/, since);
    assert.equal(request.path, `/v3beta1/enterprise/organizations/${SANDBOX_ORG_IDS.acme}/audit-logs`);
    assert.equal(request.query.action, 'create_session');
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    const rows = text.split('\n').filter((line) => line.startsWith('| 20'));
    assert.equal(rows.length, outcome.count);
    assert.ok(
      rows.length > 0 && rows.every((row) => row.includes('| create_session |') && row.includes(SANDBOX_ORG_IDS.acme)),
    );
    assert.ok(
      rows.every((row) => /\{"session_id":"devin-[0-9a-f]+"\} \|$/.test(row)),
      "each event's data is shown",
    );
  });

  test('the audit log loads more past its first batch, and exports what is shown as CSV and JSON', async () => {
    const first = (await vscode.commands.executeCommand('devin.showAuditLog', { days: 100, batchSize: 50 })) as Outcome;
    assert.equal(first.ok, true, first.error);
    assert.equal(first.count, 50);
    assert.equal(first.more, true);
    assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /More events exist/);
    const more = (await vscode.commands.executeCommand('devin.loadMoreAuditLog')) as Outcome;
    assert.equal(more.ok, true, more.error);
    assert.equal(more.count, 100);
    // The open document re-reads its content from the provider when told it changed.
    const text = await eventually(() => {
      const current = vscode.window.activeTextEditor?.document.getText() ?? '';
      return /^100 events from/m.test(current) ? current : undefined;
    }, 'the document to show 100 events');
    const rows = text.split('\n').filter((line) => line.startsWith('| 20'));
    assert.equal(rows.length, 100);
    const cursors = suite.sandbox.requests
      .filter((request) => request.path.endsWith('/audit-logs'))
      .map((request) => request.query.after);
    assert.equal(new Set(cursors).size, cursors.length, 'each page is read once');

    const folder = vscode.Uri.file(fs.mkdtempSync(path.join(os.tmpdir(), 'devin-audit-')));
    const csvUri = vscode.Uri.joinPath(folder, 'audit.csv');
    const csv = (await vscode.commands.executeCommand('devin.exportAuditLog', {
      format: 'csv',
      uri: csvUri,
    })) as Outcome;
    assert.equal(csv.ok, true, csv.error);
    const csvLines = fs.readFileSync(csvUri.fsPath, 'utf8').split('\r\n');
    assert.match(csvLines[0] ?? '', /^created_at_utc,action,org_id/);
    assert.equal(csvLines.length, 1 + 100 + 1);
    const jsonUri = vscode.Uri.joinPath(folder, 'audit.json');
    const json = (await vscode.commands.executeCommand('devin.exportAuditLog', {
      format: 'json',
      uri: jsonUri,
    })) as Outcome;
    assert.equal(json.ok, true, json.error);
    const parsed = JSON.parse(fs.readFileSync(jsonUri.fsPath, 'utf8')) as {
      items: { audit_log_id: string; data: object }[];
    };
    assert.equal(parsed.items.length, 100);
    assert.equal(new Set(parsed.items.map((item) => item.audit_log_id)).size, 100, 'no event twice');
    assert.ok(parsed.items.every((item) => typeof item.data === 'object'));
  });

  test('one prompt starts one session in every organization', async () => {
    const roots = await suite.api.sessionsTree.getChildren();
    const outcome = (await vscode.commands.executeCommand('devin.sendPromptToAllOrganizations', {
      prompt: 'Upgrade the Node version in CI',
      confirmed: true,
    })) as Outcome;
    assert.equal(outcome.ok, true, outcome.error);
    assert.equal(outcome.created, roots.length);
    const posted = suite.sandbox.requests.filter(
      (request) => request.method === 'POST' && request.path.endsWith('/sessions'),
    );
    assert.deepEqual(
      new Set(posted.map((request) => request.path.split('/')[3])),
      new Set(roots.map((node) => (node.kind === 'organization' ? node.organization.id : ''))),
    );
  });

  test('the audit log needs ManageEnterpriseSettings, and says so', async () => {
    await signIn(SANDBOX_TOKENS.member);
    const outcome = (await vscode.commands.executeCommand('devin.showAuditLog', { days: 1 })) as Outcome;
    assert.equal(outcome.ok, false);
    assert.match(outcome.error ?? '', /ManageEnterpriseSettings/);
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
  });
});
