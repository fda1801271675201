// `npm test`: every tier in order, stopping at the first red one, then a per-tier summary and one final
// line "N passed, N failed" (unit + package + integration + e2e tests; a tier that crashes or a red
// build/compile/typecheck/lint tier counts as one failure). Nothing reads the terminal (a prompt gets
// end-of-input and fails its tier instead of waiting), so CI=true and a developer's shell behave alike.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(root, 'test-results');
const MINUTE = 60_000;

let current; // the running child, so Ctrl+C or a timeout can end its whole process group
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (current) killGroup(current, 'SIGTERM');
    process.exit(130);
  });
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Runs a command with output passed through; resolves with its exit code (or 'timeout'). */
function run(command, args, timeoutMs, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      // Own process group: a timeout must also end what the command started (browsers, servers).
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    current = child;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`\n${command} ${args.join(' ')} took longer than ${timeoutMs / MINUTE} min; stopping it`);
      killGroup(child, 'SIGTERM');
      setTimeout(() => killGroup(child, 'SIGKILL'), 10_000).unref();
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      resolve(timedOut ? 'timeout' : (code ?? (signal ? `signal ${signal}` : 1)));
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      console.error(error.message);
      resolve(1);
    });
  });
}

function findTests(dir, pattern) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((name) => pattern.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

/** Counts from the summary comments node:test's TAP reporter ends with. */
function tapCounts(file) {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const count = (key) => Number(new RegExp(`^# ${key} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return {
    passed: count('pass'),
    failed: count('fail') + count('cancelled'),
    skipped: count('skipped') + count('todo'),
    found: /^# pass /m.test(text),
  };
}

async function nodeTests(name, dir, pattern, timeoutMs, extraArgs = []) {
  const files = findTests(dir, pattern);
  if (files.length === 0) return { ok: false, passed: 0, failed: 1, note: `no tests under ${dir}` };
  const tap = path.join(results, `${name}.tap`);
  const code = await run(
    process.execPath,
    [
      '--test',
      ...extraArgs,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...files,
    ],
    timeoutMs,
  );
  const counts = tapCounts(tap);
  // A run that ends red without a red test (crash, timeout, load error) still has to count.
  const failed = counts.failed + (code !== 0 && counts.failed === 0 ? 1 : 0);
  const note = [counts.skipped ? `${counts.skipped} skipped` : '', code === 'timeout' ? 'timed out' : '']
    .filter(Boolean)
    .join(', ');
  return { ok: code === 0 && failed === 0, passed: counts.passed, failed, note };
}

const step = (command, args, timeoutMs) => async () => {
  const code = await run(command, args, timeoutMs);
  return code === 0
    ? { ok: true }
    : { ok: false, passed: 0, failed: 1, note: code === 'timeout' ? 'timed out' : `exit ${code}` };
};

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tiers = [
  { name: 'build', run: step(npm, ['run', '--silent', 'build'], 5 * MINUTE) },
  { name: 'compile-tests', run: step(npm, ['run', '--silent', 'compile-tests'], 5 * MINUTE) },
  { name: 'typecheck', run: step(npm, ['run', '--silent', 'typecheck'], 5 * MINUTE) },
  { name: 'lint', run: step(npm, ['run', '--silent', 'lint'], 2 * MINUTE) },
  { name: 'unit', counted: true, run: () => nodeTests('unit', 'out/test/unit', /\.test\.js$/, 5 * MINUTE) },
  {
    name: 'package',
    counted: true,
    run: async () => {
      const vsix = path.join(root, 'devin-vscode.vsix');
      fs.rmSync(vsix, { force: true });
      const code = await run(npm, ['run', '--silent', 'package'], 5 * MINUTE);
      const checks = checkVsix(vsix);
      for (const check of checks)
        console.log(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.name}${check.detail ? `\n${check.detail}` : ''}`);
      const failed = checks.filter((check) => !check.ok).length + (code !== 0 && checks.every((c) => c.ok) ? 1 : 0);
      return { ok: code === 0 && failed === 0, passed: checks.length - checks.filter((c) => !c.ok).length, failed };
    },
  },
  { name: 'integration', counted: true, run: () => integrationTier('integration.json', {}) },
  // The oldest VS Code the manifest accepts (engines.vscode), on its own cached host: the suites that lean on an API
  // whose behaviour can differ between versions (see FLOOR_SUITES in test/integration/index.ts).
  {
    name: 'integration-floor',
    counted: true,
    run: () =>
      integrationTier('integration-floor.json', {
        DEVIN_HOST_CODE_SERVER_VERSION: FLOOR_CODE_SERVER_VERSION,
        DEVIN_INTEGRATION_SCOPE: 'floor',
      }),
  },
  // VS Code in French: the suites under test/integration/localized/ only, so it costs one host start.
  {
    name: 'integration-fr',
    counted: true,
    run: () => integrationTier('integration-fr.json', { DEVIN_HOST_LOCALE: 'fr' }),
  },
  // One workbench at a time: two VS Code servers and browsers on two cores make timing flaky.
  {
    name: 'e2e',
    counted: true,
    run: () => nodeTests('e2e', 'out/test/e2e', /\.(?:test|e2e)\.js$/, 30 * MINUTE, ['--test-concurrency=1']),
  },
];

/** code-server 4.138.0 carries VS Code 1.138, the floor in package.json's engines.vscode. */
const FLOOR_CODE_SERVER_VERSION = '4.138.0';

async function integrationTier(reportName, env) {
  // A cold machine installs the VS Code host here first (a few minutes, once per version).
  const code = await run(process.execPath, ['out/test/host/runIntegration.js'], 30 * MINUTE, {
    ...env,
    DEVIN_INTEGRATION_REPORT: reportName,
  });
  let report;
  try {
    report = JSON.parse(fs.readFileSync(path.join(results, reportName), 'utf8'));
  } catch {
    report = undefined;
  }
  const passed = report?.passed ?? 0;
  const failed = (report?.failed ?? 0) + (!report?.finishedAt || (code !== 0 && !report.failed) ? 1 : 0);
  const note = report?.finishedAt
    ? `VS Code ${report.vscodeVersion}, ${report.host}`
    : code === 'timeout'
      ? 'timed out'
      : 'no complete report';
  return { ok: code === 0 && failed === 0, passed, failed, note };
}

/** What the package may ship: the bundles, static media and the manifest's documents (vsce adds its two). */
const VSIX_ALLOWED = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/dist\/.+/,
  /^extension\/media\/.+/,
  // vsce writes readme.md and changelog.md in lower case.
  /^extension\/(?:package\.json|readme\.md|changelog\.md|license|license\.txt)$/i,
  // The manifest's strings and the runtime translations, one file per shipped language.
  /^extension\/package\.nls(?:\.[a-z-]+)?\.json$/,
  /^extension\/l10n\/bundle\.l10n\.[a-z-]+\.json$/,
];
// dist/undici.js is required on the first request, not at activation: without it the extension would load and then
// fail every call.
// Without package.nls.json the manifest's %keys% would show as they are; without a language's two files, that
// language would silently fall back to English.
const SHIPPED_LANGUAGES = ['fr'];
const VSIX_REQUIRED = [
  'extension/package.json',
  'extension/package.nls.json',
  ...SHIPPED_LANGUAGES.flatMap((language) => [
    `extension/package.nls.${language}.json`,
    `extension/l10n/bundle.l10n.${language}.json`,
  ]),
  'extension/dist/extension.js',
  'extension/dist/undici.js',
];

/** Names in a zip, from its central directory (a .vsix is a zip; no unzip on a fresh machine). */
function zipEntries(file) {
  const data = fs.readFileSync(file);
  let end = data.length - 22;
  while (end >= 0 && data.readUInt32LE(end) !== 0x06054b50) end -= 1;
  if (end < 0) throw new Error(`${file} is not a zip file`);
  const count = data.readUInt16LE(end + 10);
  let offset = data.readUInt32LE(end + 16);
  const names = [];
  for (let i = 0; i < count; i += 1) {
    if (data.readUInt32LE(offset) !== 0x02014b50) throw new Error(`${file}: damaged central directory`);
    const nameLength = data.readUInt16LE(offset + 28);
    const extraLength = data.readUInt16LE(offset + 30);
    const commentLength = data.readUInt16LE(offset + 32);
    names.push(data.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

function checkVsix(file) {
  if (!fs.existsSync(file)) return [{ name: 'devin-vscode.vsix is produced', ok: false }];
  const names = zipEntries(file).filter((name) => !name.endsWith('/'));
  const stray = names.filter((name) => !VSIX_ALLOWED.some((pattern) => pattern.test(name)));
  const missing = VSIX_REQUIRED.filter((name) => !names.includes(name));
  const list = (items) => items.map((item) => `       ${item}`).join('\n');
  console.log(`  devin-vscode.vsix: ${names.length} files, ${(fs.statSync(file).size / 1024).toFixed(1)} KiB`);
  return [
    { name: 'devin-vscode.vsix is produced', ok: true },
    {
      name: 'the package holds only dist/, media/, translations and the manifest documents',
      ok: stray.length === 0,
      detail: list(stray),
    },
    {
      name: 'the package holds package.json, its strings and translations, dist/extension.js and dist/undici.js',
      ok: missing.length === 0,
      detail: list(missing),
    },
  ];
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function main() {
  // Only this run's own leftovers go: the demo's and .ci/run's files in the same folder stay.
  fs.mkdirSync(results, { recursive: true });
  for (const name of fs.readdirSync(results)) {
    if (/^(?:unit|integration|e2e)[-.]/.test(name))
      fs.rmSync(path.join(results, name), { recursive: true, force: true });
  }
  const started = Date.now();
  const rows = [];
  let red = false;
  for (const tier of tiers) {
    if (red) {
      rows.push({ name: tier.name, status: 'not run' });
      continue;
    }
    console.log(`\n=== ${tier.name} ===`);
    const tierStarted = Date.now();
    let outcome;
    try {
      outcome = await tier.run();
    } catch (error) {
      console.error(error instanceof Error ? error.stack : error);
      outcome = { ok: false, passed: 0, failed: 1, note: 'crashed' };
    }
    red = !outcome.ok;
    rows.push({
      name: tier.name,
      status: outcome.ok ? 'ok' : 'FAILED',
      ...outcome,
      ms: Date.now() - tierStarted,
      counted: tier.counted,
    });
  }

  let passed = 0;
  let failed = 0;
  console.log('\n=== summary ===');
  for (const row of rows) {
    passed += row.passed ?? 0;
    failed += row.failed ?? 0;
    const counts = row.counted || row.failed ? `${row.passed ?? 0} passed, ${row.failed ?? 0} failed` : '';
    const time = row.ms === undefined ? '' : seconds(row.ms);
    console.log(
      `${row.name.padEnd(17)} ${row.status.padEnd(8)} ${counts.padEnd(22)} ${time.padStart(8)}  ${row.note ?? ''}`.trimEnd(),
    );
  }
  console.log(`total time ${seconds(Date.now() - started)}; logs and screenshots in test-results/`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 || red ? 1 : 0;
}

process.exitCode = await main();
