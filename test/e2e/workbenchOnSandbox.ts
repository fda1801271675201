// The set-up every end-to-end suite shares: a sandbox, and one VS Code (with the extension under
// development) pointed at it through user settings.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { launchHost, repoRoot, resultsDir, type Host, type HostOptions } from '../host/host';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { Workbench } from './ui';

export async function openWorkbenchOnSandbox(
  name: string,
  settings: Record<string, unknown> = {},
  options: Pick<HostOptions, 'locale'> = {},
): Promise<{ sandbox: Sandbox; host: Host; ui: Workbench }> {
  fs.mkdirSync(resultsDir, { recursive: true });
  const sandbox = await startSandbox({ port: 0 });
  try {
    const host = await launchHost({
      name,
      extensionDevelopmentPath: process.env.DEVIN_E2E_EXTENSION ?? repoRoot,
      settings: { 'devin.apiBaseUrl': sandbox.baseUrl, 'devin.apiVersion': 'v3', ...settings },
      ...options,
    });
    assert.ok(host.page, 'the workbench did not open');
    return { sandbox, host, ui: new Workbench(host.page, resultsDir) };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}
