import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * What the user and the log saw during a cell. Every error the extension shows goes through one
 * function that also writes it to the "Devin" log channel, so the log file is where a test can read
 * the messages that were shown, without stubbing `vscode.window`.
 */

/** The user data directory of the VS Code this extension host belongs to, from the process tree. */
function userDataDirs(): string[] {
  const dirs: string[] = [];
  let pid: number | undefined = process.pid;
  for (let depth = 0; depth < 4 && pid && pid > 1; depth++) {
    try {
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      for (const flag of ['--user-data-dir', '--logsPath', '--server-data-dir']) {
        const index = args.indexOf(flag);
        if (index >= 0 && args[index + 1]) dirs.push(args[index + 1] as string);
        const joined = args.find((arg) => arg.startsWith(`${flag}=`));
        if (joined) dirs.push(joined.slice(flag.length + 1));
      }
      const status: string = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      pid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
    } catch {
      break;
    }
  }
  return dirs;
}

function newestFileNamed(root: string, name: string): string | undefined {
  let best: { file: string; mtime: number } | undefined;
  const visit = (dir: string, depth: number) => {
    if (depth > 8) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full, depth + 1);
      else if (entry.name === name || entry.name.endsWith(`-${name}`)) {
        const mtime = fs.statSync(full).mtimeMs;
        if (!best || mtime > best.mtime) best = { file: full, mtime };
      }
    }
  };
  try {
    visit(root, 0);
  } catch {
    return undefined;
  }
  return best?.file;
}

/** The extension's log file, found once it has been written to; undefined where it cannot be found. */
export function findExtensionLog(): string | undefined {
  for (const dir of userDataDirs()) {
    const file = newestFileNamed(dir, 'Devin.log');
    if (file) return file;
  }
  return undefined;
}

export class LogTail {
  private offset = 0;

  constructor(private readonly file: string | undefined) {
    this.skipToEnd();
  }

  get available(): boolean {
    return this.file !== undefined;
  }

  skipToEnd(): void {
    this.offset = this.file ? (fs.statSync(this.file, { throwIfNoEntry: false })?.size ?? 0) : 0;
  }

  /** Text written since the last call. */
  read(): string {
    if (!this.file) return '';
    const size = fs.statSync(this.file, { throwIfNoEntry: false })?.size ?? 0;
    if (size <= this.offset) return '';
    const handle = fs.openSync(this.file, 'r');
    try {
      const buffer = Buffer.alloc(size - this.offset);
      fs.readSync(handle, buffer, 0, buffer.length, this.offset);
      this.offset = size;
      return buffer.toString('utf8');
    } finally {
      fs.closeSync(handle);
    }
  }
}

/** Lines the extension logged as errors or warnings: the messages it showed. */
export function shownLines(logText: string): string[] {
  return logText
    .split('\n')
    .filter((line) => /\[(error|warning)\]/.test(line))
    .map((line) => line.replace(/^.*?\[(error|warning)\]\s*/, ''));
}
