import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConsumptionDebugRequest, ConsumptionDebugState } from '../../src/webview/consumptionPanel';
import type { RangeSelection } from '../../src/shared/consumptionProtocol';
import { apiClient } from '../sandbox/client';
import { SANDBOX_TOKENS, type Sandbox } from '../sandbox/server';
import { activateExtension, eventually, signIn, signOut, startSandboxForExtension } from './support';

/**
 * The consumption panel inside a real VS Code against the sandbox. The panel is observed through its
 * hidden debug command: the last message the host posted and the last `rendered` report of the page,
 * which the page computes from what it actually put in the table and on the canvas.
 */

const DAY = 86_400;
const OFFSET = 8 * 3_600;
const LOAD_TIMEOUT_MS = 15_000;

function debug(request?: ConsumptionDebugRequest): Thenable<ConsumptionDebugState> {
  return vscode.commands.executeCommand<ConsumptionDebugState>('devin.consumption.debugState', request);
}

/** Independent of the extension's own date code: the last `days` billing days, today's included. */
function window(days: number): { timeAfter: number; timeBefore: number } {
  const today = Math.floor((Math.floor(Date.now() / 1000) - OFFSET) / DAY) * DAY + OFFSET;
  return { timeAfter: today - (days - 1) * DAY, timeBefore: today + DAY };
}

/** What the sandbox itself says each organization consumed in the window, straight over HTTP. */
async function expectedTotals(sandbox: Sandbox, days: number): Promise<Map<string, number>> {
  const api = apiClient(sandbox.baseUrl, SANDBOX_TOKENS.enterpriseAdmin);
  const { timeAfter, timeBefore } = window(days);
  const organizations = (await api.get('/v3/enterprise/organizations?first=200')).json.items as { org_id: string }[];
  const totals = new Map<string, number>();
  for (const { org_id: id } of organizations) {
    const wire = await api.get(
      `/v3/enterprise/consumption/daily/organizations/${id}?time_after=${timeAfter}&time_before=${timeBefore}`,
    );
    const sum = (wire.json.consumption_by_date as { acus: number }[]).reduce((total, day) => total + day.acus, 0);
    totals.set(id, Math.round(sum * 100) / 100);
  }
  return totals;
}

async function nextRender(after: number, range?: RangeSelection): Promise<ConsumptionDebugState> {
  return eventually(
    async () => {
      const state = await debug();
      const shown = state.lastPosted?.type === 'data' ? state.lastPosted.range : undefined;
      return state.renderCount > after && (!range || JSON.stringify(shown) === JSON.stringify(range))
        ? state
        : undefined;
    },
    'the consumption page to render',
    LOAD_TIMEOUT_MS,
  );
}

function consumptionRequests(sandbox: Sandbox) {
  // The chart's requests only: the billing-cycle bar beside it reads the cycles, the limits and the
  // enterprise-wide daily total.
  return sandbox.requests.filter(
    (request) =>
      request.path.includes('/consumption/') &&
      !/\/(consumption\/cycles|consumption\/acu-limits\/devin|enterprise\/consumption\/daily)$/.test(request.path),
  );
}

suite('consumption panel', () => {
  let sandbox: Sandbox;

  suiteSetup(async () => {
    sandbox = await startSandboxForExtension({ apiVersion: 'v3' });
    const api = await activateExtension();
    const outcome = await signIn(SANDBOX_TOKENS.enterpriseAdmin);
    assert.equal(outcome.ok, true, outcome.error);
    // The permission probes (one reads billing cycles) run once per token; done here, they stay out of the counts.
    await api.tokenPermissions();
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await signOut();
    await sandbox.close();
  });

  test('opens one panel; the page draws the chart and its table totals match the sandbox', async () => {
    sandbox.requests.length = 0;
    await vscode.commands.executeCommand('devin.showConsumption');
    const state = await nextRender(0);
    assert.equal(state.open, true);
    assert.equal(state.lastPosted?.type, 'data');
    // Taken before the expectations are fetched, which go through the same sandbox.
    const requests = consumptionRequests(sandbox);
    const report = state.lastRendered;
    assert.ok(report, 'the page reported what it drew');
    assert.equal(report.canvasNonBlank, true, 'the canvas has pixels');

    const expected = await expectedTotals(sandbox, 30);
    assert.equal(report.rows, expected.size, 'one table row per organization');
    for (const organization of report.organizations)
      assert.equal(organization.total, expected.get(organization.id), organization.name);
    const sum = [...expected.values()].reduce((total, value) => total + value, 0);
    assert.ok(Math.abs(report.total - sum) < 0.005, `table total ${report.total} vs sandbox ${sum}`);
    assert.ok(report.total > 0);

    // v3 uses the per-organization endpoint with day-aligned unix seconds.
    const { timeAfter, timeBefore } = window(30);
    assert.equal(requests.length, expected.size);
    for (const request of requests) {
      assert.match(request.path, /^\/v3\/enterprise\/consumption\/daily\/organizations\/org-/);
      assert.deepEqual([request.query.time_after, request.query.time_before], [String(timeAfter), String(timeBefore)]);
    }

    await vscode.commands.executeCommand('devin.showConsumption');
    const tabs = vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('devin.consumption'));
    assert.equal(tabs.length, 1, 'a second call reveals the same panel');
  });

  test('a new range refetches with its own window; an earlier range comes from the cache', async () => {
    const before = (await debug()).renderCount;
    sandbox.requests.length = 0;
    const week: RangeSelection = { kind: 'preset', days: 7 };
    await debug({ simulate: { type: 'setRange', range: week } });
    const state = await nextRender(before, week);
    const requests = consumptionRequests(sandbox);
    const { timeAfter } = window(7);
    assert.ok(requests.length > 0, 'the 7-day range was fetched');
    assert.ok(requests.every((request) => request.query.time_after === String(timeAfter)));
    const expected = await expectedTotals(sandbox, 7);
    for (const organization of state.lastRendered?.organizations ?? [])
      assert.equal(organization.total, expected.get(organization.id), organization.name);

    sandbox.requests.length = 0;
    const month: RangeSelection = { kind: 'preset', days: 30 };
    await debug({ simulate: { type: 'setRange', range: month } });
    await nextRender(state.renderCount, month);
    assert.equal(consumptionRequests(sandbox).length, 0, "the 30-day range was cached for the panel's life");
  });

  test('a failing API shows the error state with its message; Retry recovers', async () => {
    sandbox.faults.inject({ kind: 'status', status: 500, times: Infinity, match: { pathIncludes: 'consumption' } });
    const range: RangeSelection = { kind: 'preset', days: 90 };
    await debug({ simulate: { type: 'retry', range } });
    const failed = await eventually(
      async () => {
        const state = await debug();
        return state.lastPosted?.type === 'error' ? state.lastPosted : undefined;
      },
      'the error state',
      LOAD_TIMEOUT_MS,
    );
    assert.equal(failed.kind, 'server');
    assert.match(failed.message, /internal error \(HTTP 500\)/);
    assert.equal(failed.canRetry, true);

    sandbox.faults.clear();
    const before = (await debug()).renderCount;
    await debug({ simulate: { type: 'retry', range } });
    const state = await nextRender(before, range);
    assert.ok((state.lastRendered?.total ?? 0) > 0);
  });
});
