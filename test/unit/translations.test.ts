// Every string a user reads is translatable, and every shipped translation has all of them: a missing key would show
// English in the middle of a French window, a lost `{0}` would drop a value from the message.
import { getL10nJson, type l10nJsonFormat } from '@vscode/l10n-dev';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const l10nDir = path.join(repoRoot, 'l10n');
/** The languages the extension ships; each needs both a runtime bundle and a manifest translation. */
const SHIPPED_LANGUAGES = ['fr'];

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** A bundle entry is either the translation or `{ message, comment }` when the source gave a comment. */
function messageOf(entry: unknown): string {
  if (typeof entry === 'string') return entry;
  if (entry && typeof entry === 'object' && typeof (entry as { message?: unknown }).message === 'string')
    return (entry as { message: string }).message;
  throw new Error(`not a translation: ${JSON.stringify(entry)}`);
}

/** What must survive translation unchanged: placeholders, command links, code spans, icons and the token prefix. */
function invariants(text: string): string[] {
  const found = [
    ...(text.match(/\{\d+\}/g) ?? []),
    ...(text.match(/\(command:[^)\s]+\)/g) ?? []),
    ...(text.match(/`[^`]+`/g) ?? []),
    ...(text.match(/\bcog_/g) ?? []),
    ...(text.match(/\$\([a-z~-]+\)/g) ?? []),
  ];
  return found.sort();
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function compareTranslation(english: Record<string, unknown>, translated: Record<string, unknown>, name: string) {
  const missing = Object.keys(english).filter((key) => !(key in translated));
  const extra = Object.keys(translated).filter((key) => !(key in english));
  assert.deepEqual(missing, [], `${name} lacks these keys`);
  assert.deepEqual(extra, [], `${name} has keys nothing uses`);
  for (const [key, value] of Object.entries(english)) {
    const translation = messageOf(translated[key]);
    assert.ok(translation.trim().length > 0, `${name}: "${key}" is empty`);
    assert.deepEqual(invariants(translation), invariants(messageOf(value)), `${name}: "${key}" lost or added a part`);
  }
}

describe('manifest strings', () => {
  const english = readJson(path.join(repoRoot, 'package.nls.json'));
  const manifestText = fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8');

  test('every %key% in package.json has English text, and every English text is used', () => {
    const referenced = new Set([...manifestText.matchAll(/"%([^%"]+)%"/g)].map((match) => match[1]));
    assert.ok(referenced.size > 50, 'the manifest should name its strings by key');
    assert.deepEqual(
      [...referenced].filter((key) => !(key in english)),
      [],
    );
    assert.deepEqual(
      Object.keys(english).filter((key) => !referenced.has(key)),
      [],
    );
  });

  test('no user-facing text in package.json bypasses package.nls.json', () => {
    const manifest = JSON.parse(manifestText) as { contributes: unknown };
    const raw: string[] = [];
    const visit = (node: unknown, field: string) => {
      if (typeof node === 'string') {
        if (
          /^(?:title|shortTitle|name|contents|description|markdownDescription|enumDescriptions|category)$/.test(field)
        )
          if (!/^%[^%]+%$/.test(node)) raw.push(`${field}: ${node}`);
        return;
      }
      if (Array.isArray(node)) node.forEach((item) => visit(item, field));
      else if (node && typeof node === 'object')
        for (const [key, value] of Object.entries(node)) visit(value, key === 'properties' ? '' : key);
    };
    visit(manifest.contributes, '');
    assert.deepEqual(raw, []);
  });

  for (const language of SHIPPED_LANGUAGES) {
    test(`package.nls.${language}.json translates every manifest string`, () => {
      const file = path.join(repoRoot, `package.nls.${language}.json`);
      assert.ok(fs.existsSync(file), `package.nls.${language}.json is shipped`);
      compareTranslation(english, readJson(file), `package.nls.${language}.json`);
    });
  }
});

describe('runtime strings', () => {
  let exported: l10nJsonFormat | undefined;
  const exportStrings = async (): Promise<l10nJsonFormat> =>
    (exported ??= await getL10nJson(
      sourceFiles(path.join(repoRoot, 'src')).map((file) => ({
        contents: fs.readFileSync(file, 'utf8'),
        extension: path.extname(file),
      })),
    ));

  test('l10n/bundle.l10n.json is the current export of src/ (npm run l10n:export)', async () => {
    const strings = await exportStrings();
    assert.ok(Object.keys(strings).length > 200, 'the code should translate its strings');
    const committed = readJson(path.join(l10nDir, 'bundle.l10n.json'));
    assert.deepEqual(
      Object.keys(strings).filter((key) => !(key in committed)),
      [],
      'strings in src/ missing from l10n/bundle.l10n.json',
    );
    assert.deepEqual(
      Object.keys(committed).filter((key) => !(key in strings)),
      [],
      'strings in l10n/bundle.l10n.json no longer in src/',
    );
  });

  for (const language of SHIPPED_LANGUAGES) {
    test(`l10n/bundle.l10n.${language}.json translates every runtime string`, async () => {
      const file = path.join(l10nDir, `bundle.l10n.${language}.json`);
      assert.ok(fs.existsSync(file), `bundle.l10n.${language}.json is shipped`);
      compareTranslation(await exportStrings(), readJson(file), `bundle.l10n.${language}.json`);
    });
  }
});
