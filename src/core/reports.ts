import * as l10n from '@vscode/l10n';
import type { KnowledgeNote, SessionMessage } from './models';

/** Markdown for the read-only documents the extension opens (knowledge notes, conversations); the audit log's is in auditLog.ts. */

export function knowledgeNoteMarkdown(note: KnowledgeNote): string {
  return [
    `# ${note.name}`,
    '',
    `**${l10n.t('Trigger:')}** ${note.trigger || l10n.t('(none)')}  `,
    note.folderPath ? `**${l10n.t('Folder:')}** ${note.folderPath}  ` : undefined,
    `**${l10n.t('Enabled:')}** ${note.isEnabled ? l10n.t('yes') : l10n.t('no')}  `,
    `**${l10n.t('Id:')}** \`${note.id}\``,
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
  if (sessionUrl) lines.push(`[${l10n.t('Open in Devin')}](${encodeURI(sessionUrl)})`, '');
  if (truncated)
    lines.push(`_${l10n.t('Only the first messages are shown; open the session in Devin for the rest.')}_`, '');
  if (messages.length === 0) lines.push(l10n.t('No messages yet.'), '');
  for (const message of messages) {
    const who = message.source === 'devin' ? 'Devin' : message.source === 'user' ? l10n.t('You') : message.source;
    const when = message.createdAt !== undefined ? ` · ${l10n.t('{0} UTC', isoMinute(message.createdAt))}` : '';
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
    rows.length === 1
      ? l10n.t('{0} of 1 session started', count('created'))
      : l10n.t('{0} of {1} sessions started', count('created'), rows.length),
    count('uncertain') ? l10n.t('{0} may have been created', count('uncertain')) : undefined,
    count('failed') ? l10n.t('{0} failed', count('failed')) : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const lines = [
    `# ${l10n.t('Prompt sent to every organization')}`,
    '',
    l10n.t('{0} UTC: {1}.', isoMinute(Math.floor(at / 1000)), summary),
    '',
    `> ${firstPromptLine(prompt)}`,
    '',
    `| ${l10n.t('Organization')} | ${l10n.t('Result')} | ${l10n.t('Session or reason')} |`,
    '| --- | --- | --- |',
  ];
  for (const row of rows) {
    const result =
      row.result === 'created'
        ? l10n.t('Started')
        : row.result === 'uncertain'
          ? l10n.t('May have been created')
          : row.kept
            ? l10n.t('Failed (kept for Retry Unsent)')
            : l10n.t('Failed');
    const detail =
      row.result === 'created'
        ? row.sessionUrl
          ? `[${cell(row.sessionLabel ?? row.sessionUrl)}](${encodeURI(row.sessionUrl)})`
          : cell(row.reason ?? l10n.t('Created; refresh the view to see it.'))
        : cell(row.reason ?? '');
    lines.push(`| ${cell(row.organizationName)} (\`${cell(row.organizationId)}\`) | ${result} | ${detail} |`);
  }
  if (rows.some((row) => row.result === 'uncertain'))
    lines.push(
      '',
      l10n.t(
        'Where a session may have been created, Retry Unsent first looks for it and opens it instead of starting another.',
      ),
    );
  return [...lines, ''].join('\n');
}

/** Table cells cannot hold pipes or line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function firstPromptLine(prompt: string): string {
  const line = prompt.trim().split(/\r?\n/)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
