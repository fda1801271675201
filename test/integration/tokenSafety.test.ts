import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DevinExtensionApi } from '../../src/extension';
import type { DevinTestHooks } from '../../src/testHooks';
import type { ConsumptionDebugState } from '../../src/webview/consumptionPanel';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../sandbox/server';
import { activateExtension, eventually, signIn, signOut, startSandboxForExtension } from './support';

/**
 * Where the token may go, in the real VS Code against two sandboxes: the base URL rules, the origin the token
 * is bound to and the question before it goes anywhere else, identity answers that name nobody, and secret
 * storage that refuses to save.
 */

const devin = () => vscode.workspace.getConfiguration('devin');

async function setBaseUrl(value: string | undefined): Promise<void> {
  await devin().update('apiBaseUrl', value, vscode.ConfigurationTarget.Global);
}

suite('token safety', () => {
  let home: Sandbox;
  let other: Sandbox;
  let api: DevinExtensionApi;
  let hooks: DevinTestHooks;

  /** The tree's roots after a full reload, as a person opening the view would get them. */
  async function reloadRoots(): Promise<unknown[]> {
    await vscode.commands.executeCommand('devin.refresh');
    return api.sessionsTree.getChildren();
  }

  suiteSetup(async () => {
    home = await startSandboxForExtension();
    other = await startSandbox();
    api = await activateExtension();
    assert.ok(api.testHooks, 'test hooks exist in test mode');
    hooks = api.testHooks;
    await signOut();
  });

  suiteTeardown(async () => {
    hooks.answerOriginPrompts(undefined);
    hooks.failSecretWrites(false);
    await signOut();
    await setBaseUrl(home.baseUrl);
    await home.close();
    await other.close();
  });

  setup(async () => {
    hooks.answerOriginPrompts(false);
    hooks.failSecretWrites(false);
    await setBaseUrl(home.baseUrl);
    home.reset();
    other.reset();
  });

  test('devin.apiBaseUrl is application-scoped: a workspace cannot set it', async () => {
    const inspected = devin().inspect('apiBaseUrl');
    assert.equal(inspected?.workspaceValue, undefined);
    await assert.rejects(
      Promise.resolve(devin().update('apiBaseUrl', 'https://evil.example', vscode.ConfigurationTarget.Workspace)),
      /written only into User settings/,
    );
    assert.equal(devin().get('apiBaseUrl'), home.baseUrl);
  });

  test('rejected base URLs: sign-in says which setting and what is wrong, and sends nothing', async () => {
    const cases: [string, RegExp][] = [
      ['http://10.0.0.5:8080', /plain http:\/\/ to another machine/],
      ['file:///etc', /uses the file scheme/],
      ['ftp://api.devin.ai', /uses the ftp scheme/],
      ['api.devin.ai', /has no scheme/],
      ['https://user:secret@api.devin.ai', /user name or password/],
    ];
    for (const [value, reason] of cases) {
      await setBaseUrl(value);
      const outcome = await signIn(SANDBOX_TOKENS.enterpriseAdmin);
      assert.equal(outcome.ok, false, value);
      assert.match(outcome.error ?? '', /The devin\.apiBaseUrl setting ".*" /, value);
      assert.match(outcome.error ?? '', reason, value);
      assert.ok(!(outcome.error ?? '').includes('secret@'), 'credentials in the URL are not repeated');
    }
    assert.equal(home.requests.length + other.requests.length, 0, 'no request anywhere');
    await setBaseUrl(home.baseUrl);
    assert.deepEqual(await reloadRoots(), []);
    assert.equal(api.sessionsTree.viewState, 'signedOut', 'nothing was stored by any of those attempts');
  });

  test('a base URL made invalid after sign-in: the view and every command say so, and no request is sent', async () => {
    assert.equal((await signIn(SANDBOX_TOKENS.enterpriseAdmin)).ok, true);
    // The permission probes that follow a sign-in are done before the count starts.
    await api.tokenPermissions();
    home.reset();
    await setBaseUrl('http://192.0.2.10');
    assert.deepEqual(await reloadRoots(), []);
    assert.equal(api.sessionsTree.viewState, 'invalidSettings');
    assert.match(api.sessionsTree.viewStateMessage ?? '', /devin\.apiBaseUrl setting "http:\/\/192\.0\.2\.10"/);
    const created = (await vscode.commands.executeCommand('devin.createSession', {
      prompt: 'Should never leave this machine',
      orgId: 'org-any',
    })) as { ok: boolean; error?: string; draftId?: string };
    assert.equal(created.ok, false);
    assert.match(created.error ?? '', /devin\.apiBaseUrl setting/);
    assert.equal(home.requests.length, 0);
    await setBaseUrl(home.baseUrl);
    const roots = await reloadRoots();
    assert.ok(roots.length > 0, 'fixing the setting brings the view back without signing in again');
    assert.ok(home.requests.every((request) => request.authorized === 'enterprise-admin'));
  });

  test('another origin is asked about once; declined, the token is never sent there', async () => {
    assert.equal((await signIn(SANDBOX_TOKENS.enterpriseAdmin)).ok, true);
    const askedBefore = hooks.originPrompts().length;
    await setBaseUrl(other.baseUrl);
    // Several requests at once (view, refresh, a command) must still make one question.
    const [roots] = await Promise.all([
      reloadRoots(),
      vscode.commands.executeCommand('devin.showIdentity'),
      api.sessionsTree.getChildren(),
    ]);
    assert.deepEqual(roots, []);
    assert.deepEqual(hooks.originPrompts().slice(askedBefore), [{ origin: other.baseUrl, boundOrigin: home.baseUrl }]);
    assert.equal(other.requests.length, 0, 'the other host received nothing');
    assert.equal(api.sessionsTree.viewState, 'invalidSettings');
    assert.match(api.sessionsTree.viewStateMessage ?? '', /not sent to http:\/\/127\.0\.0\.1:\d+ .*did not allow/);
    assert.ok(!(api.sessionsTree.viewStateMessage ?? '').includes('cog_'));
    await reloadRoots();
    assert.equal(hooks.originPrompts().length, askedBefore + 1, 'a refusal is not asked again on every refresh');
    assert.equal(other.requests.length, 0);
    await setBaseUrl(home.baseUrl);
    assert.ok((await reloadRoots()).length > 0, 'the bound origin still works without a question');
    assert.equal(hooks.originPrompts().length, askedBefore + 1);
  });

  test('accepted, the token goes to the new origin, which it is then bound to', async () => {
    assert.equal((await signIn(SANDBOX_TOKENS.enterpriseAdmin)).ok, true);
    const askedBefore = hooks.originPrompts().length;
    hooks.answerOriginPrompts(true);
    await setBaseUrl(other.baseUrl);
    assert.ok((await reloadRoots()).length > 0);
    assert.ok(other.requests.length > 0);
    assert.ok(other.requests.every((request) => request.authorized === 'enterprise-admin'));
    assert.equal(hooks.originPrompts().length, askedBefore + 1);
    // Bound now: no more questions for this origin, whatever the answer would be.
    hooks.answerOriginPrompts(false);
    assert.ok((await reloadRoots()).length > 0);
    assert.equal(hooks.originPrompts().length, askedBefore + 1);
    // And the old origin is now the "other" one.
    home.reset();
    await setBaseUrl(home.baseUrl);
    assert.deepEqual(await reloadRoots(), []);
    assert.deepEqual(hooks.originPrompts().at(-1), { origin: home.baseUrl, boundOrigin: other.baseUrl });
    assert.equal(home.requests.length, 0);
  });

  test('signing in binds the token to the origin it was checked against', async () => {
    // Signed out first: the token left by the test before is bound to this origin too, and the settings change
    // below would otherwise reload the tree with it, in the background, while this sign-in runs.
    await signOut();
    hooks.answerOriginPrompts(false);
    await setBaseUrl(other.baseUrl);
    assert.equal((await signIn(SANDBOX_TOKENS.orgServiceUser)).ok, true);
    const askedBefore = hooks.originPrompts().length;
    assert.equal((await reloadRoots()).length, 1, "the service user's one organization");
    assert.equal(hooks.originPrompts().length, askedBefore, 'no question for the origin just signed in with');
    assert.ok(other.requests.length > 0);
    assert.ok(other.requests.every((request) => request.authorized === 'org-service-user'));
  });

  test('an identity answer that names no principal is not a sign-in', async () => {
    await signOut();
    home.faults.inject({ kind: 'wrong-shape', match: { pathIncludes: 'self' }, times: 2 });
    const outcome = await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    assert.equal(outcome.ok, false);
    assert.match(outcome.error ?? '', /answered in an unexpected shape/);
    assert.match(outcome.error ?? '', /nothing was saved/);
    assert.doesNotMatch(outcome.error ?? '', /Signed in/);
    assert.deepEqual(await reloadRoots(), []);
    assert.equal(api.sessionsTree.viewState, 'signedOut');
  });

  test('when secret storage refuses the token, it is not used: the view stays signed out', async () => {
    await signOut();
    hooks.failSecretWrites(true);
    const outcome = await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    assert.equal(outcome.ok, false);
    assert.match(outcome.error ?? '', /could not save the token in its secret storage \(the system keyring/);
    assert.match(outcome.error ?? '', /Nothing was saved/);
    const requestsAfterProbe = home.requests.length;
    assert.deepEqual(await reloadRoots(), []);
    assert.equal(api.sessionsTree.viewState, 'signedOut');
    await eventually(async () => (await api.sessionsTree.getChildren()).length === 0, 'the view to stay empty');
    assert.equal(home.requests.length, requestsAfterProbe, 'no request after the failed save used the token');
    hooks.failSecretWrites(false);
    assert.equal((await signIn(SANDBOX_TOKENS.enterpriseAdmin)).ok, true);
    assert.ok((await reloadRoots()).length > 0);
  });

  test('a server that echoes the token back in an error never shows it', async () => {
    assert.equal((await signIn(SANDBOX_TOKENS.enterpriseAdmin)).ok, true);
    const token = SANDBOX_TOKENS.enterpriseAdmin;
    const echo = `bad key ${token} / Bearer%20${encodeURIComponent(token)} / ${Buffer.from(`Bearer ${token}`).toString('base64')} / Bearer_${token}`;
    home.faults.inject({ kind: 'status', status: 403, body: { detail: echo }, times: 5 });
    assert.deepEqual(await reloadRoots(), []);
    const message = api.sessionsTree.viewStateMessage ?? '';
    assert.match(message, /bad key …/);
    for (const form of [token, token.slice(4, 20), Buffer.from(`Bearer ${token}`).toString('base64').slice(8, 30)])
      assert.ok(!message.includes(form), `"${form}" in: ${message}`);
  });

  test('consumption of the wrong shape is an error on the page, not "No ACUs were consumed"', async () => {
    assert.equal((await signIn(SANDBOX_TOKENS.enterpriseAdmin)).ok, true);
    home.faults.inject({ kind: 'wrong-shape', match: { pathIncludes: 'consumption' }, times: Infinity });
    await vscode.commands.executeCommand('devin.showConsumption');
    const range = { kind: 'preset', days: 14 } as const;
    await vscode.commands.executeCommand<ConsumptionDebugState>('devin.consumption.debugState', {
      simulate: { type: 'retry', range },
    });
    const posted = await eventually(
      async () => {
        const state = await vscode.commands.executeCommand<ConsumptionDebugState>('devin.consumption.debugState');
        return state.lastPosted?.type === 'error' || state.lastPosted?.type === 'data' ? state.lastPosted : undefined;
      },
      'the consumption page to settle',
      15_000,
    );
    assert.equal(posted.type, 'error');
    assert.match(posted.type === 'error' ? posted.message : '', /answered in an unexpected shape/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('session and pull-request links that are not https are not opened', async () => {
    for (const url of ['file:///etc/passwd', 'command:workbench.action.terminal.new', 'http://app.devin.ai/x'])
      assert.equal(await vscode.commands.executeCommand('devin.openSessionInBrowser', { url }), false, url);
  });
});
