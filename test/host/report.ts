// The integration report: written by the suite inside the extension host, read by the runners on the
// Node side, which pass or fail from it rather than from anything the browser shows.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type TestState = 'passed' | 'failed' | 'pending';

export interface TestResult {
  suite: string;
  title: string;
  state: TestState;
  durationMs: number;
  error?: string;
}

export interface IntegrationReport {
  vscodeVersion: string;
  host: string;
  startedAt: string;
  /** Unset while the suite is still running; the file is rewritten after every test. */
  finishedAt?: string;
  tests: TestResult[];
  passed: number;
  failed: number;
}

/** `DEVIN_INTEGRATION_REPORT` names the report when one run should not overwrite another's (the floor host). */
export function reportPath(resultsDir: string): string {
  return path.join(resultsDir, process.env.DEVIN_INTEGRATION_REPORT ?? 'integration.json');
}

export function readReport(file: string): IntegrationReport | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as IntegrationReport;
  } catch {
    return undefined; // not written yet
  }
}

export function formatResult(test: TestResult): string {
  const mark = test.state === 'passed' ? 'ok  ' : test.state === 'failed' ? 'FAIL' : 'skip';
  const line = `  ${mark} ${test.suite ? `${test.suite} › ` : ''}${test.title} (${test.durationMs} ms)`;
  return test.error ? `${line}\n${indent(test.error, '       ')}` : line;
}

export function summaryLine(report: Pick<IntegrationReport, 'passed' | 'failed'>): string {
  return `${report.passed} passed, ${report.failed} failed`;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

/** Runs a runner's main and exits with its code; a crash still ends with a count line CI can read. */
export function exitWith(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      console.log('0 passed, 1 failed');
      process.exit(1);
    },
  );
}
