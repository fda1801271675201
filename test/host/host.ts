// Runs a real VS Code without a desktop download: the VS Code server from the `code-server` npm package
// (on Node 24) renders its workbench in headless Debian Chromium. The integration runner, the e2e suite
// and the demo all start VS Code through here, so the offline recipe lives in one place
// (docs: /work/shared/vscode-host-offline.md).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';

/** out/test/host/host.js sits three levels below the repository root. */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const resultsDir = path.join(repoRoot, 'test-results');

const INSTALL_TIMEOUT_MS = 20 * 60_000;
const LISTEN_TIMEOUT_MS = 60_000;
const WORKBENCH_TIMEOUT_MS = 90_000;
const CLOSE_TIMEOUT_MS = 5_000;
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface HostOptions {
  /** Prefix of the log files in test-results/. */
  name: string;
  /** Folder holding the extension's package.json; defaults to the repository root. */
  extensionDevelopmentPath?: string;
  /** Compiled suite whose `run()` the extension host calls; omit to just load the extension. */
  extensionTestsPath?: string;
  /** Folder to open; a fresh empty one when omitted. */
  workspace?: string;
  /** User settings merged over the defaults below. */
  settings?: Record<string, unknown>;
  /** Extra environment for the server, which its extension host inherits. */
  env?: Record<string, string>;
  port?: number;
  /** Open headless Chromium at the workbench (default true). */
  browser?: boolean;
  /**
   * A packaged extension to install as a user would, instead of loading the development folder.
   * Without the development payload the server needs no smoke-test driver, so notifications pop up
   * as they do in an ordinary VS Code (the driver hides them).
   */
  installVsix?: string;
  /**
   * Display language, e.g. 'fr': the extension host reports it as `vscode.env.language`, and VS Code reads the
   * extension's package.nls.<locale>.json and l10n/bundle.l10n.<locale>.json. The workbench's own text stays
   * English: its translations come from a language pack on the Marketplace, out of reach offline.
   */
  locale?: string;
}

export interface Host {
  port: number;
  /** Server, user and extensions data of this run; removed by close(). */
  dataDir: string;
  /** Address that opens the workbench with the extension loaded. */
  workbenchUrl: string;
  workspace: string;
  browser?: Browser;
  page?: Page;
  close(): Promise<void>;
}

/** Installs the host once per machine (cached by version) and returns its folder. */
export async function ensureHost(): Promise<string> {
  const script = path.join(repoRoot, 'test', 'host', 'install-host.sh');
  const stdout = await new Promise<string>((resolve, reject) => {
    // stderr carries the install's progress; pass it through so a slow first run is not silent.
    const child = execFile('bash', [script], { timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 << 20 }, (error, out) =>
      error ? reject(new Error(`install-host.sh failed: ${error.message}`)) : resolve(out),
    );
    child.stderr?.pipe(process.stderr);
  });
  const dir = stdout.trim().split('\n').pop() ?? '';
  if (!fs.existsSync(path.join(dir, '.complete'))) throw new Error(`install-host.sh printed no host folder: ${stdout}`);
  return dir;
}

/** Binds and releases `port` (0: any) to prove it free, so a server already there is never mistaken for ours. */
export async function freePort(port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error) => reject(new Error(`port ${port} is not free: ${error.message}`)));
    server.listen(port, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function launchHost(options: HostOptions): Promise<Host> {
  const hostDir = await ensureHost();
  const node24 = path.join(hostDir, 'node24', 'node_modules', 'node', 'bin', 'node');
  const serverMain = path.join(
    hostDir,
    'vscode',
    'node_modules',
    'code-server',
    'lib',
    'vscode',
    'out',
    'server-main.js',
  );
  const port = await freePort(options.port ?? 0);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `devin-vscode-${options.name}-`));
  const workspace = options.workspace ?? path.join(dataDir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  writeSettings(dataDir, { 'security.workspace.trust.enabled': false, ...defaultSettings, ...options.settings });
  const localeArgs = options.locale ? displayLanguageArgs(path.join(dataDir, 'ud'), options.locale) : [];

  fs.mkdirSync(resultsDir, { recursive: true });
  const serverLog = fs.createWriteStream(path.join(resultsDir, `${options.name}-server.log`));
  const dataDirs = [
    '--server-data-dir',
    dataDir,
    '--user-data-dir',
    path.join(dataDir, 'ud'),
    '--extensions-dir',
    path.join(dataDir, 'ext'),
  ];
  if (options.installVsix) await installExtension(node24, serverMain, options.installVsix, dataDirs);
  const server = spawn(
    node24,
    [
      serverMain,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--without-connection-token',
      '--accept-server-license-terms',
      // Without it the built workbench ignores the development payload in the URL.
      ...(options.installVsix ? [] : ['--enable-smoke-test-driver']),
      '--disable-telemetry',
      ...localeArgs,
      ...dataDirs,
    ],
    {
      env: { ...process.env, DEVIN_TEST_HOST: 'vscode-server', ...options.env },
      // Its own process group, so the extension hosts it forks die with it.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  server.stdout?.pipe(serverLog);
  server.stderr?.pipe(serverLog);

  let browser: Browser | undefined;
  let closed = false;
  const killOnExit = () => killGroup(server, 'SIGKILL');
  // The server runs in its own process group, so Ctrl+C in a terminal does not reach it.
  const onSignal = (signal: NodeJS.Signals) => {
    killGroup(server, 'SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('exit', killOnExit);
  for (const signal of SIGNALS) process.once(signal, onSignal);
  const close = async () => {
    if (closed) return;
    closed = true;
    if (browser) await Promise.race([browser.close().catch(() => undefined), delay(CLOSE_TIMEOUT_MS)]);
    await stopServer(server);
    process.off('exit', killOnExit);
    for (const signal of SIGNALS) process.off(signal, onSignal);
    serverLog.end();
    keepServerLogs(dataDir, path.join(resultsDir, `${options.name}-logs`));
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  const remote = `vscode-remote://127.0.0.1:${port}`;
  const payload: [string, string][] = [
    ['extensionDevelopmentPath', remote + (options.extensionDevelopmentPath ?? repoRoot)],
  ];
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote + options.extensionTestsPath]);
  const workbenchUrl =
    `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}` +
    (options.installVsix ? '' : `&payload=${encodeURIComponent(JSON.stringify(payload))}`);

  try {
    await waitForListening(port, server, options.name);
    if (options.browser === false) return { port, dataDir, workbenchUrl, workspace, close };
    const opened = await openWorkbench(workbenchUrl, path.join(resultsDir, `${options.name}-browser.log`));
    browser = opened.browser;
    return { port, dataDir, workbenchUrl, workspace, browser, page: opened.page, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The server's own CLI installs a .vsix into the extensions folder, exactly as `code --install-extension`. */
async function installExtension(node24: string, serverMain: string, vsix: string, dataDirs: string[]): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    execFile(
      node24,
      [serverMain, '--accept-server-license-terms', ...dataDirs, '--install-extension', vsix, '--force'],
      { timeout: 120_000 },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`installing ${path.basename(vsix)} failed: ${stderr || stdout || error.message}`))
          : resolve(),
    );
  });
}

const defaultSettings: Record<string, unknown> = {
  // Quiet, deterministic first start: no tour, no editor, no update or extension-gallery look-ups.
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

function writeSettings(dataDir: string, settings: Record<string, unknown>): void {
  const json = JSON.stringify(settings, null, 2);
  // This build keeps user settings on the server; the remote's machine settings hold the same values so
  // the extension host sees them even if a later build moves user settings into the browser.
  for (const dir of [path.join(dataDir, 'ud', 'User'), path.join(dataDir, 'ud', 'Machine')]) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'settings.json'), json);
  }
}

/**
 * `--locale` alone leaves VS Code in English: the workbench takes its language from the messages of an installed
 * language pack and, finding none, reports English to the extension host. VS Code finds language packs through
 * languagepacks.json in the user data folder (written when a language pack extension is installed), so one entry
 * whose translation file is empty switches VS Code to the locale; each workbench message it lacks stays English.
 */
function displayLanguageArgs(userDataDir: string, locale: string): string[] {
  if (locale.toLowerCase().startsWith('en')) return [];
  const translations = path.join(userDataDir, 'languagePacks', `${locale}.i18n.json`);
  fs.mkdirSync(path.dirname(translations), { recursive: true });
  fs.writeFileSync(translations, JSON.stringify({ contents: {} }));
  const languagePack = {
    hash: `devin-test-${locale}`,
    extensions: [{ extensionIdentifier: { id: `devin-test.language-pack-${locale}` }, version: '0.0.0' }],
    translations: { vscode: translations },
    label: locale,
  };
  fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify({ [locale]: languagePack }));
  return ['--locale', locale];
}

async function waitForListening(port: number, server: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + LISTEN_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(
        `VS Code server exited early (${server.exitCode ?? server.signalCode}); see test-results/${name}-server.log`,
      );
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/version`, { signal: AbortSignal.timeout(2_000) });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await delay(250);
  }
  throw new Error(
    `VS Code server did not listen on ${port} within ${LISTEN_TIMEOUT_MS / 1000} s; see test-results/${name}-server.log`,
  );
}

async function openWorkbench(url: string, logFile: string): Promise<{ browser: Browser; page: Page }> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.DEVIN_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const log = fs.createWriteStream(logFile);
    // The remote extension host forwards its console here, so this log holds the extension's output too.
    page.on('console', (message) => log.write(`[${message.type()}] ${message.text()}\n`));
    page.on('pageerror', (error) => log.write(`[pageerror] ${error.stack ?? error.message}\n`));
    browser.on('disconnected', () => log.end());
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: WORKBENCH_TIMEOUT_MS });
    await page.locator('.monaco-workbench').first().waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
    return { browser, page };
  } catch (error) {
    await browser.close().catch(() => undefined);
    throw error;
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) {
    killGroup(server, 'SIGKILL'); // extension hosts may outlive the server
    return;
  }
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  killGroup(server, 'SIGTERM');
  await Promise.race([exited, delay(CLOSE_TIMEOUT_MS)]);
  killGroup(server, 'SIGKILL');
}

/** The server's own logs (extension host, output channels) outlive the temporary data folder. */
function keepServerLogs(dataDir: string, target: string): void {
  const logs = path.join(dataDir, 'ud', 'logs');
  if (!fs.existsSync(logs)) return;
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(logs, target, { recursive: true });
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
