import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DevinClient } from '../../src/api/client';
import { fetchCycleBudget } from '../../src/api/cycleBudget';
import type { DevinExtensionApi } from '../../src/extension';
import type { ConsumptionDebugState } from '../../src/webview/consumptionPanel';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, type Sandbox } from '../sandbox/server';
import { activateExtension, eventually, signIn, signOut, startSandboxForExtension } from './support';

/** The opt-in status bar item with the share of the enterprise's ACU limit used this billing cycle. */

suite('billing cycle status bar item', () => {
  let sandbox: Sandbox;
  let api: DevinExtensionApi;
  const settings = () => vscode.workspace.getConfiguration('devin');

  suiteSetup(async () => {
    sandbox = await startSandboxForExtension({ apiVersion: 'v3' });
    api = await activateExtension();
    await signIn(SANDBOX_TOKENS.enterpriseAdmin);
  });

  suiteTeardown(async () => {
    await settings().update('showCycleUsage', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('orgId', undefined, vscode.ConfigurationTarget.Global);
    await signOut();
    await sandbox.close();
  });

  test('is off unless asked for', async () => {
    assert.equal(settings().inspect<boolean>('showCycleUsage')?.defaultValue, false);
    const state = await api.cycleUsageStatus();
    assert.equal(state.visible, false);
  });

  /** The cycle as the extension should see it, read straight from the sandbox with the same token. */
  const sandboxCycleBudget = () =>
    fetchCycleBudget(
      new DevinClient({
        baseUrl: sandbox.baseUrl,
        apiVersion: 'v3',
        getToken: async () => SANDBOX_TOKENS.enterpriseAdmin,
      }),
    );

  test("shows the cycle's percentage, computed from the sandbox's cycle, limit and daily use", async () => {
    await settings().update('showCycleUsage', true, vscode.ConfigurationTarget.Global);
    const state = await api.cycleUsageStatus();
    assert.equal(state.visible, true);
    const expected = await sandboxCycleBudget();
    assert.ok(expected?.limitAcus);
    const percent = Math.floor((expected.usedAcus / expected.limitAcus) * 100);
    assert.equal(state.text, `$(pulse) ${percent}%`);
    assert.match(state.tooltip, new RegExp(`\\(${percent}%\\) used this cycle; it ends \\d{4}-\\d{2}-\\d{2}`));
    assert.doesNotMatch(state.tooltip, /cog_/);
  });

  test("the consumption panel draws the cycle's use against the limit as a bar", async () => {
    await vscode.commands.executeCommand('devin.showConsumption');
    const shown = await eventually(
      async () => {
        const state = (await vscode.commands.executeCommand('devin.consumption.debugState')) as ConsumptionDebugState;
        return state.budgetShown;
      },
      'the page to draw the billing cycle',
      10_000,
    );
    const expected = await sandboxCycleBudget();
    assert.ok(expected?.limitAcus);
    const percent = (expected.usedAcus / expected.limitAcus) * 100;
    assert.ok(
      shown.value !== null && Math.abs(shown.value - Math.min(100, percent)) < 0.01,
      `${shown.value} vs ${percent}`,
    );
    assert.match(shown.text, new RegExp(`^Billing cycle: .* \\(${Math.floor(percent)}%\\) used this cycle; it ends `));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('stays hidden for a token that cannot read billing', async () => {
    await settings().update('orgId', SANDBOX_ORG_IDS.acme, vscode.ConfigurationTarget.Global);
    await signIn(SANDBOX_TOKENS.member);
    const state = await api.cycleUsageStatus();
    assert.equal(state.visible, false);
  });
});
