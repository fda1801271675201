import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectPages } from '../../src/core/paging';
import { DraftStore, type Draft, type MessageDraft, type SessionDraft } from '../../src/core/drafts';
import { checkTokenShape, describeTokenProblem } from '../../src/core/tokenShape';

test('drafts are kept newest first, replaced by id, removed when sent, and capped', async () => {
  let stored: readonly Draft[] = [];
  let clock = 1000;
  const drafts = new DraftStore({ read: () => stored, write: (all) => void (stored = all) }, () => clock++);
  const first = await drafts.save<SessionDraft>({
    kind: 'session',
    orgId: 'org-1',
    prompt: 'Fix it',
    lastError: 'network',
  });
  const second = await drafts.save<MessageDraft>({
    kind: 'message',
    orgId: 'org-1',
    sessionId: 'devin-1',
    sessionLabel: 'S',
    message: 'hi\nthere',
    lastError: 'rateLimited',
  });
  assert.deepEqual(
    drafts.list().map((draft) => draft.id),
    [second.id, first.id],
  );
  await drafts.save<SessionDraft>({
    kind: 'session',
    id: first.id,
    orgId: 'org-1',
    prompt: 'Fix it',
    lastError: 'unauthorized',
  });
  assert.equal(drafts.list().length, 2);
  assert.equal((drafts.get(first.id) as SessionDraft).lastError, 'unauthorized');
  await drafts.remove(second.id);
  assert.deepEqual(
    drafts.list().map((draft) => draft.id),
    [first.id],
  );
  for (let index = 0; index < 30; index++)
    await drafts.save<SessionDraft>({ kind: 'session', orgId: undefined, prompt: `p${index}`, lastError: 'x' });
  assert.equal(drafts.list().length, 20);
});

test('token shape: empty, legacy apk_ keys, whitespace and wrong prefixes are explained', () => {
  assert.equal(checkTokenShape(''), 'empty');
  assert.equal(checkTokenShape('apk_user_abc'), 'legacyKey');
  assert.equal(checkTokenShape('apk_abc'), 'legacyKey');
  assert.equal(checkTokenShape('cog_abc def'), 'whitespace');
  assert.equal(checkTokenShape('sk-abc'), 'unexpectedPrefix');
  assert.equal(checkTokenShape('  cog_abc  '), undefined);
  assert.match(describeTokenProblem('legacyKey'), /v1.*not accepted by v3/);
});

test('token shape: a character no key holds (an ellipsis from a copy, a NUL, a line break) is named, not sent', () => {
  assert.equal(checkTokenShape('cog_abcdef…'), 'invalidCharacter');
  assert.equal(checkTokenShape('cog_abc\u0000def'), 'invalidCharacter');
  assert.equal(checkTokenShape('cog_abc\ndef'), 'invalidCharacter');
  assert.equal(checkTokenShape('cog_abc\u00a0def'), 'invalidCharacter');
  assert.equal(checkTokenShape('cog_abcdef\n'), undefined, 'a line break at the end is trimmed, not refused');
  assert.equal(
    describeTokenProblem('invalidCharacter', 'cog_abcdef…'),
    'The token contains a character that cannot be part of a key ("…" U+2026); copy it again.',
  );
  assert.equal(
    describeTokenProblem('invalidCharacter', 'cog_abc\u0000def'),
    'The token contains a character that cannot be part of a key (U+0000); copy it again.',
  );
  assert.match(describeTokenProblem('invalidCharacter', 'cog_a\nb'), /\(U\+000A\)/);
});

test('collectPages follows cursors to the last page, or stops at the limit and says so', async () => {
  const pages: Record<string, { items: number[]; nextCursor: string | undefined; total: undefined }> = {
    start: { items: [1, 2], nextCursor: 'b', total: undefined },
    b: { items: [3, 4], nextCursor: 'c', total: undefined },
    c: { items: [5], nextCursor: undefined, total: undefined },
  };
  const asked: (string | undefined)[] = [];
  const fetchPage = async (after: string | undefined) => {
    asked.push(after);
    return pages[after ?? 'start'];
  };
  const counts: number[] = [];
  const all = await collectPages(fetchPage, 100, (count) => counts.push(count));
  assert.deepEqual(all, { items: [1, 2, 3, 4, 5], truncated: false, stop: 'end' });
  assert.deepEqual(asked, [undefined, 'b', 'c']);
  assert.deepEqual(counts, [2, 4, 5]);
  const limited = await collectPages(fetchPage, 3);
  assert.deepEqual(limited, { items: [1, 2, 3, 4], truncated: true, stop: 'limit' });
});
