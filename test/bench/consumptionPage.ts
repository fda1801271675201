// Serves the built consumption page outside VS Code, the way the webview would load it: the real HTML
// shell and CSP from src/webview/consumptionHtml.ts, the bundle from dist/webview and the stylesheet
// from media/, with a stub `acquireVsCodeApi` that records what the page posts. Shared by the benchmark
// and the page checks; needs `node esbuild.js` first.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { HostToPage, PageToHost } from '../../src/shared/consumptionProtocol';
import { consumptionHtml, createNonce } from '../../src/webview/consumptionHtml';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

export interface PageServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the page; `translations` are put in its head the way the panel puts `vscode.l10n.bundle`, so a page
 * check can see the page's own words change language.
 */
export async function servePage(
  translations: { readonly language: string; readonly bundle: Record<string, string> | undefined } = {
    language: 'en',
    bundle: undefined,
  },
): Promise<PageServer> {
  const bundle = path.join(repoRoot, 'dist', 'webview', 'consumption.js');
  if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing; run node esbuild.js first`);
  const server = http.createServer((request, response) => {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const files: Record<string, [string, string]> = {
      '/dist/webview/consumption.js': [bundle, 'text/javascript'],
      '/media/consumption.css': [path.join(repoRoot, 'media', 'consumption.css'), 'text/css'],
    };
    const file = files[request.url ?? ''];
    if (file) {
      response.writeHead(200, { 'content-type': file[1] });
      response.end(fs.readFileSync(file[0]));
      return;
    }
    const html = consumptionHtml(
      {
        cspSource: origin,
        script: `${origin}/dist/webview/consumption.js`,
        stylesheet: `${origin}/media/consumption.css`,
      },
      createNonce(),
      translations,
    );
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env.DEVIN_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--headless', '--disable-gpu'],
  });
}

interface StubWindow {
  __posted: PageToHost[];
  __violations: string[];
  __dialogs: string[];
}

/** Opens the page with the stub API; resolves once the page has said `ready`. */
export async function openPage(browser: Browser, url: string, savedState?: unknown): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.addInitScript((state) => {
    const target = window as unknown as StubWindow & { acquireVsCodeApi: () => unknown };
    target.__posted = [];
    target.__violations = [];
    target.__dialogs = [];
    let saved = state;
    document.addEventListener('securitypolicyviolation', (event) =>
      target.__violations.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
    // A payload that ran would call one of these; record instead of blocking the page.
    window.alert = (message?: unknown) => void target.__dialogs.push(String(message));
    target.acquireVsCodeApi = () => ({
      postMessage: (message: PageToHost) => target.__posted.push(message),
      getState: () => saved,
      setState: (next: unknown) => (saved = next),
    });
  }, savedState);
  await page.goto(url);
  await page.waitForFunction(() =>
    (window as unknown as StubWindow).__posted.some((message) => message.type === 'ready'),
  );
  return page;
}

/** Sends a host message and waits for the page's next `rendered` report; returns it and the wall time. */
export async function postAndWaitRendered(
  page: Page,
  message: HostToPage,
): Promise<{ report: Extract<PageToHost, { type: 'rendered' }>['report']; wallMs: number }> {
  return page.evaluate(async (hostMessage) => {
    const target = window as unknown as StubWindow;
    const before = target.__posted.filter((posted) => posted.type === 'rendered').length;
    const started = performance.now();
    window.postMessage(hostMessage, '*');
    for (;;) {
      const rendered = target.__posted.filter((posted) => posted.type === 'rendered');
      if (rendered.length > before) {
        const last = rendered[rendered.length - 1] as Extract<PageToHost, { type: 'rendered' }>;
        return { report: last.report, wallMs: performance.now() - started };
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }, message);
}

export function pageProbe(page: Page): Promise<StubWindow> {
  return page.evaluate(() => {
    const target = window as unknown as StubWindow;
    return { __posted: target.__posted, __violations: target.__violations, __dialogs: target.__dialogs };
  });
}
