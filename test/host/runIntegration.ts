// Runs the integration suite inside the offline VS Code server (see host.ts) and decides pass or fail
// from test-results/integration.json. Usage: node out/test/host/runIntegration.js [--extension DIR]
// DEVIN_HOST_LOCALE=fr runs VS Code in that display language, with the suites under test/integration/localized/
// instead of the English ones, and reports to integration-fr.json.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { delay, launchHost, repoRoot, resultsDir } from './host';
import { type IntegrationReport, formatResult, readReport, reportPath, summaryLine, exitWith } from './report';
import { secretScanResult } from './secretScan';

const SUITE_TIMEOUT_MS = Number(process.env.DEVIN_INTEGRATION_TIMEOUT_MS ?? 10 * 60_000);
// Time for the extension host to start and load the suite before a missing report means it never will.
const START_TIMEOUT_MS = 120_000;

async function main(): Promise<number> {
  const extensionFlag = process.argv.indexOf('--extension');
  const extensionDevelopmentPath = extensionFlag > 0 ? path.resolve(process.argv[extensionFlag + 1] ?? '') : repoRoot;
  const suite = path.join(repoRoot, 'out', 'test', 'integration', 'index.js');
  if (!fs.existsSync(suite)) throw new Error(`${suite} is missing; run npm run compile-tests first`);

  const locale = process.env.DEVIN_HOST_LOCALE || undefined;
  const file =
    locale && !process.env.DEVIN_INTEGRATION_REPORT
      ? path.join(resultsDir, `integration-${locale}.json`)
      : reportPath(resultsDir);
  fs.rmSync(file, { force: true });
  const host = await launchHost({
    name: path.basename(file, '.json'),
    extensionDevelopmentPath,
    extensionTestsPath: suite,
    locale,
    env: {
      DEVIN_TEST_HOST: 'vscode-server',
      DEVIN_TEST_RESULTS_DIR: resultsDir,
      DEVIN_INTEGRATION_REPORT: path.basename(file),
      ...(locale ? { DEVIN_HOST_LOCALE: locale } : {}),
    },
  });
  // Measured from here, not from before launchHost: a cold machine spends minutes installing the host first,
  // and that must not count against the extension host's start.
  const started = Date.now();
  console.log(`VS Code server on port ${host.port}; running ${path.relative(repoRoot, suite)}`);
  try {
    const report = await waitForReport(file, started);
    const scan = secretScanResult([host.dataDir], Date.now());
    console.log(formatResult(scan));
    report.tests.push(scan);
    if (scan.state === 'passed') report.passed += 1;
    else report.failed += 1;
    fs.writeFileSync(file, JSON.stringify(report, null, 2));
    console.log(`VS Code ${report.vscodeVersion} (${report.host})`);
    console.log(summaryLine(report));
    printFaultMatrixSummary(started);
    return report.failed > 0 || report.tests.length === 0 ? 1 : 0;
  } finally {
    await host.close();
  }
}

/**
 * The fault matrix suites write their own reports (transport faults, server content); the one-line summary of each
 * that ran closes the tier.
 */
function printFaultMatrixSummary(since: number): void {
  const transport = freshSummary<{ cells: number; failures: number; expectedFailures: number; duplicates: number }>(
    'fault-matrix.json',
    since,
  );
  if (transport)
    console.log(
      `Fault matrix: ${transport.cells} cells, ${transport.failures} failures (${transport.expectedFailures} expected), ` +
        `${transport.duplicates} duplicates; see test-results/fault-matrix.json`,
    );
  const content = freshSummary<{ cells: number; failures: number }>('fault-matrix-content.json', since);
  if (content)
    console.log(
      `Fault matrix, server content: ${content.cells} cells, ${content.failures} failures; ` +
        'see test-results/fault-matrix-content.json',
    );
}

/** The `summary` of a report in test-results/ written since `since`, or undefined when this run did not write it. */
function freshSummary<T>(name: string, since: number): T | undefined {
  const file = path.join(resultsDir, name);
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat || stat.mtimeMs < since) return undefined;
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { summary: T }).summary;
}

async function waitForReport(file: string, started: number): Promise<IntegrationReport> {
  let printed = 0;
  for (;;) {
    const report = readReport(file);
    // Print as tests finish, so a hang shows where it happened.
    for (const test of report?.tests.slice(printed) ?? []) console.log(formatResult(test));
    printed = report?.tests.length ?? printed;
    if (report?.finishedAt) return report;
    const elapsed = Date.now() - started;
    if (!report && elapsed > START_TIMEOUT_MS) {
      throw new Error(
        `the extension host did not start the suite within ${START_TIMEOUT_MS / 1000} s; ` +
          'see test-results/integration-server.log, integration-browser.log and integration-logs/',
      );
    }
    if (elapsed > SUITE_TIMEOUT_MS) throw new Error(`the suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s`);
    await delay(250);
  }
}

exitWith(main);
