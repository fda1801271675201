import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Session } from '../../src/core/models';
import { apiClient } from '../sandbox/client';
import { SANDBOX_ORG_IDS } from '../sandbox/server';
import { eventually, requestsTo, signedInSuite } from './support';

/**
 * What the server (or a paste) hands the extension is not trusted with the user's disk, clipboard or sign-in: a
 * hostile attachment id stays inside the temporary folder, a damaged link is explained, a copied one-time token
 * leaves the clipboard, and a token no header can carry is refused before it is sent.
 */

type Outcome = { ok: boolean; cancelled?: boolean; error?: string; opened?: string; tokenNotice?: string };

suite('Server-chosen names, links and tokens', () => {
  const suite = signedInSuite({ apiVersion: 'v3' });
  let scratch: string;

  suiteSetup(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'devin-trust-'));
  });
  suiteTeardown(() => {
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  async function acmeSession(): Promise<Session> {
    const roots = await suite.api.sessionsTree.getChildren();
    const acme = roots.find((node) => node.kind === 'organization' && node.organization.id === SANDBOX_ORG_IDS.acme);
    assert.ok(acme);
    const session = (await suite.api.sessionsTree.getChildren(acme)).flatMap((node) =>
      node.kind === 'session' ? [node.session] : [],
    )[0];
    assert.ok(session, 'a seeded session in Acme');
    return session;
  }

  async function attach(session: Session, attachment: { attachment_id: string; name: string; content: string }) {
    const answer = await apiClient(suite.sandbox.baseUrl, undefined).post(
      `/_sandbox/sessions/${session.id}/attachments`,
      attachment,
    );
    assert.equal(answer.status, 200, answer.text);
  }

  test('Open keeps an attachment whose id climbs out of the folder inside the temporary folder', async () => {
    const session = await acmeSession();
    const root = path.join(os.tmpdir(), 'devin-attachments');
    // Joined as it is, this id leads from the session's temporary folder into the scratch folder.
    const hostileId = path.relative(path.join(root, session.id), path.join(scratch, 'planted'));
    assert.match(hostileId, /^\.\.[\\/]/);
    await attach(session, { attachment_id: hostileId, name: 'notes.txt', content: 'written by the server' });
    await attach(session, { attachment_id: 'C:..\\..\\elsewhere', name: '../NUL.txt', content: 'a device name' });

    const opened = (await vscode.commands.executeCommand('devin.showAttachments', {
      orgId: session.orgId,
      sessionId: session.id,
      name: 'notes.txt',
      action: 'open',
    })) as Outcome;
    assert.equal(opened.ok, true, opened.error);
    assert.ok(opened.opened, 'the attachment was opened');
    assert.ok(!fs.existsSync(path.join(scratch, 'planted', 'notes.txt')), 'nothing was written outside the folder');
    assert.deepEqual(fs.readdirSync(scratch), [], 'the scratch folder is untouched');
    assert.ok(!path.relative(root, opened.opened).startsWith('..'), `${opened.opened} lies inside ${root}`);
    assert.equal(path.basename(opened.opened), 'notes.txt');
    assert.equal(fs.readFileSync(opened.opened, 'utf8'), 'written by the server');
    await eventually(
      () => vscode.window.activeTextEditor?.document.uri.fsPath === opened.opened,
      'the attachment to open in an editor',
    );

    const device = (await vscode.commands.executeCommand('devin.showAttachments', {
      orgId: session.orgId,
      sessionId: session.id,
      name: '../NUL.txt',
      action: 'open',
    })) as Outcome;
    assert.equal(device.ok, true, device.error);
    assert.ok(device.opened && !path.relative(root, device.opened).startsWith('..'), device.opened);
    assert.equal(path.basename(device.opened), '_NUL.txt', 'a Windows device name is made an ordinary file name');
    assert.equal(path.basename(path.dirname(device.opened)), 'elsewhere');
  });

  test('Open Session by ID or URL explains a link with a stray %, instead of failing', async () => {
    const before = suite.sandbox.requests.length;
    const outcome = (await vscode.commands.executeCommand('devin.openSessionById', {
      reference: `https://app.devin.ai/sessions/devin-${'0123456789abcdef'.repeat(2)}%`,
    })) as Outcome;
    assert.equal(outcome.ok, false);
    assert.match(outcome.error ?? '', /That link is damaged: it has a "%" that is not followed by two hexadecimal/);
    assert.doesNotMatch(outcome.error ?? '', /URIError|URI malformed/);
    assert.deepEqual(requestsTo(suite.sandbox, 'GET', /\/sessions\//, before), [], 'nothing was looked up');
  });

  test("a new service user's copied token leaves the clipboard when its time is up", async () => {
    await vscode.env.clipboard.writeText('before');
    const outcome = (await vscode.commands.executeCommand('devin.createServiceUser', {
      orgId: SANDBOX_ORG_IDS.acme,
      name: 'clipboard-bot',
      roleId: 'org_member',
      ttlDays: 30,
      offerToken: true,
      tokenChoice: 'copy',
      clipboardClearMs: 1500,
    })) as Outcome;
    assert.equal(outcome.ok, true, outcome.error);
    assert.match(outcome.tokenNotice ?? '', /The token will be cleared from the clipboard in 2 seconds/);
    assert.match(await vscode.env.clipboard.readText(), /^cog_/, 'the token was copied');
    await eventually(async () => (await vscode.env.clipboard.readText()) === '', 'the clipboard to be cleared');
  });

  test('Sign In refuses a token holding a character no key has, and sends nothing', async () => {
    const before = suite.sandbox.requests.length;
    for (const [token, named] of [
      ['cog_abcdefghijklmnop…', /\("…" U\+2026\)/],
      ['cog_abcdefgh\u0000ijklmnop', /\(U\+0000\)/],
      ['cog_abcdefgh\nijklmnop', /\(U\+000A\)/],
    ] as const) {
      const outcome = (await vscode.commands.executeCommand('devin.signIn', { token })) as Outcome;
      assert.equal(outcome.ok, false);
      assert.match(outcome.error ?? '', /The token contains a character that cannot be part of a key/);
      assert.match(outcome.error ?? '', named);
      assert.match(outcome.error ?? '', /copy it again/);
      assert.doesNotMatch(outcome.error ?? '', /Could not reach/);
    }
    assert.equal(suite.sandbox.requests.length, before, 'no request was sent');
  });
});
