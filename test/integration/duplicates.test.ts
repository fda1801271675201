import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DevinExtensionApi } from '../../src/extension';
import { apiClient } from '../sandbox/client';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, type Sandbox } from '../sandbox/server';
import { activateExtension, eventually, signIn, signOut, startSandboxForExtension } from './support';

/**
 * One user action, at most one object on the server: answers lost after the server did the work, a
 * 2xx whose body cannot be read, a second Ctrl+Enter or Retry while the first is on its way, and the
 * per-organization report of "send to every organization". Counted on the sandbox itself.
 */

type Outcome = {
  ok: boolean;
  cancelled?: boolean;
  error?: string;
  draftId?: string;
  alreadySending?: boolean;
  outcomeUnknown?: boolean;
  found?: boolean;
  session?: { id: string; orgId: string };
  [key: string]: unknown;
};

function run(command: string, ...args: unknown[]): Promise<Outcome> {
  return vscode.commands.executeCommand(command, ...args) as Promise<Outcome>;
}

suite('One action, one object: lost answers, double sends, the per-organization report', () => {
  let sandbox: Sandbox;
  let api: DevinExtensionApi;

  /** Sessions in an organization whose title (derived by the sandbox from the prompt) is `title`. */
  async function sessionsTitled(orgId: string, title: string): Promise<string[]> {
    const page = await apiClient(sandbox.baseUrl, SANDBOX_TOKENS.enterpriseAdmin).get(
      `/v3/organizations/${orgId}/sessions?first=200`,
    );
    return (page.json.items as { session_id: string; title: string }[])
      .filter((session) => session.title === title)
      .map((session) => session.session_id);
  }

  function postsTo(pathEnd: string): number {
    return sandbox.requests.filter((request) => request.method === 'POST' && request.path.endsWith(pathEnd)).length;
  }

  suiteSetup(async () => {
    sandbox = await startSandboxForExtension({ apiVersion: 'v3' });
    api = await activateExtension();
    const outcome = await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    assert.equal(outcome.ok, true, outcome.error); // The permission probes (one posts an empty body to service-users) run once per token; done here, they stay out of the counts.
    await api.tokenPermissions();
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await signOut();
    await sandbox.close();
  });

  setup(async () => {
    sandbox.reset();
    await vscode.commands.executeCommand('devin.refresh');
  });

  test('a create whose answer is lost "may have been created"; Retry reveals that session instead of making another', async () => {
    const prompt = 'Lost answer: add a health check endpoint';
    sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST', pathIncludes: '/sessions' } });
    const first = await run('devin.createSession', { prompt, orgId: SANDBOX_ORG_IDS.acme });
    assert.equal(first.ok, false);
    assert.equal(first.outcomeUnknown, true);
    assert.match(first.error ?? '', /may have been created/);
    assert.doesNotMatch(first.error ?? '', /Try again/);
    assert.equal(postsTo('/sessions'), 1, 'not retried automatically');
    const draft = api.unsentDrafts().find((candidate) => candidate.id === first.draftId);
    assert.ok(draft && draft.kind === 'session' && draft.uncertainSince !== undefined, 'kept, marked uncertain');
    const [existing] = await sessionsTitled(SANDBOX_ORG_IDS.acme, prompt);
    assert.ok(existing, 'the sandbox did the work');

    const retried = await run('devin.retrySessionDraft', first.draftId);
    assert.equal(retried.ok, true, retried.error);
    assert.equal(retried.found, true);
    assert.equal(retried.session?.id, existing);
    assert.equal(postsTo('/sessions'), 1, 'Retry looked and did not create again');
    assert.deepEqual(await sessionsTitled(SANDBOX_ORG_IDS.acme, prompt), [existing], 'exactly one session');
    assert.ok(!api.unsentDrafts().some((candidate) => candidate.id === first.draftId), 'the draft is gone');
    assert.ok(
      sandbox.requests.some(
        (request) => request.method === 'GET' && request.path.endsWith('/sessions') && request.query.created_after,
      ),
      'looked among sessions created since the first attempt',
    );
    // Revealed: the session is a row of its organization in the tree.
    const roots = await api.sessionsTree.getChildren();
    const acme = roots.find((node) => node.kind === 'organization' && node.organization.id === SANDBOX_ORG_IDS.acme);
    assert.ok(acme);
    const rows = await api.sessionsTree.getChildren(acme);
    assert.ok(rows.some((node) => node.kind === 'session' && node.session.id === existing));
  });

  test('when the look-up itself fails, Retry creates nothing and keeps the draft uncertain', async () => {
    const prompt = 'Lost answer, then the list fails: add rate limiting';
    sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST', pathIncludes: '/sessions' } });
    const first = await run('devin.createSession', { prompt, orgId: SANDBOX_ORG_IDS.acme });
    assert.equal(first.outcomeUnknown, true);
    sandbox.faults.inject({
      kind: 'status',
      status: 500,
      times: Infinity,
      match: { method: 'GET', pathIncludes: `${SANDBOX_ORG_IDS.acme}/sessions` },
    });
    const retried = await run('devin.retrySessionDraft', first.draftId);
    assert.equal(retried.ok, false);
    assert.match(retried.error ?? '', /Could not check whether Devin already created the session/);
    assert.equal(postsTo('/sessions'), 1, 'nothing was created without looking first');
    const draft = api.unsentDrafts().find((candidate) => candidate.id === first.draftId);
    assert.ok(draft?.kind === 'session' && draft.uncertainSince !== undefined, 'still marked uncertain');
    sandbox.faults.clear();
    const again = await run('devin.retrySessionDraft', first.draftId);
    assert.equal(again.found, true, again.error);
    assert.equal((await sessionsTitled(SANDBOX_ORG_IDS.acme, prompt)).length, 1);
  });

  test('cancelling after the request went out keeps a "may have been created" draft', async () => {
    const prompt = 'Cancelled after sending: document the API';
    sandbox.faults.inject({ kind: 'slow', delayMs: 3000, match: { method: 'POST', pathIncludes: '/sessions' } });
    // The progress notification must be the newest one: its Cancel button is then the primary action run below.
    await vscode.commands.executeCommand('notifications.clearAll');
    const pending = run('devin.createSession', { prompt, orgId: SANDBOX_ORG_IDS.acme });
    await eventually(() => postsTo('/sessions') === 1, 'the request to go out');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await vscode.commands.executeCommand('notification.acceptPrimaryAction');
    const outcome = await pending;
    assert.equal(outcome.ok, false);
    assert.equal(outcome.cancelled, undefined, 'not a silent cancel');
    assert.equal(outcome.outcomeUnknown, true);
    assert.match(outcome.error ?? '', /may have been created.*cancelled after it was sent/);
    const draft = api.unsentDrafts().find((candidate) => candidate.id === outcome.draftId);
    assert.ok(draft?.kind === 'session' && draft.uncertainSince !== undefined);
  });

  test('Retry of an uncertain create that did not reach Devin creates it once', async () => {
    const prompt = 'Lost before the server: write release notes';
    sandbox.faults.inject({ kind: 'drop', match: { method: 'POST', pathIncludes: '/sessions' } });
    const first = await run('devin.createSession', { prompt, orgId: SANDBOX_ORG_IDS.acme });
    assert.equal(first.outcomeUnknown, true, 'a drop after the write cannot be told apart from a lost answer');
    assert.deepEqual(await sessionsTitled(SANDBOX_ORG_IDS.acme, prompt), []);
    const retried = await run('devin.retrySessionDraft', first.draftId);
    assert.equal(retried.ok, true, retried.error);
    assert.equal(retried.found, undefined);
    assert.equal((await sessionsTitled(SANDBOX_ORG_IDS.acme, prompt)).length, 1);
  });

  test('a 2xx whose body cannot be read is a success: no draft, no error, the session shown', async () => {
    const prompt = 'Unreadable answer: tidy the README';
    const draftsBefore = api.unsentDrafts().length;
    sandbox.faults.inject({ kind: 'malformedAfterHandler', match: { method: 'POST', pathIncludes: '/sessions' } });
    const outcome = await run('devin.createSession', { prompt, orgId: SANDBOX_ORG_IDS.acme });
    assert.equal(outcome.ok, true, outcome.error);
    const created = await sessionsTitled(SANDBOX_ORG_IDS.acme, prompt);
    assert.equal(created.length, 1);
    assert.equal(outcome.session?.id, created[0], 'found and shown although the answer was unreadable');
    assert.equal(api.unsentDrafts().length, draftsBefore, 'nothing kept for a retry that would duplicate it');
  });

  test('a second Ctrl+Enter in the composer while the first is sending sends nothing and says so', async () => {
    const prompt = 'Composer: migrate the CI to Node 22';
    await run('devin.createSession', { compose: prompt, orgId: SANDBOX_ORG_IDS.acme });
    await eventually(() => vscode.window.activeTextEditor?.document.getText() === prompt, 'the composer editor');
    sandbox.faults.inject({ kind: 'slow', delayMs: 800, match: { method: 'POST', pathIncludes: '/sessions' } });
    const first = run('devin.sendComposed');
    await eventually(() => postsTo('/sessions') === 1, 'the first send to reach the sandbox');
    const second = await run('devin.sendComposed');
    assert.equal(second.ok, false);
    assert.equal(second.alreadySending, true);
    assert.match(second.error ?? '', /Already sending/);
    assert.equal((await first).ok, true);
    assert.equal(postsTo('/sessions'), 1);
    assert.equal((await sessionsTitled(SANDBOX_ORG_IDS.acme, prompt)).length, 1);
  });

  test('after a lost answer, Ctrl+Enter again in the composer finds the session instead of creating another', async () => {
    const prompt = 'Composer lost answer: split the payments module';
    await run('devin.createSession', { compose: prompt, orgId: SANDBOX_ORG_IDS.acme });
    await eventually(() => vscode.window.activeTextEditor?.document.getText() === prompt, 'the composer editor');
    const composerDocument = vscode.window.activeTextEditor?.document;
    sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST', pathIncludes: '/sessions' } });
    const first = await run('devin.sendComposed');
    assert.equal(first.outcomeUnknown, true);
    assert.equal(vscode.window.activeTextEditor?.document, composerDocument, 'the composer stays open with the text');
    const again = await run('devin.sendComposed');
    assert.equal(again.ok, true, again.error);
    assert.equal(again.found, true);
    assert.equal(postsTo('/sessions'), 1);
    assert.equal((await sessionsTitled(SANDBOX_ORG_IDS.acme, prompt)).length, 1);
    assert.ok(!api.unsentDrafts().some((draft) => draft.kind === 'session' && draft.prompt === prompt));
  });

  test('a second Ctrl+Enter on a follow-up sends it once; a lost answer is checked before a retry', async () => {
    const created = await run('devin.createSession', { prompt: 'Follow-ups target', orgId: SANDBOX_ORG_IDS.acme });
    assert.ok(created.session);
    const target = { orgId: SANDBOX_ORG_IDS.acme, sessionId: created.session.id };
    await run('devin.sendMessage', { ...target, compose: 'Also cover the\nedge cases' });
    sandbox.faults.inject({ kind: 'slow', delayMs: 800, match: { method: 'POST', pathIncludes: '/messages' } });
    const first = run('devin.sendComposed');
    await eventually(() => postsTo('/messages') === 1, 'the first message to reach the sandbox');
    const second = await run('devin.sendComposed');
    assert.equal(second.alreadySending, true);
    assert.equal((await first).ok, true);
    assert.equal(postsTo('/messages'), 1);

    sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST', pathIncludes: '/messages' } });
    const lost = await run('devin.sendMessage', { ...target, message: 'Ship it when green' });
    assert.equal(lost.outcomeUnknown, true);
    assert.match(lost.error ?? '', /may have been delivered/);
    const retried = await run('devin.retryMessageDraft', lost.draftId);
    assert.equal(retried.ok, true, retried.error);
    assert.equal(retried.found, true);
    assert.equal(postsTo('/messages'), 2, 'the lost message was not sent again');
    const messages = await apiClient(sandbox.baseUrl, SANDBOX_TOKENS.enterpriseAdmin).get(
      `/v3/organizations/${SANDBOX_ORG_IDS.acme}/sessions/${created.session.id}/messages?first=200`,
    );
    const texts = (messages.json.items as { message: string; source: string }[]).filter((m) => m.source === 'user');
    assert.equal(texts.filter((m) => m.message === 'Ship it when green').length, 1);
  });

  test('Retry pressed twice on one draft creates one session', async () => {
    const prompt = 'Double retry: bump dependencies';
    sandbox.faults.inject({ kind: 'status', status: 503, match: { method: 'POST', pathIncludes: '/sessions' } });
    const failed = await run('devin.createSession', { prompt, orgId: SANDBOX_ORG_IDS.acme });
    assert.equal(failed.ok, false);
    assert.equal(failed.outcomeUnknown, false, 'a 503 is an answer: nothing was created');
    sandbox.faults.inject({ kind: 'slow', delayMs: 800, match: { method: 'POST', pathIncludes: '/sessions' } });
    const first = run('devin.retrySessionDraft', failed.draftId);
    const second = await run('devin.retrySessionDraft', failed.draftId);
    assert.equal(second.alreadySending, true);
    assert.equal((await first).ok, true);
    assert.equal((await sessionsTitled(SANDBOX_ORG_IDS.acme, prompt)).length, 1);
  });

  test('a second run of a create with the same target is ignored while the first is on its way', async () => {
    sandbox.faults.inject({ kind: 'slow', delayMs: 800, match: { method: 'POST', pathIncludes: '/knowledge' } });
    const note = { orgId: SANDBOX_ORG_IDS.acme, name: 'Twice', trigger: 'Always', body: 'Once only.' };
    const first = run('devin.addKnowledge', note);
    await eventually(() => postsTo('/knowledge/notes') === 1, 'the first note to reach the sandbox');
    const second = await run('devin.addKnowledge', note);
    assert.equal(second.alreadySending, true);
    assert.equal((await first).ok, true);
    assert.equal(postsTo('/knowledge/notes'), 1);
  });

  test('organizations and Knowledge notes whose answer was lost are found by name before a retry', async () => {
    const since = Date.now();
    sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST', pathIncludes: '/organizations' } });
    const org = await run('devin.createOrganization', { name: 'Lost Answer Labs' });
    assert.equal(org.outcomeUnknown, true);
    assert.match(org.error ?? '', /may have been created/);
    // What the notification's Retry runs: the same values and when the first attempt was sent.
    const orgRetry = await run('devin.createOrganization', { name: 'Lost Answer Labs', uncertainSince: since });
    assert.equal(orgRetry.ok, true, orgRetry.error);
    assert.equal(orgRetry.found, true);
    assert.equal(postsTo('/enterprise/organizations'), 1);

    const note = { orgId: SANDBOX_ORG_IDS.acme, name: 'Lost note', trigger: 'On deploy', body: 'Run make deploy.' };
    sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST', pathIncludes: '/knowledge' } });
    const added = await run('devin.addKnowledge', note);
    assert.equal(added.outcomeUnknown, true);
    const noteRetry = await run('devin.addKnowledge', { ...note, uncertainSince: since });
    assert.equal(noteRetry.found, true, noteRetry.error);
    assert.equal(postsTo('/knowledge/notes'), 1);
  });

  test('service users: an unreadable answer is a success with its lost token explained; a lost answer is not retried', async () => {
    sandbox.faults.inject({ kind: 'malformedAfterHandler', match: { method: 'POST', pathIncludes: 'service-users' } });
    const outcome = await run('devin.createServiceUser', {
      orgId: SANDBOX_ORG_IDS.globex,
      name: 'unreadable-bot',
      role: 'member',
    });
    assert.equal(outcome.ok, true, outcome.error);
    assert.equal(outcome.tokenLost, true);
    assert.equal(postsTo('service-users'), 1);

    sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST', pathIncludes: 'service-users' } });
    const lost = await run('devin.createServiceUser', {
      orgId: SANDBOX_ORG_IDS.globex,
      name: 'lost-bot',
      role: 'member',
    });
    assert.equal(lost.ok, false);
    assert.equal(lost.outcomeUnknown, true);
    assert.match(lost.error ?? '', /may have been created.*token.*new API key/);
    assert.equal(postsTo('service-users'), 2, 'not repeated automatically');

    // Retry, as the error's button runs it, looks in the enterprise's service users first and finds it.
    const retried = await run('devin.createServiceUser', {
      orgId: SANDBOX_ORG_IDS.globex,
      name: 'lost-bot',
      role: 'member',
      uncertainSince: Date.now() - 1000,
    });
    assert.equal(retried.ok, true, retried.error);
    assert.equal(retried.tokenLost, true);
    assert.equal(postsTo('service-users'), 2, 'the one the lost answer created is reported, not made again');
  });

  test('send to every organization: a report with each result, Sign In offered on 401, only fixable failures kept', async () => {
    const prompt = 'Broadcast: rotate the signing keys';
    const roots = await api.sessionsTree.getChildren();
    const organizations = roots.flatMap((node) => (node.kind === 'organization' ? [node.organization] : []));
    assert.ok(organizations.length >= 4, 'the sandbox has enough organizations');
    const [created, rejected, forbidden, uncertain] = organizations;
    assert.ok(created && rejected && forbidden && uncertain);
    sandbox.faults.inject({ kind: 'status', status: 401, match: { method: 'POST', pathIncludes: rejected.id } });
    sandbox.faults.inject({ kind: 'status', status: 403, match: { method: 'POST', pathIncludes: forbidden.id } });
    sandbox.faults.inject({ kind: 'dropAfterHandler', match: { method: 'POST', pathIncludes: uncertain.id } });
    const outcome = await run('devin.sendPromptToAllOrganizations', { prompt, confirmed: true });
    assert.equal(outcome.ok, true, outcome.error);
    assert.equal(outcome.failed, 2);
    assert.equal(outcome.uncertain, 1);
    assert.equal(outcome.created, organizations.length - 3);
    assert.deepEqual(outcome.actions, ['Sign In', 'Retry Unsent']);

    const report = await eventually(() => {
      const document = vscode.window.activeTextEditor?.document;
      return document?.uri.scheme === 'devin-view' && document.getText().includes(prompt) ? document : undefined;
    }, 'the report document');
    const text = report.getText();
    const line = (id: string) => text.split('\n').find((row) => row.includes(`\`${id}\``)) ?? '';
    assert.match(line(created.id), /\| Started \| \[.*\]\(https:\/\/app\.devin\.ai\/sessions\//);
    assert.match(line(rejected.id), /Failed \(kept for Retry Unsent\) \| .*Sign In/);
    assert.match(line(forbidden.id), /\| Failed \| Devin refused the request/);
    assert.match(line(uncertain.id), /\| May have been created \|/);
    assert.doesNotMatch(text, /cog_/);

    const kept = api.unsentDrafts().filter((draft) => draft.kind === 'session' && draft.prompt === prompt);
    assert.deepEqual(kept.map((draft) => draft.orgId).sort(), [rejected.id, uncertain.id].sort());
    const uncertainDraft = kept.find((draft) => draft.orgId === uncertain.id);
    assert.ok(uncertainDraft?.kind === 'session' && uncertainDraft.uncertainSince !== undefined);
    // Retry of the uncertain one finds the session the lost answer was about.
    const retried = await run('devin.retrySessionDraft', uncertainDraft.id);
    assert.equal(retried.found, true, retried.error);
    assert.equal((await sessionsTitled(uncertain.id, prompt)).length, 1);
  });
});
