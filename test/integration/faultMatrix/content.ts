import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DevinExtensionApi } from '../../../src/extension';
import type { DevinNode } from '../../../src/views/nodes';

/**
 * What the server-content cells of the fault matrix share: the hostile names they hand the extension, and the
 * ways they look at what the user would see (every row of the expanded tree, token fragments in a text, files a
 * command wrote).
 */

/** One cell's line in test-results/fault-matrix-content.json. */
export interface ContentCell {
  readonly fault: string;
  /** Where the user would see it: the command, view or panel the cell drives. */
  readonly surface: string;
  readonly ok: boolean;
  readonly failures: readonly string[];
  readonly durationMs: number;
}

/**
 * Attachment ids and names a server could choose, each given as both the id and the name of one attachment, and
 * the one harmless path segment each must become below the temporary folder, on every platform.
 */
export const HOSTILE_ATTACHMENT_NAMES: readonly {
  readonly value: string;
  readonly segment: string;
  readonly why: string;
}[] = [
  { value: '../../x/notes.txt', segment: 'notes.txt', why: 'climbs two folders up' },
  { value: '..\\..\\evil.txt', segment: 'evil.txt', why: 'climbs with Windows separators' },
  { value: 'CON', segment: '_CON', why: 'a Windows device name' },
  { value: 'C:x', segment: 'x', why: 'relative to the current folder of drive C:' },
  { value: '/etc/passwd', segment: 'passwd', why: 'an absolute path' },
  { value: 'draft.md. . .', segment: 'draft.md', why: 'trailing dots and spaces, which Windows drops' },
];

export interface ShownRow {
  readonly node: DevinNode;
  readonly item: vscode.TreeItem;
}

/** Every row of the tree, each row that can be expanded expanded, down to `maxDepth` levels below the roots. */
export async function expandedTree(tree: DevinExtensionApi['sessionsTree'], maxDepth = 4): Promise<ShownRow[]> {
  const rows: ShownRow[] = [];
  const visit = async (parent: DevinNode | undefined, depth: number): Promise<void> => {
    for (const node of await tree.getChildren(parent)) {
      const item = await tree.getTreeItem(node);
      rows.push({ node, item });
      const expandable =
        item.collapsibleState !== undefined && item.collapsibleState !== vscode.TreeItemCollapsibleState.None;
      if (expandable && depth < maxDepth) await visit(node, depth + 1);
    }
  };
  await visit(undefined, 0);
  return rows;
}

/** Ids given to more than one row; VS Code refuses to draw a tree that has any. */
export function repeatedIds(rows: readonly ShownRow[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const { item } of rows) {
    if (item.id === undefined) continue;
    if (seen.has(item.id)) repeated.add(item.id);
    seen.add(item.id);
  }
  return [...repeated];
}

/** A row's text as a person reads it: label, description, tooltip and what a screen reader says. */
export function rowTexts(item: vscode.TreeItem): string[] {
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  const tooltip = typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '');
  const description = typeof item.description === 'string' ? item.description : '';
  return [label, description, tooltip, item.accessibilityInformation?.label ?? ''];
}

/**
 * Pieces of the tokens' secret parts found in `text`: eight characters at a time, so a token shown with its
 * underscores escaped (Markdown) or cut short (a tab title) is found too.
 */
export function tokenPieces(text: string, tokens: readonly string[]): string[] {
  return tokens.flatMap((token) => {
    const secret = token.replace(/^cog_/, '');
    const found: string[] = [];
    for (let start = 0; start + 8 <= secret.length; start += 4) {
      const piece = secret.slice(start, start + 8);
      if (text.includes(piece)) found.push(piece);
    }
    return found;
  });
}

/**
 * Files below `dir` changed since `sinceMs` whose text holds `marker`. Folders not changed since then are not
 * entered: a command that wrote outside its folder made a folder, or a file, whose parent changed then.
 */
export function filesHolding(dir: string, marker: string, sinceMs: number, depth = 6): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    const stat = fs.lstatSync(full, { throwIfNoEntry: false });
    if (!stat || stat.mtimeMs < sinceMs) continue;
    if (stat.isDirectory() && depth > 0) found.push(...filesHolding(full, marker, sinceMs, depth - 1));
    else if (stat.isFile() && stat.size < 1_000_000 && readable(full)?.includes(marker)) found.push(full);
  }
  return found;
}

function readable(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
