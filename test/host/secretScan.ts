// After a run, every file VS Code wrote (settings, global state, logs, the extension host's output) is
// searched for the sandbox's tokens: a token may live only in SecretStorage, which this host keeps in
// the browser, so finding one on disk means it leaked.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SANDBOX_TOKENS } from '../sandbox/tokens';
import type { TestResult } from './report';

const MAX_FILE_BYTES = 64 << 20;

export function filesContainingTokens(roots: readonly string[]): string[] {
  const secrets = Object.values(SANDBOX_TOKENS).map((token) => Buffer.from(token));
  const hits: string[] = [];
  const visit = (entry: string) => {
    const stat = fs.lstatSync(entry, { throwIfNoEntry: false });
    if (!stat || stat.isSymbolicLink()) return;
    if (stat.isDirectory()) {
      for (const child of fs.readdirSync(entry)) visit(path.join(entry, child));
      return;
    }
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return;
    const content = fs.readFileSync(entry);
    if (secrets.some((secret) => content.includes(secret))) hits.push(entry);
  };
  for (const root of roots) visit(root);
  return hits;
}

export function secretScanResult(roots: readonly string[], started: number): TestResult {
  const hits = filesContainingTokens(roots);
  return {
    suite: 'secrets',
    title: 'no token in any file the VS Code host wrote (settings, state, logs)',
    state: hits.length === 0 ? 'passed' : 'failed',
    durationMs: Date.now() - started,
    ...(hits.length > 0 ? { error: `token found in: ${hits.join(', ')}` } : {}),
  };
}
