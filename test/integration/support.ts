import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DevinExtensionApi } from '../../src/extension';
import { startSandbox, type Sandbox } from '../sandbox/server';

/** Shared set-up for the integration suites: one sandbox per suite, the extension pointed at it. */

export const EXTENSION_ID = 'devin-vscode.devin-vscode';
export const FIXTURE_FILE = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'test',
  'fixtures',
  'workspace',
  'src',
  'calc.ts',
);

export async function activateExtension(): Promise<DevinExtensionApi> {
  const extension = vscode.extensions.getExtension<DevinExtensionApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this host`);
  return extension.activate();
}

/** Starts a sandbox and points the extension's settings at it (v3, no auto refresh, small pages). */
export async function startSandboxForExtension(
  settings: { apiVersion?: 'v3' | 'v3beta1'; pageSize?: number } = {},
): Promise<Sandbox> {
  const sandbox = await startSandbox();
  const devin = vscode.workspace.getConfiguration('devin');
  await devin.update('apiBaseUrl', sandbox.baseUrl, vscode.ConfigurationTarget.Global);
  await devin.update('apiVersion', settings.apiVersion ?? 'v3', vscode.ConfigurationTarget.Global);
  await devin.update('pageSize', settings.pageSize ?? 20, vscode.ConfigurationTarget.Global);
  await devin.update('autoRefreshSeconds', 0, vscode.ConfigurationTarget.Global);
  await devin.update('orgId', undefined, vscode.ConfigurationTarget.Global);
  return sandbox;
}

/**
 * Signs in and waits for the permission probes that follow a sign-in, so they never land among the requests a
 * test counts afterwards.
 */
export async function signIn(token: string): Promise<{ ok: boolean; error?: string }> {
  const outcome = (await vscode.commands.executeCommand('devin.signIn', { token })) as { ok: boolean; error?: string };
  if (outcome.ok) await (await activateExtension()).tokenPermissions();
  return outcome;
}

export async function signOut(): Promise<void> {
  await vscode.commands.executeCommand('devin.signOut');
}

/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
