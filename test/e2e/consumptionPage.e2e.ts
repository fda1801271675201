// The consumption page on its own in headless Chromium, under its real CSP, fed host messages through a
// stub `acquireVsCodeApi`: quicker than the workbench run and able to look at every state. Needs the
// built bundle (node esbuild.js). Run: node --test out/test/e2e/consumptionPage.e2e.js
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { resolveRange, shapeConsumption } from '../../src/core/consumption';
import type { PageToHost } from '../../src/shared/consumptionProtocol';
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
let browser: Browser;

before(async () => {
  server = await servePage();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
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
    assert.equal(await page.locator('progress').isVisible(), true);
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
