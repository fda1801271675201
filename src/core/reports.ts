import type { AuditLogEntry, KnowledgeNote, SessionMessage } from './models';

/** Markdown for the read-only documents the extension opens (audit log, knowledge notes). */

export function auditLogMarkdown(
  entries: readonly AuditLogEntry[],
  window: { readonly from: number; readonly to: number },
  truncated: boolean,
): string {
  const lines = [
    '# Devin audit log',
    '',
    `${entries.length} event${entries.length === 1 ? '' : 's'} from ${isoMinute(window.from)} to ${isoMinute(window.to)} UTC, newest first.${truncated ? ' Only the most recent events are shown.' : ''}`,
    '',
  ];
  if (entries.length === 0) return [...lines, 'No events in this window.', ''].join('\n');
  lines.push('| Time (UTC) | Action | Who | Organization |', '| --- | --- | --- | --- |');
  for (const entry of entries) {
    const who = entry.userEmail ?? entry.serviceUserName ?? entry.userId ?? entry.serviceUserId ?? '';
    lines.push(
      `| ${entry.createdAt !== undefined ? isoMinute(entry.createdAt) : ''} | ${cell(entry.action)} | ${cell(who)} | ${cell(entry.orgId ?? '')} |`,
    );
  }
  return [...lines, ''].join('\n');
}

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

/** Table cells cannot hold pipes or line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
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

export interface BroadcastRow {
  readonly organizationName: string;
  readonly organizationId: string;
  /** `uncertain`: the request was sent and its answer lost, so the session may exist. */
  readonly result: 'created' | 'uncertain' | 'failed';
  readonly sessionUrl?: string;
  readonly sessionLabel?: string;
  readonly reason?: string;
  /** The prompt was kept as a draft for this organization, for Retry Unsent. */
  readonly kept: boolean;
}

/** The per-organization outcome of "send a prompt to every organization". */
export function broadcastReportMarkdown(prompt: string, rows: readonly BroadcastRow[], at: number): string {
  const count = (result: BroadcastRow['result']) => rows.filter((row) => row.result === result).length;
  const summary = [
    `${count('created')} of ${rows.length} session${rows.length === 1 ? '' : 's'} started`,
    count('uncertain') ? `${count('uncertain')} may have been created` : undefined,
    count('failed') ? `${count('failed')} failed` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const lines = [
    '# Prompt sent to every organization',
    '',
    `${isoMinute(Math.floor(at / 1000))} UTC: ${summary}.`,
    '',
    `> ${firstPromptLine(prompt)}`,
    '',
    '| Organization | Result | Session or reason |',
    '| --- | --- | --- |',
  ];
  for (const row of rows) {
    const result =
      row.result === 'created'
        ? 'Started'
        : row.result === 'uncertain'
          ? 'May have been created'
          : row.kept
            ? 'Failed (kept for Retry Unsent)'
            : 'Failed';
    const detail =
      row.result === 'created'
        ? row.sessionUrl
          ? `[${cell(row.sessionLabel ?? row.sessionUrl)}](${encodeURI(row.sessionUrl)})`
          : cell(row.reason ?? 'Created; refresh the view to see it.')
        : cell(row.reason ?? '');
    lines.push(`| ${cell(row.organizationName)} (\`${cell(row.organizationId)}\`) | ${result} | ${detail} |`);
  }
  if (rows.some((row) => row.result === 'uncertain'))
    lines.push(
      '',
      'Where a session may have been created, Retry Unsent first looks for it and opens it instead of starting another.',
    );
  return [...lines, ''].join('\n');
}

function firstPromptLine(prompt: string): string {
  const line = prompt.trim().split(/\r?\n/)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
