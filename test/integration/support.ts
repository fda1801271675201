import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DevinExtensionApi } from '../../src/extension';
import { SANDBOX_TOKENS, startSandbox, type RecordedRequest, type Sandbox } from '../sandbox/server';

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
  settings: {
    apiVersion?: 'v3' | 'v3beta1';
    pageSize?: number;
    scale?: { organizations: number; sessionsPerOrganization: number };
  } = {},
): Promise<Sandbox> {
  const sandbox = await startSandbox({ scale: settings.scale });
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

/**
 * The requests a step caused that match `method` and `path` (a string the path ends with, or a pattern), in order.
 * Background reads (the tree's refresh, permission probes, the poller) can land between a command and its
 * assertion, so a test names the request it means instead of reading "the last one".
 */
export function requestsTo(sandbox: Sandbox, method: string, path: string | RegExp, since = 0): RecordedRequest[] {
  return sandbox.requests
    .slice(since)
    .filter(
      (request) =>
        request.method === method && (typeof path === 'string' ? request.path.endsWith(path) : path.test(request.path)),
    );
}

/** The one request a step caused to `method path`; fails when it caused none or several. */
export function onlyRequestTo(sandbox: Sandbox, method: string, path: string | RegExp, since = 0): RecordedRequest {
  const matching = requestsTo(sandbox, method, path, since);
  assert.equal(matching.length, 1, `exactly one ${method} ${String(path)}; saw ${matching.length}`);
  return matching[0]!;
}

export interface SignedInSuite {
  readonly sandbox: Sandbox;
  readonly api: DevinExtensionApi;
}

/**
 * The hooks of a suite that works signed in against its own sandbox (the enterprise administrator unless `token`
 * says otherwise). With `freshEachTest`, each test starts from the sandbox's seed with a refreshed tree, so what one
 * test created is never in the next one's way.
 */
export function signedInSuite(options: {
  apiVersion: 'v3' | 'v3beta1';
  token?: string;
  freshEachTest?: boolean;
}): SignedInSuite {
  let sandbox: Sandbox | undefined;
  let api: DevinExtensionApi | undefined;
  suiteSetup(async () => {
    sandbox = await startSandboxForExtension({ apiVersion: options.apiVersion });
    api = await activateExtension();
    const outcome = await signIn(options.token ?? SANDBOX_TOKENS.enterpriseAdmin);
    assert.equal(outcome.ok, true, outcome.error);
  });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await signOut();
    await sandbox?.close();
  });
  if (options.freshEachTest)
    setup(async () => {
      sandbox?.reset();
      await vscode.commands.executeCommand('devin.refresh');
    });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the suite has not started');
    return value;
  };
  return {
    get sandbox() {
      return started(sandbox);
    },
    get api() {
      return started(api);
    },
  };
}
