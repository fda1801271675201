// The billing-cycle bar of the consumption page, in headless Chromium under the page's real CSP.
// Needs the built bundle (node esbuild.js). Run: node --test out/test/e2e/consumptionBudget.e2e.js
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { HostToPage, PageToHost } from '../../src/shared/consumptionProtocol';
import { launchChromium, openPage, pageProbe, servePage, type PageServer } from '../bench/consumptionPage';

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

/** Sends a budget message and waits for the page to say what it drew. */
async function showBudget(page: Page, message: HostToPage): Promise<Extract<PageToHost, { type: 'budgetShown' }>> {
  return page.evaluate(async (hostMessage) => {
    const target = window as unknown as { __posted: PageToHost[] };
    const count = () => target.__posted.filter((posted) => posted.type === 'budgetShown').length;
    const before = count();
    window.postMessage(hostMessage, '*');
    while (count() === before) await new Promise((resolve) => setTimeout(resolve, 5));
    return target.__posted.filter((posted) => posted.type === 'budgetShown').at(-1) as Extract<
      PageToHost,
      { type: 'budgetShown' }
    >;
  }, message);
}

describe('consumption page billing cycle bar', { concurrency: 1 }, () => {
  it('is hidden until the host sends a cycle, then shows the share used as a meter with its text', async () => {
    const page = await openPage(browser, server.url);
    assert.equal(await page.locator('#budget').isVisible(), false);
    const shown = await showBudget(page, {
      type: 'budget',
      budget: {
        percent: 42.5,
        level: 'ok',
        text: '850 of 2,000 ACUs (42%) used this cycle; it ends 2026-12-01, in 6 days',
      },
    });
    assert.equal(shown.value, 42.5);
    assert.equal(await page.locator('#budget').isVisible(), true);
    assert.equal(await page.locator('#budget-meter').getAttribute('max'), '100');
    assert.equal(await page.locator('#budget-meter').evaluate((meter) => (meter as HTMLMeterElement).value), 42.5);
    assert.match(await page.locator('#budget-text').innerText(), /^Billing cycle: 850 of 2,000 ACUs \(42%\)/);
    await page.close();
  });

  it('stops the meter at 100 when over the limit, hides it without a limit, and hides the bar for null', async () => {
    const page = await openPage(browser, server.url);
    const over = await showBudget(page, { type: 'budget', budget: { percent: 130, level: 'over', text: 'over' } });
    assert.equal(over.value, 100);
    const unlimited = await showBudget(page, {
      type: 'budget',
      budget: { percent: undefined, level: 'unlimited', text: '12 ACUs used this cycle (no limit)' },
    });
    assert.equal(unlimited.value, null);
    assert.equal(await page.locator('#budget-meter').isVisible(), false);
    assert.equal(await page.locator('#budget').isVisible(), true);
    await showBudget(page, { type: 'budget', budget: null });
    assert.equal(await page.locator('#budget').isVisible(), false);
    await page.close();
  });

  it('shows markup in the text as text and breaks no CSP rule', async () => {
    const page = await openPage(browser, server.url);
    const payload = `<img src=x onerror="alert(1)">`;
    await showBudget(page, { type: 'budget', budget: { percent: 10, level: 'ok', text: payload } });
    assert.equal(await page.locator('#budget-text').innerText(), `Billing cycle: ${payload}`);
    assert.equal(await page.locator('#budget img').count(), 0);
    await page.waitForTimeout(200);
    const probe = await pageProbe(page);
    assert.deepEqual(probe.__dialogs, []);
    assert.deepEqual(probe.__violations, []);
    await page.close();
  });
});
