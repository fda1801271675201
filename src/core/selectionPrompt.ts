import * as l10n from '@vscode/l10n';
/**
 * Builds the prompt for a session started from selected code: the user's instruction first, then
 * where the code lives (file, 1-based lines, language, repository) and the code in a fenced block, so
 * Devin can find the same lines in its own clone.
 */

export interface GitLocation {
  readonly remoteUrl?: string;
  readonly branch?: string;
  readonly commit?: string;
}

export interface CodeSelection {
  /** Workspace-relative, forward slashes. */
  readonly relativePath: string;
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  readonly languageId: string;
  readonly code: string;
  readonly git?: GitLocation;
}

/** Above this many characters a selection is worth a warning before it is sent. */
export const LARGE_SELECTION_CHARS = 20_000;
export const TRUNCATED_SELECTION_CHARS = 12_000;
/**
 * The most a prompt may hold. The API documents no limit, but a prompt is stored in every draft and
 * every session record: a 50 MB selection sent whole would be refused or cost without end, so past
 * this "Send All" is not offered and a longer prompt is not sent.
 */
export const MAX_PROMPT_CHARS = 200_000;

/** Why a prompt cannot be sent as it is, or undefined when it can. */
export function promptTooLong(prompt: string): string | undefined {
  if (prompt.length <= MAX_PROMPT_CHARS) return undefined;
  return l10n.t(
    'The prompt is {0}k characters; at most {1}k can be sent to Devin. Shorten it, or select less code.',
    Math.ceil(prompt.length / 1000),
    MAX_PROMPT_CHARS / 1000,
  );
}

export function buildSelectionPrompt(instruction: string, selection: CodeSelection): string {
  const lines = [
    instruction.trim(),
    '',
    'Context from my editor:',
    `- File: ${selection.relativePath}`,
    `- Lines: ${describeLines(selection.startLine, selection.endLine)}`,
    `- Language: ${selection.languageId}`,
  ];
  const git = selection.git;
  if (git?.remoteUrl) lines.push(`- Repository: ${redactUrlCredentials(git.remoteUrl)}`);
  if (git?.branch) lines.push(`- Branch: ${git.branch}`);
  if (git?.commit) lines.push(`- Commit: ${git.commit}`);
  const fence = fenceFor(selection.code);
  lines.push('', `${fence}${fenceLanguage(selection.languageId)}`, selection.code.replace(/\s+$/, ''), fence);
  return lines.join('\n');
}

export function describeLines(startLine: number, endLine: number): string {
  return startLine === endLine ? `${startLine}` : `${startLine}-${endLine}`;
}

/** A fence longer than any backtick run inside the code, so the block cannot end early. */
export function fenceFor(code: string): string {
  const longestRun = Math.max(0, ...Array.from(code.matchAll(/`+/g), (match) => match[0].length));
  return '`'.repeat(Math.max(3, longestRun + 1));
}

function fenceLanguage(languageId: string): string {
  return /^[A-Za-z0-9_+#.-]+$/.test(languageId) && languageId !== 'plaintext' ? languageId : '';
}

/** Keeps the first lines of a long selection, ending on a whole line, and says how much was cut. */
export function truncateSelection(
  selection: CodeSelection,
  maxChars: number = TRUNCATED_SELECTION_CHARS,
): CodeSelection {
  if (selection.code.length <= maxChars) return selection;
  const cut = selection.code.slice(0, maxChars);
  const lastNewline = cut.lastIndexOf('\n');
  const kept = lastNewline > 0 ? cut.slice(0, lastNewline) : cut;
  const keptLines = kept.split('\n').length;
  const endLine = selection.startLine + keptLines - 1;
  const droppedLines = selection.endLine - endLine;
  return {
    ...selection,
    endLine,
    code: `${kept}\n… (${droppedLines} more line${droppedLines === 1 ? '' : 's'} not included)`,
  };
}

/** `https://user:token@host/repo` must not travel inside a prompt. */
export function redactUrlCredentials(url: string): string {
  return url.replace(/^(\w+:\/\/)[^@/]+@/, '$1');
}

/** The first non-empty line of a prompt, for labels while the API has no title yet. */
export function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((line) => line.trim().length > 0)
      ?.trim() ?? ''
  );
}
