// The manifest and the code name commands and context keys in two places; these checks keep them in step.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { Command, ContextKey } from '../../src/commandIds';

interface Manifest {
  contributes: {
    commands: { command: string }[];
    menus: Record<string, { command?: string; submenu?: string }[]>;
    keybindings?: { command: string }[];
    viewsWelcome?: { contents: string; when?: string }[];
  };
}
const manifest = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8'),
) as Manifest;
const contributed = new Set(manifest.contributes.commands.map((entry) => entry.command));
// Manifest strings may be %keys% whose English text lives in package.nls.json; links are checked in that text.
const englishStrings = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.nls.json'), 'utf8'),
) as Record<string, string>;
function english(value: string): string {
  const key = /^%(.+)%$/.exec(value)?.[1];
  if (key === undefined) return value;
  const text = englishStrings[key];
  assert.ok(text !== undefined, `package.json refers to ${value}, which package.nls.json lacks`);
  return text;
}

test('every command id in the code is contributed and every contributed command has an id in the code', () => {
  const inCode = new Set<string>(Object.values(Command));
  assert.deepEqual(
    [...inCode].filter((id) => !contributed.has(id)).sort(),
    [],
    'ids in src/commandIds.ts missing from package.json',
  );
  assert.deepEqual(
    [...contributed].filter((id) => !inCode.has(id)).sort(),
    [],
    'contributed commands missing from src/commandIds.ts',
  );
});

test('menus, keybindings and welcome links name only contributed commands', () => {
  const referenced = [
    ...Object.values(manifest.contributes.menus).flatMap((entries) => entries.map((entry) => entry.command)),
    ...(manifest.contributes.keybindings ?? []).map((entry) => entry.command),
    ...(manifest.contributes.viewsWelcome ?? []).flatMap((entry) =>
      [...english(entry.contents).matchAll(/\(command:(devin\.[A-Za-z.]+)/g)].map((match) => match[1]),
    ),
  ].filter((id): id is string => typeof id === 'string' && id.startsWith('devin.'));
  assert.ok(referenced.length > 10, 'the manifest should reference its commands from menus');
  assert.deepEqual([...new Set(referenced.filter((id) => !contributed.has(id)))], []);
});

test('every devin.* context key a when clause uses is one the code sets', () => {
  const whenClauses = JSON.stringify(manifest.contributes).match(/"when":"[^"]*"/g) ?? [];
  const used = new Set(whenClauses.flatMap((clause) => clause.match(/\bdevin\.[A-Za-z.]+/g) ?? []));
  const views = new Set(['devin.sessions']);
  const known = new Set<string>(Object.values(ContextKey));
  assert.deepEqual([...used].filter((key) => !known.has(key) && !views.has(key) && !contributed.has(key)).sort(), []);
});
