// The consumption page on its own in headless Chromium, under its real CSP, fed host messages through a
// stub `acquireVsCodeApi`: quicker than the workbench run and able to look at every state. Needs the
// built bundle (node esbuild.js). Run: node --test out/test/e2e/consumptionPage.e2e.js
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { resolveRange, shapeConsumption } from '../../src/core/consumptionSeries';
import type {
  HostToPage,
  PageToHost,
  RenderedSessionsReport,
  SessionUsageRow,
  SessionUsageView,
} from '../../src/shared/consumptionProtocol';
import { resultsDir } from '../host/host';
import {
  launchChromium,
  openPage,
  pageProbe,
  postAndWaitRendered,
  servePage,
  type PageServer,
} from '../bench/consumptionPage';

const XSS_NAME = `<img src=x onerror="alert(1)"><script>alert('xss')</script> Labs`;
const range = resolveRange({ kind: 'custom', start: '2025-01-01', end: '2025-01-07' }, 0);
const view = shapeConsumption(range, 'enterprise', [
  {
    id: 'org-acme',
    name: 'Acme Robotics',
    entries: range.days.map((day) => ({ day, acus: 10, byProduct: { devin: 8, cascade: 1, terminal: 1, review: 0 } })),
  },
  {
    id: 'org-xss',
    name: XSS_NAME,
    entries: [{ day: '2025-01-03', acus: 2.5, byProduct: { devin: 2.5, cascade: 0, terminal: 0 } }],
  },
  { id: 'org-empty', name: 'Initech', entries: [] },
]);
const selection = { kind: 'custom', start: range.start, end: range.end } as const;

let server: PageServer;
/** The same page with a German bundle in its head, as the panel sends `vscode.l10n.bundle`. */
let translatedServer: PageServer;
let browser: Browser;

before(async () => {
  server = await servePage();
  translatedServer = await servePage({
    language: 'de',
    bundle: {
      'ACUs per session': 'ACUs pro Sitzung',
      Retry: 'Erneut versuchen',
      'Loading sessions…': 'Sitzungen werden geladen…',
    },
  });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await translatedServer?.close();
});

async function fresh(state?: unknown): Promise<Page> {
  return openPage(browser, server.url, state);
}

async function posted(page: Page): Promise<PageToHost[]> {
  return (await pageProbe(page)).__posted;
}

describe('consumption page', { concurrency: 1 }, () => {
  it('says ready with the default range, then draws the data it is sent', async () => {
    const page = await fresh();
    assert.deepEqual((await posted(page))[0], { type: 'ready', range: { kind: 'preset', days: 30 } });
    const { report } = await postAndWaitRendered(page, { type: 'data', range: selection, view });
    assert.equal(report.total, 72.5);
    assert.equal(report.rows, 3);
    assert.equal(report.canvasNonBlank, true);
    assert.equal(await page.locator('#total').innerText(), '72.50');
    assert.equal(await page.locator('#table-foot td').first().innerText(), '72.50');
    await page.close();
  });

  it('charts a week per bar beyond 120 days and a day per bar up to it, and says which', async () => {
    const long = resolveRange({ kind: 'custom', start: '2025-01-01', end: '2025-06-30' }, 0);
    const longView = shapeConsumption(long, 'enterprise', [
      { id: 'org-acme', name: 'Acme Robotics', entries: long.days.map((day) => ({ day, acus: 1 })) },
    ]);
    const page = await fresh();
    const { report } = await postAndWaitRendered(page, {
      type: 'data',
      range: { kind: 'custom', start: long.start, end: long.end },
      view: longView,
    });
    assert.equal(report.total, long.days.length, 'the totals still count every day');
    assert.match((await page.locator('#chart').getAttribute('aria-label')) ?? '', /ACUs per week/);
    await postAndWaitRendered(page, { type: 'data', range: selection, view });
    assert.match((await page.locator('#chart').getAttribute('aria-label')) ?? '', /ACUs per day/);
    await page.close();
  });

  it('shows an organization name full of markup as text, runs none of it and breaks no CSP rule', async () => {
    const page = await fresh();
    await postAndWaitRendered(page, { type: 'data', range: selection, view });
    const header = page.locator('#table-body th[scope="row"]', { hasText: 'Labs' });
    assert.equal(await header.innerText(), XSS_NAME);
    assert.equal(await page.locator('#table img, #table script').count(), 0);
    await page.waitForTimeout(200); // an injected onerror would fire after the image failed to load
    const probe = await pageProbe(page);
    assert.deepEqual(probe.__dialogs, []);
    assert.deepEqual(probe.__violations, []);
    await page.close();
  });

  it('sorts by the column buttons from the keyboard and keeps focus on them', async () => {
    const page = await fresh();
    await postAndWaitRendered(page, { type: 'data', range: selection, view });
    const names = () => page.locator('#table-body th[scope="row"]').allInnerTexts();
    assert.deepEqual(await names(), ['Acme Robotics', XSS_NAME, 'Initech']);
    await page.locator('button.sort[data-sort-key="name"]').focus();
    await page.keyboard.press('Enter');
    assert.deepEqual(await names(), [XSS_NAME, 'Acme Robotics', 'Initech']);
    assert.equal(await page.locator('th[aria-sort="ascending"]').innerText(), 'Organization ▲');
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.sortKey), 'name');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('th[aria-sort="descending"]').count(), 1);
    await page.close();
  });

  it('splits by product into one column per product and remembers it across a reload', async () => {
    const page = await fresh();
    await postAndWaitRendered(page, { type: 'data', range: selection, view });
    await page.locator('#split-by-product').check();
    const headers = await page.locator('#table-head th').allInnerTexts();
    assert.deepEqual(
      headers.map((text) => text.trim()),
      ['Organization', 'devin', 'cascade', 'terminal', 'review', 'Total ACUs ▼', 'Share'],
    );
    const rendered = (await posted(page)).filter((message) => message.type === 'rendered').at(-1);
    assert.equal(rendered?.type === 'rendered' && rendered.report.splitByProduct, true);
    const saved = await page.evaluate(() =>
      (window as unknown as { acquireVsCodeApi(): { getState(): unknown } }).acquireVsCodeApi().getState(),
    );
    const again = await fresh(saved);
    assert.deepEqual((await posted(again))[0], { type: 'ready', range: selection });
    await postAndWaitRendered(again, { type: 'data', range: selection, view });
    assert.equal(await again.locator('#split-by-product').isChecked(), true);
    await again.close();
    await page.close();
  });

  it('asks for another range with the range buttons and shows progress while loading', async () => {
    const page = await fresh();
    await page.getByRole('button', { name: '7 days' }).click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'setRange', range: { kind: 'preset', days: 7 } });
    assert.equal(await page.getByRole('button', { name: '7 days' }).getAttribute('aria-pressed'), 'true');
    await page.evaluate(() =>
      window.postMessage({ type: 'loading', range: { kind: 'preset', days: 7 }, completed: 1, total: 4 }, '*'),
    );
    await page.locator('#status', { hasText: '1 of 4' }).waitFor();
    assert.equal(await page.locator('#progress').isVisible(), true);
    await page.close();
  });

  it('shows the error with the API message and a Retry that asks again', async () => {
    const page = await fresh();
    const message = 'Devin refused the request: This needs the ManageBilling (or ViewAccountConsumption) permission.';
    await page.evaluate(
      (text) =>
        window.postMessage(
          { type: 'error', range: { kind: 'preset', days: 30 }, message: text, kind: 'forbidden', canRetry: true },
          '*',
        ),
      message,
    );
    await page.locator('#error').waitFor();
    assert.equal(await page.locator('#error-message').innerText(), message);
    await page.getByRole('button', { name: 'Retry' }).click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'retry', range: { kind: 'preset', days: 30 } });
    await page.close();
  });

  it('shows the empty state when nothing was consumed', async () => {
    const page = await fresh();
    const empty = shapeConsumption(range, 'organization', [{ id: 'org-empty', name: 'Initech', entries: [] }]);
    const { report } = await postAndWaitRendered(page, { type: 'data', range: selection, view: empty });
    assert.equal(report.total, 0);
    assert.equal(await page.locator('#empty').isVisible(), true);
    assert.equal(await page.locator('#summary').isVisible(), false);
    await page.close();
  });

  it('repaints with the new theme colours when the body class changes', async () => {
    const page = await fresh();
    await postAndWaitRendered(page, { type: 'data', range: selection, view });
    const sample = () =>
      page.evaluate(() => {
        const canvas = document.getElementById('chart') as HTMLCanvasElement;
        const data =
          canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
        let red = 0;
        for (let offset = 0; offset < data.length; offset += 4)
          if ((data[offset] as number) > 200 && (data[offset + 1] as number) < 40 && (data[offset + 2] as number) < 40)
            red += 1;
        return red;
      });
    assert.equal(await sample(), 0);
    await page.evaluate(() => {
      document.body.style.setProperty('--vscode-charts-blue', '#ff0000');
      document.body.className = 'vscode-dark';
    });
    await page.waitForFunction(() => true);
    assert.ok((await sample()) > 100, "the largest organization is now drawn in the theme's new blue");
    await page.close();
  });
});

function usageRow(index: number, fields: Partial<SessionUsageRow> = {}): SessionUsageRow {
  return {
    sessionId: `devin-${String(index).padStart(4, '0')}`,
    orgId: index % 2 === 0 ? 'org-acme' : 'org-globex',
    title: `Session ${index}`,
    organization: index % 2 === 0 ? 'Acme Robotics' : 'Globex Platform',
    status: index % 3 === 0 ? 'Finished' : 'Working',
    // Distinct figures that are neither in index order nor in its reverse.
    acus: ((index * 37) % 101) + 0.25,
    createdAt: Date.UTC(2025, 0, 1, 8) / 1000 + index * 3_600,
    ...fields,
  };
}

function usage(rows: readonly SessionUsageRow[], fields: Partial<SessionUsageView> = {}): SessionUsageView {
  return {
    range: { start: range.start, end: range.end },
    sessions: rows,
    total: Math.round(rows.reduce((sum, item) => sum + (item.acus ?? 0), 0) * 100) / 100,
    truncated: false,
    unreadableOrganizations: [],
    ...fields,
  };
}

/** Posts host messages and waits for the table's next report of the state the last one sets. */
async function postSessions(page: Page, ...messages: HostToPage[]): Promise<RenderedSessionsReport> {
  return page.evaluate(async (hostMessages) => {
    const target = window as unknown as { __posted: PageToHost[] };
    const reports = () => target.__posted.filter((posted) => posted.type === 'sessionsRendered');
    const before = reports().length;
    for (const message of hostMessages) window.postMessage(message, '*');
    const last = hostMessages.at(-1);
    const wanted = last?.type === 'sessionUsage' ? last.state.kind : undefined;
    for (;;) {
      const latest = reports().slice(before).at(-1) as Extract<PageToHost, { type: 'sessionsRendered' }> | undefined;
      if (latest && (!wanted || latest.report.state === wanted)) return latest.report;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }, messages);
}

const labels = (page: Page) => page.locator('#sessions-body th[scope="row"] a').allInnerTexts();

describe('consumption page session table', { concurrency: 1 }, () => {
  const rows = Array.from({ length: 40 }, (_, index) => usageRow(index));
  const byAcus = [...rows].sort((a, b) => (b.acus ?? 0) - (a.acus ?? 0));

  it('shows the top sessions by ACUs with a totals row, and the rest on "Show all"', async () => {
    const page = await fresh();
    const report = await postSessions(page, {
      type: 'sessionUsage',
      range: selection,
      state: { kind: 'data', usage: usage(rows) },
    });
    assert.equal(report.count, 40);
    assert.deepEqual(
      report.shownIds,
      byAcus.slice(0, 25).map((item) => item.sessionId),
    );
    assert.deepEqual(
      await labels(page),
      byAcus.slice(0, 25).map((item) => item.title),
    );
    assert.equal(await page.locator('#sessions-table th[aria-sort="descending"]').innerText(), 'ACUs ▼');
    assert.equal(await page.locator('#sessions-foot th').innerText(), 'Total (40 sessions)');
    assert.equal(
      await page.locator('#sessions-foot td.number').innerText(),
      usage(rows).total.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    );
    assert.match(await page.locator('#sessions-caption').innerText(), /^Sessions created 2025-01-01 to 2025-01-07/);
    assert.match(await page.locator('#sessions-caption').innerText(), /as the sessions list reports it/);
    assert.equal(await page.locator('#sessions-notes').innerText(), 'Showing 25 of 40 sessions.');

    await page.getByRole('button', { name: 'Show all 40 sessions' }).click();
    assert.equal(await page.locator('#sessions-body tr').count(), 40);
    assert.equal(await page.locator('#sessions-show-all').innerText(), 'Show the top 25 only');
    assert.equal(await page.locator('#sessions-notes').isVisible(), false);
    await page.close();
  });

  it('sorts by a header click and from the keyboard, in the real DOM, with aria-sort', async () => {
    const page = await fresh();
    await postSessions(page, { type: 'sessionUsage', range: selection, state: { kind: 'data', usage: usage(rows) } });
    await page.locator('#sessions-head button[data-sort-key="acus"]').click();
    const ascending = [...rows].sort((a, b) => (a.acus ?? 0) - (b.acus ?? 0));
    assert.deepEqual(
      await labels(page),
      ascending.slice(0, 25).map((item) => item.title),
    );
    assert.equal(await page.locator('#sessions-head th[aria-sort="ascending"]').innerText(), 'ACUs ▲');

    // Space on the Session header: titles A–Z ("Session 10" after "Session 9": numbers compare as numbers).
    await page.locator('#sessions-head button[data-sort-key="session"]').focus();
    await page.keyboard.press('Space');
    assert.deepEqual(
      await labels(page),
      rows.slice(0, 25).map((item) => item.title),
    );
    assert.equal(await page.locator('#sessions-head th[aria-sort="ascending"]').innerText(), 'Session ▲');
    assert.equal(await page.locator('#sessions-head th[aria-sort="none"]').count(), 4);
    assert.equal(
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.sortKey),
      'session',
      'focus stays on the header that was used',
    );
    // Enter on it again: Z–A.
    await page.keyboard.press('Enter');
    assert.deepEqual(
      await labels(page),
      [...rows]
        .reverse()
        .slice(0, 25)
        .map((item) => item.title),
    );
    assert.equal(await page.locator('#sessions-head th[aria-sort="descending"]').innerText(), 'Session ▼');
    assert.match(await page.locator('#sessions-caption .visually-hidden').innerText(), /Sorted by Session, descending/);
    const sorted = (await posted(page)).filter((message) => message.type === 'sessionsRendered').at(-1);
    assert.deepEqual(sorted?.type === 'sessionsRendered' && sorted.report.sort, {
      key: 'session',
      direction: 'descending',
    });

    // The order survives a reload of the page, as the chart's does.
    const saved = await page.evaluate(() =>
      (window as unknown as { acquireVsCodeApi(): { getState(): unknown } }).acquireVsCodeApi().getState(),
    );
    const again = await fresh(saved);
    const report = await postSessions(again, {
      type: 'sessionUsage',
      range: selection,
      state: { kind: 'data', usage: usage(rows) },
    });
    assert.deepEqual(report.sort, { key: 'session', direction: 'descending' });
    await again.close();
    await page.close();
  });

  it('asks the host to open a session from its link, by click or Enter', async () => {
    const page = await fresh();
    await postSessions(page, { type: 'sessionUsage', range: selection, state: { kind: 'data', usage: usage(rows) } });
    const top = byAcus[0] as SessionUsageRow;
    const link = page.getByRole('link', { name: top.title ?? '' });
    assert.equal(await link.getAttribute('title'), `Open session ${top.title}`);
    await link.click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'openSession', orgId: top.orgId, sessionId: top.sessionId });
    const second = byAcus[1] as SessionUsageRow;
    await page.getByRole('link', { name: second.title ?? '' }).focus();
    await page.keyboard.press('Enter');
    assert.deepEqual((await posted(page)).at(-1), {
      type: 'openSession',
      orgId: second.orgId,
      sessionId: second.sessionId,
    });
    assert.equal(new URL(page.url()).hash, '', 'the link did not navigate the page');
    await page.close();
  });

  it('shows a title full of markup as text, an untitled session by its id, and breaks no CSP rule', async () => {
    const page = await fresh();
    const odd = [
      usageRow(1, { title: XSS_NAME, acus: 9 }),
      usageRow(2, { title: null, acus: 8 }),
      usageRow(3, { acus: null, createdAt: null }),
    ];
    const report = await postSessions(page, {
      type: 'sessionUsage',
      range: selection,
      state: { kind: 'data', usage: usage(odd) },
    });
    assert.deepEqual(await labels(page), [XSS_NAME, 'devin-0002', 'Session 3']);
    assert.equal(report.total, 17);
    assert.deepEqual(await page.locator('#sessions-body tr').last().locator('td').allInnerTexts(), [
      'Globex Platform',
      'Finished',
      'unknown',
      'unknown',
    ]);
    assert.equal(await page.locator('#sessions img, #sessions script').count(), 0);
    assert.equal(await page.locator('#sessions-show-all').isVisible(), false, 'nothing to show beyond three rows');
    await page.waitForTimeout(200);
    const probe = await pageProbe(page);
    assert.deepEqual(probe.__dialogs, []);
    assert.deepEqual(probe.__violations, []);
    await page.close();
  });

  it('shows its own error with Retry beside a chart that still stands, and the words of the translation in its head', async () => {
    const page = await openPage(browser, translatedServer.url);
    await postAndWaitRendered(page, { type: 'data', range: selection, view });
    // Numbers follow the display language in <html lang>, not the browser's own.
    assert.equal(await page.locator('#total').innerText(), '72,50');
    assert.match(await page.locator('#table-foot td').last().innerText(), /^100,0\s?%$/);
    const loading = await postSessions(page, {
      type: 'sessionUsage',
      range: selection,
      state: { kind: 'loading', read: 0 },
    });
    assert.equal(loading.state, 'loading');
    assert.equal(await page.locator('#sessions-status').innerText(), 'Sitzungen werden geladen…');
    const message = 'Devin refused the request: This needs the ViewAccountSessions permission.';
    const failed = await postSessions(page, {
      type: 'sessionUsage',
      range: selection,
      state: { kind: 'error', message, canRetry: true },
    });
    assert.equal(failed.error, message);
    assert.equal(await page.locator('#sessions-heading').innerText(), 'ACUs pro Sitzung');
    assert.equal(await page.locator('#sessions-error-message').innerText(), message);
    assert.equal(await page.locator('#sessions-table').isVisible(), false);
    assert.equal(await page.locator('#summary').isVisible(), true, 'the chart is still shown');
    assert.equal(await page.locator('#error').isVisible(), false, "the chart's own error stays hidden");
    await page.getByRole('button', { name: 'Erneut versuchen' }).click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'retrySessions', range: selection });
    await page.close();
  });

  it('says when no session was created in the range, and names organizations it could not read', async () => {
    const page = await fresh();
    const empty = await postSessions(page, {
      type: 'sessionUsage',
      range: selection,
      state: { kind: 'data', usage: usage([]) },
    });
    assert.equal(empty.count, 0);
    assert.equal(await page.locator('#sessions-empty').innerText(), 'No sessions were created in this range.');
    assert.equal(await page.locator('#sessions-table').isVisible(), false);
    await postSessions(page, {
      type: 'sessionUsage',
      range: selection,
      state: {
        kind: 'data',
        usage: usage([usageRow(1)], { truncated: true, unreadableOrganizations: ['Initech', XSS_NAME] }),
      },
    });
    const caption = await page.locator('#sessions-caption').innerText();
    assert.match(caption, /Only the first 1 sessions were read/);
    assert.ok(caption.includes(`Not included, as this token may not list their sessions: Initech, ${XSS_NAME}.`));
    assert.equal(await page.locator('#sessions-foot th').innerText(), 'Total (1 session)');
    await page.close();
  });

  it('leaves a screenshot of the chart with the session table under it', async () => {
    const page = await fresh();
    await postAndWaitRendered(page, { type: 'data', range: selection, view });
    await postSessions(page, { type: 'sessionUsage', range: selection, state: { kind: 'data', usage: usage(rows) } });
    fs.mkdirSync(resultsDir, { recursive: true });
    const file = path.join(resultsDir, 'consumption-sessions.png');
    await page.screenshot({ path: file, fullPage: true });
    assert.ok(fs.statSync(file).size > 10_000);
    await page.close();
  });
});
