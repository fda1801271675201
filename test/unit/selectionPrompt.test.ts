import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildSelectionPrompt,
  fenceFor,
  firstLine,
  redactUrlCredentials,
  truncateSelection,
  type CodeSelection,
} from '../../src/core/selectionPrompt';

const selection: CodeSelection = {
  relativePath: 'src/math/add.ts',
  startLine: 10,
  endLine: 12,
  languageId: 'typescript',
  code: 'export function add(a: number, b: number) {\n  return a - b;\n}\n',
  git: { remoteUrl: 'https://alice:ghp_secret@github.com/acme/calc.git', branch: 'main', commit: '0123abc' },
};

test('the prompt carries the instruction, path, 1-based range, language, git location and fenced code', () => {
  const prompt = buildSelectionPrompt('  Fix the bug  ', selection);
  const lines = prompt.split('\n');
  assert.equal(lines[0], 'Fix the bug');
  assert.ok(lines.includes('- File: src/math/add.ts'));
  assert.ok(lines.includes('- Lines: 10-12'));
  assert.ok(lines.includes('- Language: typescript'));
  assert.ok(lines.includes('- Repository: https://github.com/acme/calc.git'), 'credentials in the remote are removed');
  assert.ok(lines.includes('- Branch: main'));
  assert.ok(lines.includes('- Commit: 0123abc'));
  assert.ok(prompt.includes('```typescript\nexport function add(a: number, b: number) {\n  return a - b;\n}\n```'));
  assert.ok(!prompt.includes('ghp_secret'));
});

test('a single line reads as one number and git lines are left out when unknown', () => {
  const prompt = buildSelectionPrompt('Explain', { ...selection, startLine: 7, endLine: 7, git: undefined });
  assert.ok(prompt.includes('- Lines: 7\n'));
  assert.ok(!prompt.includes('Repository'));
});

test('the fence is longer than any backtick run in the code', () => {
  assert.equal(fenceFor('no ticks'), '```');
  assert.equal(fenceFor('a ```` b'), '`````');
  const prompt = buildSelectionPrompt('Look', { ...selection, languageId: 'markdown', code: '```js\nx\n```' });
  assert.ok(prompt.includes('````markdown\n```js\nx\n```\n````'));
});

test('truncation keeps whole lines, moves the end line and says how much was cut', () => {
  const code = Array.from({ length: 100 }, (_, index) => `line ${index + 1}`).join('\n');
  const truncated = truncateSelection({ ...selection, startLine: 1, endLine: 100, code }, 50);
  assert.equal(truncated.startLine, 1);
  assert.ok(truncated.endLine < 100 && truncated.endLine > 1);
  const keptLines = truncated.code.split('\n');
  assert.equal(keptLines[truncated.endLine - 1], `line ${truncated.endLine}`);
  assert.match(truncated.code, new RegExp(`… \\(${100 - truncated.endLine} more lines not included\\)$`));
  assert.equal(truncateSelection(selection, 10_000), selection, 'small selections are untouched');
});

test('helpers: credentials stripped from URLs, first non-empty line', () => {
  assert.equal(redactUrlCredentials('ssh://git@github.com/a/b'), 'ssh://github.com/a/b');
  assert.equal(redactUrlCredentials('git@github.com:a/b.git'), 'git@github.com:a/b.git');
  assert.equal(firstLine('\n\n  Fix it \nmore'), 'Fix it');
});
