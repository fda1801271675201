import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Session } from '../../src/core/models';
import { toDevinId } from '../../src/core/models';
import {
  formatAcus,
  formatAge,
  sessionDescription,
  sessionLabel,
  sessionTooltipMarkdown,
  shortPullRequestName,
  sortForMessaging,
  statusLook,
} from '../../src/core/sessionPresentation';
import { sessionFixture } from './sessionFixture';

const NOW = 1_800_000_000;

function session(overrides: Partial<Session>): Session {
  return sessionFixture({
    url: 'https://app.devin.ai/sessions/1',
    title: 'Fix login',
    createdAt: NOW - 7200,
    updatedAt: NOW - 60,
    acusConsumed: 3.5,
    ...overrides,
  });
}

test('every documented status and detail has its own look; unknown values show as themselves', () => {
  const looks = [
    statusLook('new', undefined),
    statusLook('claimed', undefined),
    statusLook('running', 'working'),
    statusLook('running', 'waiting_for_user'),
    statusLook('running', 'waiting_for_approval'),
    statusLook('running', 'finished'),
    statusLook('suspended', 'inactivity'),
    statusLook('resuming', undefined),
    statusLook('exit', undefined),
    statusLook('error', undefined),
  ];
  assert.deepEqual(
    looks.map((look) => look.label),
    [
      'Starting',
      'Starting',
      'Working',
      'Waiting for you',
      'Waiting for approval',
      'Finished',
      'Suspended, inactive',
      'Resuming',
      'Ended',
      'Error',
    ],
  );
  assert.equal(statusLook('running', 'waiting_for_user').needsUser, true);
  assert.equal(statusLook('exit', undefined).isTerminal, true);
  assert.equal(statusLook('error', undefined).isTerminal, true);
  assert.equal(statusLook('suspended', undefined).isTerminal, false, 'suspended sessions resume on a message');
  const unknown = statusLook('hibernating', 'dreaming');
  assert.equal(unknown.label, 'Unknown status: hibernating (dreaming)');
  assert.equal(unknown.tone, 'unknown');
  assert.equal(statusLook('suspended', 'brand_new_reason').label, 'Suspended, brand new reason');
});

test('label falls back from title to the prompt line to the id', () => {
  assert.equal(sessionLabel(session({})), 'Fix login');
  assert.equal(sessionLabel(session({ title: undefined }), 'Refactor the parser'), 'Refactor the parser');
  assert.equal(sessionLabel(session({ title: undefined })), 'devin-1');
});

test('a key in a title, a prompt, a tag or the origin is hidden in the label and the tooltip', () => {
  // Built at run time, so the repository's token scan does not take this made-up key for a real one.
  const key = ['cog', 'live', '0123456789abcdef0123456789'].join('_');
  const secret = key.slice('cog_'.length);
  assert.equal(sessionLabel(session({ title: `Rotate ${key} today` })), 'Rotate cog_… today');
  // Hidden before the prompt line is cut: a cut key is no longer recognised, and its first part would show.
  const prompt = `${'Deploy the service again and again '.repeat(2)}with ${key}`;
  assert.doesNotMatch(sessionLabel(session({ title: undefined }), prompt), /0123/);
  const tooltip = sessionTooltipMarkdown(
    session({ title: `Use ${key}`, tags: [`key-${key}`], origin: `ci ${key}` }),
    NOW,
  );
  // Markdown escapes the underscores, so the key is looked for in pieces.
  for (let start = 0; start + 8 <= secret.length; start += 4)
    assert.ok(!tooltip.includes(secret.slice(start, start + 8)), tooltip);
});

test('description joins status, age, ACUs and PR count', () => {
  const pr = { url: 'https://github.com/acme/api/pull/42', state: 'open' };
  assert.equal(sessionDescription(session({ pullRequests: [pr] }), NOW), 'Working · 2h ago · 3.50 ACUs · 1 PR');
  assert.equal(sessionDescription(session({ createdAt: undefined, acusConsumed: undefined }), NOW), 'Working');
});

test('tooltip lists details and links pull requests, escaping markdown in API text', () => {
  const markdown = sessionTooltipMarkdown(
    session({
      title: 'Use *bold* [x](y)',
      pullRequests: [{ url: 'https://github.com/acme/api/pull/42', state: 'merged' }],
    }),
    NOW,
  );
  assert.ok(markdown.includes('[acme/api\\#42](https://github.com/acme/api/pull/42) (merged)'));
  assert.ok(markdown.includes('Use \\*bold\\* \\[x\\]\\(y\\)'));
  assert.ok(markdown.includes('[Open in Devin](https://app.devin.ai/sessions/1)'));
});

test('formatting helpers', () => {
  assert.equal(formatAge(NOW - 30, NOW), 'just now');
  assert.equal(formatAge(NOW - 125, NOW), '2m ago');
  assert.equal(formatAge(NOW - 86_400 * 3, NOW), '3d ago');
  assert.equal(formatAge(NOW - 86_400 * 90, NOW), '3mo ago');
  assert.equal(formatAcus(1), '1.00 ACU');
  assert.equal(formatAcus(12.34), '12.3 ACUs');
  assert.equal(formatAcus(250.6), '251 ACUs');
  assert.equal(shortPullRequestName('https://gitlab.example.com/g/p/-/merge_requests/7'), 'g/p#7');
  assert.equal(toDevinId('abc'), 'devin-abc');
  assert.equal(toDevinId('devin-abc'), 'devin-abc');
});

test('sessions waiting for the user sort first, then the most recently updated', () => {
  const sorted = sortForMessaging([
    session({ id: 'old', updatedAt: NOW - 500 }),
    session({ id: 'waiting', statusDetail: 'waiting_for_user', updatedAt: NOW - 9000 }),
    session({ id: 'recent', updatedAt: NOW - 10 }),
  ]);
  assert.deepEqual(
    sorted.map((item) => item.id),
    ['waiting', 'recent', 'old'],
  );
});
