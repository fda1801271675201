import type { KnowledgeNote, SessionMessage } from './models';

/** Markdown for the read-only documents the extension opens (knowledge notes, conversations); the audit log's is in auditLog.ts. */

export function knowledgeNoteMarkdown(note: KnowledgeNote): string {
  return [
    `# ${note.name}`,
    '',
    `**Trigger:** ${note.trigger || '(none)'}  `,
    note.folderPath ? `**Folder:** ${note.folderPath}  ` : undefined,
    `**Enabled:** ${note.isEnabled ? 'yes' : 'no'}  `,
    `**Id:** \`${note.id}\``,
    '',
    '---',
    '',
    note.body,
    '',
  ]
    .filter((line) => line !== undefined)
    .join('\n');
}

function isoMinute(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ');
}

/** A session's messages as a transcript, oldest first, Devin's and the user's told apart. */
export function conversationMarkdown(
  title: string,
  sessionUrl: string | undefined,
  messages: readonly SessionMessage[],
  truncated: boolean,
): string {
  const lines = [`# ${title}`, ''];
  if (sessionUrl) lines.push(`[Open in Devin](${encodeURI(sessionUrl)})`, '');
  if (truncated) lines.push('_Only the first messages are shown; open the session in Devin for the rest._', '');
  if (messages.length === 0) lines.push('No messages yet.', '');
  for (const message of messages) {
    const who = message.source === 'devin' ? 'Devin' : message.source === 'user' ? 'You' : message.source;
    const when = message.createdAt !== undefined ? ` · ${isoMinute(message.createdAt)} UTC` : '';
    lines.push(`### ${who}${when}`, '', message.message, '');
  }
  return lines.join('\n');
}
