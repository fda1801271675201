// `npm run demo`: the extension in a real VS Code in the browser, against the API sandbox (or a real
// Devin API when DEVIN_API_BASE_URL is set), without any desktop VS Code or internet.
//   npm run demo                       build, start everything, print the address and tokens; Ctrl+C stops
//   npm run demo -- --headless         also open it in headless Chromium, check the Devin entry shows, exit
//   options: --port N (VS Code), --sandbox-port N, --no-build
//   environment: DEVIN_API_BASE_URL (skip the sandbox), DEVIN_API_VERSION (default v3 for the sandbox)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const headless = args.includes('--headless');

function numberOption(name) {
  const index = args.indexOf(name);
  if (index < 0) return undefined;
  const value = Number(args[index + 1]);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} expects a port number`);
  return value;
}

function npmRun(script) {
  console.log(`> npm run ${script}`);
  const result = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', script], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 5 * 60_000,
  });
  if (result.status !== 0) throw new Error(`npm run ${script} failed`);
}

async function startApi() {
  const external = process.env.DEVIN_API_BASE_URL;
  if (external) {
    console.log(`Using the Devin API at ${external} (DEVIN_API_BASE_URL); no sandbox.`);
    return { baseUrl: external, version: process.env.DEVIN_API_VERSION, close: async () => undefined };
  }
  const { startSandbox } = require(path.join(root, 'out', 'test', 'sandbox', 'server.js'));
  const sandbox = await startSandbox({ port: numberOption('--sandbox-port') ?? 0 });
  return { ...sandbox, version: process.env.DEVIN_API_VERSION ?? 'v3', close: () => sandbox.close() };
}

function printInstructions(host, api) {
  const lines = [
    '',
    'Devin for VS Code is running in VS Code (offline VS Code server). Open in a browser:',
    `  ${host.workbenchUrl}`,
    '',
    `API: ${api.baseUrl}${api.version ? ` (${api.version})` : ''}`,
  ];
  if (api.tokens) {
    lines.push(
      '',
      'Run "Devin: Sign In" (F1) and paste one of these sandbox tokens:',
      `  enterprise admin   ${api.tokens.enterpriseAdmin}`,
      `  member             ${api.tokens.member}`,
      `  org service user   ${api.tokens.orgServiceUser}`,
      `  expired (401)      ${api.tokens.expired}`,
    );
  } else {
    lines.push('', 'Run "Devin: Sign In" (F1) and paste your Devin API token.');
  }
  lines.push(
    '',
    'The server listens on 127.0.0.1 only; forward the port to open it from another machine.',
    'Press Ctrl+C to stop.',
  );
  console.log(lines.join('\n'));
}

async function checkWorkbench(host) {
  const { selectors } = require(path.join(root, 'out', 'test', 'e2e', 'ui.js'));
  const entry = host.page.locator(selectors.activityBarEntry);
  // The entry comes from the manifest; opening it activates the extension, whose view then renders.
  await entry.waitFor({ timeout: 90_000 });
  await entry.click();
  await host.page.locator(selectors.devinContainerShowing).waitFor({ timeout: 30_000 });
  await host.page.locator(selectors.sessionsPane).waitFor({ timeout: 30_000 });
  const screenshot = path.join(root, 'test-results', 'demo.png');
  fs.mkdirSync(path.dirname(screenshot), { recursive: true });
  await host.page.screenshot({ path: screenshot });
  console.log(
    `demo: workbench loaded with the installed extension, Devin entry visible (${path.relative(root, screenshot)})`,
  );
}

async function main() {
  // The demo installs the packaged extension, as a user would, so notifications pop up normally.
  const vsix = path.join(root, 'devin-vscode.vsix');
  if (!args.includes('--no-build') || !fs.existsSync(vsix)) {
    npmRun('package');
    npmRun('compile-tests');
  }
  const { launchHost } = require(path.join(root, 'out', 'test', 'host', 'host.js'));
  const api = await startApi();
  let host;
  try {
    const settings = { 'devin.apiBaseUrl': api.baseUrl };
    if (api.version) settings['devin.apiVersion'] = api.version;
    host = await launchHost({
      name: 'demo',
      port: numberOption('--port'),
      settings,
      browser: headless,
      installVsix: vsix,
    });
    if (headless) {
      await checkWorkbench(host);
      console.log('demo: ok');
      return 0;
    }
    printInstructions(host, api);
    await new Promise(() => undefined); // until Ctrl+C; the host's signal handler stops the server
  } finally {
    await host?.close();
    await api.close();
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`demo: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
