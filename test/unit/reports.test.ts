import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conversationMarkdown, knowledgeNoteMarkdown } from '../../src/core/reports';

test('conversation: messages oldest first, labelled by who wrote them, with a link to the session', () => {
  const markdown = conversationMarkdown(
    'Fix login',
    'https://app.devin.ai/sessions/1',
    [
      { id: 'e1', source: 'user', message: 'Fix the login bug', createdAt: 1_767_225_600 },
      { id: 'e2', source: 'devin', message: 'On it.', createdAt: undefined },
    ],
    false,
  );
  const you = markdown.indexOf('### You · 2026-01-01 00:00 UTC');
  const devin = markdown.indexOf('### Devin\n');
  assert.ok(you > 0 && devin > you);
  assert.ok(markdown.startsWith('# Fix login\n\n[Open in Devin](https://app.devin.ai/sessions/1)'));
  assert.match(
    conversationMarkdown('Empty', undefined, [], true),
    /Only the first messages are shown[\s\S]*No messages yet\./,
  );
});

test('knowledge note: trigger, folder and body', () => {
  const markdown = knowledgeNoteMarkdown({
    id: 'note-1',
    name: 'Migrations',
    body: 'Run make migrate.',
    trigger: 'When touching db/',
    folderPath: 'backend',
    folderId: undefined,
    pinnedRepo: undefined,
    isEnabled: false,
    updatedAt: undefined,
  });
  assert.ok(markdown.startsWith('# Migrations\n'));
  assert.ok(markdown.includes('**Trigger:** When touching db/'));
  assert.ok(markdown.includes('**Folder:** backend'));
  assert.ok(markdown.includes('**Enabled:** no'));
  assert.ok(markdown.trimEnd().endsWith('Run make migrate.'));
});
