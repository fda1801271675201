import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RangeSelection, RenderedSessionsReport } from '../../src/shared/consumptionProtocol';
import type { ConsumptionDebugRequest, ConsumptionDebugState } from '../../src/webview/consumptionPanel';
import type { SessionDebugState } from '../../src/webview/sessionPanel';
import { apiClient } from '../sandbox/client';
import { SANDBOX_TOKENS, type Sandbox } from '../sandbox/server';
import { eventually, signedInSuite } from './support';

/**
 * The consumption panel's per-session table inside a real VS Code against the sandbox. The page reports
 * what it put in the table (row ids in DOM order, the totals row, the caption); the expectations come from
 * the sandbox over HTTP. Clicks go through the page itself: the debug command asks the page to click.
 */

const DAY = 86_400;
const OFFSET = 8 * 3_600;
const LOAD_TIMEOUT_MS = 15_000;
const MONTH: RangeSelection = { kind: 'preset', days: 30 };
const WEEK: RangeSelection = { kind: 'preset', days: 7 };

interface WireSession {
  session_id: string;
  org_id: string;
  acus_consumed: number;
}

function debug(request?: ConsumptionDebugRequest): Thenable<ConsumptionDebugState> {
  return vscode.commands.executeCommand<ConsumptionDebugState>('devin.consumption.debugState', request);
}

function devinId(id: string): string {
  return id.startsWith('devin-') ? id : `devin-${id}`;
}

/** Independent of the extension's own date code: the last `days` billing days, today's included. */
function window(days: number): { timeAfter: number; timeBefore: number } {
  const today = Math.floor((Math.floor(Date.now() / 1000) - OFFSET) / DAY) * DAY + OFFSET;
  return { timeAfter: today - (days - 1) * DAY, timeBefore: today + DAY };
}

/** Every session the sandbox says was created in the window, across organizations. */
async function sessionsCreatedIn(sandbox: Sandbox, days: number): Promise<Map<string, WireSession>> {
  const api = apiClient(sandbox.baseUrl, SANDBOX_TOKENS.enterpriseAdmin);
  const { timeAfter, timeBefore } = window(days);
  const found = new Map<string, WireSession>();
  let cursor: string | null = null;
  do {
    const page: { json: { items: WireSession[]; end_cursor: string | null } } = await api.get(
      `/v3/enterprise/sessions?created_after=${timeAfter}&created_before=${timeBefore}&first=200${
        cursor ? `&after=${encodeURIComponent(cursor)}` : ''
      }`,
    );
    for (const item of page.json.items) found.set(devinId(item.session_id), item);
    cursor = page.json.end_cursor;
  } while (cursor);
  return found;
}

/** The page's next report of the table in `state` for `range`, newer than `after`. */
async function tableReport(
  after: number,
  range: RangeSelection,
  state: RenderedSessionsReport['state'],
): Promise<{ report: RenderedSessionsReport; count: number }> {
  return eventually(
    async () => {
      const sessions = (await debug()).sessions;
      const report = sessions?.lastRendered;
      return sessions &&
        report &&
        sessions.renderCount > after &&
        report.state === state &&
        JSON.stringify(report.range) === JSON.stringify(range)
        ? { report, count: sessions.renderCount }
        : undefined;
    },
    `the session table to show ${state} for ${JSON.stringify(range)}`,
    LOAD_TIMEOUT_MS,
  );
}

/** Brings the panel to the front; a page that was hidden is rebuilt, and this waits until it has drawn again. */
async function revealPanel(): Promise<void> {
  const before = await debug();
  await vscode.commands.executeCommand('devin.showConsumption');
  if (before.visible) return;
  await eventually(
    async () => {
      const now = await debug();
      return (
        now.visible &&
        now.lastPosted?.type === 'data' &&
        (now.sessions?.renderCount ?? 0) > (before.sessions?.renderCount ?? 0) &&
        now.sessions?.lastRendered?.state === 'data'
      );
    },
    'the panel to draw again',
    LOAD_TIMEOUT_MS,
  );
}

function roundAcus(value: number): number {
  return Math.round(value * 100) / 100;
}

suite('consumption session table', () => {
  const suite = signedInSuite({ apiVersion: 'v3' });

  test('the page shows the sessions created in the range, largest ACUs first, with their total', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    suite.sandbox.requests.length = 0;
    await vscode.commands.executeCommand('devin.showConsumption');
    const { report } = await tableReport(0, MONTH, 'data');
    const requests = suite.sandbox.requests.filter((request) => /\/sessions$/.test(request.path));
    const expected = await sessionsCreatedIn(suite.sandbox, 30);
    assert.ok(expected.size > 25, `enough sessions in the range to cut the table (${expected.size})`);

    assert.equal(report.count, expected.size, 'every session of the range reached the page');
    const sum = roundAcus([...expected.values()].reduce((total, item) => total + item.acus_consumed, 0));
    assert.ok(Math.abs(report.total - sum) < 0.005, `totals row ${report.total} vs suite.sandbox ${sum}`);
    assert.deepEqual(report.sort, { key: 'acus', direction: 'descending' });
    assert.equal(report.shownIds.length, 25, 'the top rows only, until "Show all"');
    const acusOf = (id: string) => expected.get(id)?.acus_consumed ?? Number.NaN;
    const shown = report.shownIds.map(acusOf);
    assert.ok(
      shown.every((value, index) => index === 0 || value <= (shown[index - 1] as number)),
      'largest first',
    );
    const smallestShown = Math.min(...shown);
    for (const [id, item] of expected)
      if (!report.shownIds.includes(id))
        assert.ok(item.acus_consumed <= smallestShown, `${id} (${item.acus_consumed}) belongs among the top rows`);
    const { timeAfter, timeBefore } = window(30);
    const today = new Date((timeBefore - DAY - OFFSET) * 1000).toISOString().slice(0, 10);
    assert.match(report.caption, new RegExp(`created \\d{4}-\\d{2}-\\d{2} to ${today}`));
    assert.match(report.caption, /sessions list/, "the host's words say where the figures come from");

    // One list across organizations, on the chart's day boundaries.
    assert.ok(requests.length > 0);
    for (const request of requests) {
      assert.equal(request.path, '/v3/enterprise/sessions');
      assert.deepEqual(
        [request.query.created_after, request.query.created_before],
        [String(timeAfter), String(timeBefore)],
      );
    }

    const before = (await debug()).sessions?.renderCount ?? 0;
    await debug({ click: { kind: 'sessionsShowAll' } });
    const all = await eventually(
      async () => {
        const sessions = (await debug()).sessions;
        return sessions && sessions.renderCount > before ? sessions.lastRendered : undefined;
      },
      'the whole table',
      LOAD_TIMEOUT_MS,
    );
    assert.deepEqual([...(all?.shownIds ?? [])].sort(), [...expected.keys()].sort());
  });

  test('clicking a session link opens that session in its panel; a session the table did not list is refused', async () => {
    const state = await debug();
    const report = state.sessions?.lastRendered;
    const sessionId = report?.shownIds[0];
    assert.ok(sessionId, 'the table has a row to click');
    const expected = await sessionsCreatedIn(suite.sandbox, 30);
    const orgId = expected.get(sessionId)?.org_id;
    assert.ok(orgId);

    await debug({ click: { kind: 'session', sessionId } });
    const panel = await eventually(
      async () => {
        const session = await vscode.commands.executeCommand<SessionDebugState>('devin.session.debugState', {
          sessionId,
        });
        return session.open && session.sessionId === sessionId ? session : undefined;
      },
      'the session panel of the clicked row',
      LOAD_TIMEOUT_MS,
    );
    assert.equal(panel.sessionId, sessionId);
    assert.deepEqual((await debug()).sessions?.opened, [`${orgId}/${sessionId}`]);

    // The page is less trusted than the host: a well-formed request for a session it was not shown opens nothing.
    const unlisted = [...(await sessionsCreatedIn(suite.sandbox, 90)).values()].find(
      (item) => !expected.has(devinId(item.session_id)),
    );
    assert.ok(unlisted, 'an older session exists');
    await debug({ simulate: { type: 'openSession', orgId: unlisted.org_id, sessionId: devinId(unlisted.session_id) } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const refused = await vscode.commands.executeCommand<SessionDebugState>('devin.session.debugState', {
      sessionId: devinId(unlisted.session_id),
    });
    assert.equal(refused.sessionId, undefined, 'no panel for it');
    assert.deepEqual((await debug()).sessions?.opened, [`${orgId}/${sessionId}`]);
  });

  test('another range lists its own sessions', async () => {
    await revealPanel();
    const before = (await debug()).sessions?.renderCount ?? 0;
    await debug({ simulate: { type: 'setRange', range: WEEK } });
    const { report } = await tableReport(before, WEEK, 'data');
    const expected = await sessionsCreatedIn(suite.sandbox, 7);
    assert.equal(report.count, expected.size);
    assert.ok(report.shownIds.every((id) => expected.has(id)));
  });

  test('a failing session list shows its error inside the table with Retry, and the chart keeps its data', async () => {
    await revealPanel();
    const chartBefore = await debug();
    assert.equal(chartBefore.lastPosted?.type, 'data');
    const before = chartBefore.sessions?.renderCount ?? 0;
    suite.sandbox.faults.inject({
      kind: 'status',
      status: 500,
      times: Infinity,
      match: { pathIncludes: '/enterprise/sessions' },
    });
    await debug({ simulate: { type: 'retrySessions', range: WEEK } });
    const { report: failed, count } = await tableReport(before, WEEK, 'error');
    assert.match(failed.error ?? '', /internal error \(HTTP 500\)/);
    assert.deepEqual(failed.shownIds, [], 'no stale rows beside the error');
    const chart = await debug();
    assert.deepEqual(chart.lastPosted, chartBefore.lastPosted, 'the chart still shows its data');
    assert.equal(chart.lastRendered?.canvasNonBlank, true);

    suite.sandbox.faults.clear();
    await debug({ click: { kind: 'sessionsRetry' } });
    const { report: recovered } = await tableReport(count, WEEK, 'data');
    assert.equal(recovered.count, (await sessionsCreatedIn(suite.sandbox, 7)).size);
  });
});
