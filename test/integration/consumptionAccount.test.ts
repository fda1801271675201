import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConsumptionDebugState } from '../../src/webview/consumptionPanel';
import { SANDBOX_ORG_SERVICE_USER_ORG_ID, SANDBOX_TOKENS, type Sandbox } from '../sandbox/server';
import { eventually, signIn, signOut, signedInSuite } from './support';

/** The consumption panel never shows the previous account's numbers after a sign-out or a sign-in with another token. */

const LOAD_TIMEOUT_MS = 15_000;

function debug(): Thenable<ConsumptionDebugState> {
  return vscode.commands.executeCommand<ConsumptionDebugState>('devin.consumption.debugState');
}

function consumptionRequests(sandbox: Sandbox) {
  return sandbox.requests.filter((request) => request.path.includes('/consumption/'));
}

suite('consumption panel across accounts', () => {
  const suite = signedInSuite({ apiVersion: 'v3' });

  test('sign-out clears what was shown; a sign-in with an organization token refetches for its one organization', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('devin.showConsumption');
    const enterprise = await eventually(
      async () => {
        const state = await debug();
        return state.lastPosted?.type === 'data' ? state.lastPosted.view : undefined;
      },
      'the enterprise data',
      LOAD_TIMEOUT_MS,
    );
    assert.equal(enterprise.scope, 'enterprise');
    assert.ok(enterprise.organizations.length > 1);

    await signOut();
    const signedOut = await eventually(
      async () => {
        const state = await debug();
        return state.lastPosted?.type === 'error' ? state.lastPosted : undefined;
      },
      'the panel to drop the old data',
      LOAD_TIMEOUT_MS,
    );
    assert.equal(signedOut.kind, 'signedOut');

    suite.sandbox.requests.length = 0;
    const outcome = await signIn(SANDBOX_TOKENS.orgServiceUser);
    assert.equal(outcome.ok, true, outcome.error);
    const organization = await eventually(
      async () => {
        const state = await debug();
        return state.lastPosted?.type === 'data' ? state.lastPosted.view : undefined;
      },
      'the new account data',
      LOAD_TIMEOUT_MS,
    );
    assert.equal(organization.scope, 'organization');
    assert.deepEqual(
      organization.organizations.map((series) => series.id),
      [SANDBOX_ORG_SERVICE_USER_ORG_ID],
    );
    const requests = consumptionRequests(suite.sandbox);
    assert.ok(requests.length > 0, 'fetched again, not served from the cache');
    assert.ok(requests.every((request) => request.authorized === 'org-service-user'));
  });
});
