// Entry point the extension host loads through `extensionTestsPath` (VS Code server or desktop VS Code):
// runs every compiled *.test.js beside this file under Mocha's TDD UI and writes
// test-results/integration.json, from which the runner on the Node side decides pass or fail.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { reportPath, type IntegrationReport, type TestResult } from '../host/report';

const TEST_TIMEOUT_MS = 20_000;

// The extension host's working directory is not the repository, so the location derives from this file
// (out/test/integration/index.js) unless the runner says otherwise.
const resultsDir = process.env.DEVIN_TEST_RESULTS_DIR ?? path.resolve(__dirname, '..', '..', '..', 'test-results');
const reportFile = reportPath(resultsDir);

export async function run(): Promise<void> {
  const report: IntegrationReport = {
    vscodeVersion: vscode.version,
    host: process.env.DEVIN_TEST_HOST ?? 'unknown',
    startedAt: new Date().toISOString(),
    tests: [],
    passed: 0,
    failed: 0,
  };
  const record = (result: TestResult) => {
    report.tests.push(result);
    if (result.state === 'passed') report.passed += 1;
    if (result.state === 'failed') report.failed += 1;
    write(report);
  };
  write(report);

  try {
    // DEVIN_INTEGRATION_GREP runs the matching tests only, for a quick loop while working on one feature.
    const grep = process.env.DEVIN_INTEGRATION_GREP;
    const mocha = new Mocha({
      ui: 'tdd',
      timeout: TEST_TIMEOUT_MS,
      color: false,
      reporter: 'spec',
      ...(grep ? { grep } : {}),
    });
    for (const file of suiteFiles(process.env.DEVIN_HOST_LOCALE)) mocha.addFile(file);
    await mocha.loadFilesAsync();
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (test) => record(result(test, 'passed')));
      runner.on('pending', (test) => record(result(test, 'pending')));
      // Hooks fail through here too; they count as failures under the hook's own title.
      runner.on('fail', (test, error: Error) => record(result(test, 'failed', error)));
    });
  } catch (error) {
    // A suite that cannot even load (syntax error, missing module) must still show up as red.
    record({ suite: '', title: 'load the integration suite', state: 'failed', durationMs: 0, error: errorText(error) });
  }
  report.finishedAt = new Date().toISOString();
  write(report);
  if (report.failed > 0) throw new Error(`${report.failed} integration test(s) failed`);
}

function result(test: Mocha.Runnable, state: TestResult['state'], error?: Error): TestResult {
  const entry: TestResult = {
    suite: test.parent?.fullTitle() ?? '',
    title: test.title,
    state,
    durationMs: test.duration ?? 0,
  };
  if (error) entry.error = errorText(error);
  return entry;
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/**
 * A run in another display language (DEVIN_HOST_LOCALE) takes the suites under localized/, which assert translated
 * text, and only those: the others assert English messages.
 */
function suiteFiles(locale: string | undefined): string[] {
  const localized = path.join(__dirname, 'localized') + path.sep;
  const translated = locale !== undefined && locale !== '' && !locale.toLowerCase().startsWith('en');
  const floor = process.env.DEVIN_INTEGRATION_SCOPE === 'floor';
  return testFiles(__dirname).filter(
    (file) => file.startsWith(localized) === translated && (!floor || FLOOR_SUITES.includes(path.basename(file))),
  );
}

/**
 * What the run on the oldest supported VS Code takes: the suites that lean on an API whose behaviour can differ
 * between VS Code versions, each proving one flow through it: activation, the manifest and the registered commands,
 * the tree and its context menus, quick picks and input boxes, both webview panels, the file system provider, the
 * Git extension's API, secret storage and application-scoped settings, the status bar and notifications. The rest
 * (the fault matrices, lost answers, bounds, polling limits, permissions and the other read paths) exercise the
 * extension's own code through those same APIs and run on the newest version only.
 */
const FLOOR_SUITES = [
  'smoke.test.js',
  'extension.test.js',
  'commands.test.js',
  'workflows.test.js',
  'sessionActions.test.js',
  'sessionPanel.test.js',
  'consumption.test.js',
  'knowledgeFiles.test.js',
  'checkout.test.js',
  'tokenSafety.test.js',
  'liveSessions.test.js',
];

function testFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.js'))
    .sort()
    .map((name) => path.join(dir, name));
}

function write(report: IntegrationReport): void {
  fs.mkdirSync(resultsDir, { recursive: true });
  // Written whole and renamed, so a runner polling the file never reads half of it.
  const partial = `${reportFile}.partial`;
  fs.writeFileSync(partial, JSON.stringify(report, null, 2));
  fs.renameSync(partial, reportFile);
}
