// The same integration suite under desktop VS Code via @vscode/test-electron, for machines that can
// download it (it lands in .vscode-test/). Offline machines use runIntegration.ts instead.
// Usage: node out/test/host/runElectron.js [--vscode-version 1.138.0|stable|insiders]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot, resultsDir } from './host';
import { formatResult, readReport, reportPath, summaryLine, exitWith } from './report';

async function main(): Promise<number> {
  const versionFlag = process.argv.indexOf('--vscode-version');
  const version =
    (versionFlag > 0 ? process.argv[versionFlag + 1] : undefined) ?? process.env.VSCODE_VERSION ?? 'stable';
  const suite = path.join(repoRoot, 'out', 'test', 'integration', 'index.js');
  if (!fs.existsSync(suite)) throw new Error(`${suite} is missing; run npm run compile-tests first`);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'devin-vscode-electron-'));
  const workspace = path.join(dataDir, 'workspace');
  const userData = path.join(dataDir, 'ud');
  fs.mkdirSync(workspace, { recursive: true });
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'security.workspace.trust.enabled': false,
      'workbench.startupEditor': 'none',
      'update.mode': 'none',
    }),
  );

  const file = reportPath(resultsDir);
  fs.rmSync(file, { force: true });
  let exitCode: number;
  try {
    exitCode = await runTests({
      version,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: suite,
      extensionTestsEnv: { DEVIN_TEST_HOST: 'electron', DEVIN_TEST_RESULTS_DIR: resultsDir },
      launchArgs: [
        workspace,
        '--user-data-dir',
        userData,
        '--extensions-dir',
        path.join(dataDir, 'ext'),
        '--disable-extensions', // other installed extensions; the one under development still loads
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
    });
  } catch (error) {
    // runTests rejects on a non-zero exit; the report, when there is one, says more.
    console.error(error instanceof Error ? error.message : error);
    exitCode = 1;
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  const report = readReport(file);
  if (!report?.finishedAt) throw new Error('the suite wrote no complete report (did VS Code start?)');
  for (const test of report.tests) console.log(formatResult(test));
  console.log(`VS Code ${report.vscodeVersion} (${report.host})`);
  console.log(summaryLine(report));
  return report.failed > 0 || report.tests.length === 0 || exitCode !== 0 ? 1 : 0;
}

exitWith(main);
