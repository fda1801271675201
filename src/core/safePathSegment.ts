import * as path from 'node:path';

/**
 * Names and ids chosen by the server (an attachment's name and id, a session id, a filter in a suggested file
 * name) end up in paths on the user's disk. A compromised or impersonated server must not be able to pick the
 * folder: every such value becomes exactly one harmless segment here, on every platform the extension runs on,
 * and the joined path is then checked to lie inside the folder it was meant for.
 */

/** Comfortably below the 255-byte limit of common file systems, leaving room for a prefix or a counter. */
const MAX_SEGMENT_BYTES = 200;
/** An extension longer than this is not worth keeping whole when a name must be shortened. */
const MAX_KEPT_EXTENSION = 16;

/**
 * C0 and C1 controls, and the bidirectional overrides that make `evil‮txt.exe` read as `evilexe.txt`:
 * invisible in a file name and never needed there.
 */
const INVISIBLE = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
/** Characters Windows refuses in a file name (the slashes are handled before, as directory separators). */
const WINDOWS_INVALID = /[<>:"|?*]/g;
/**
 * Device names Windows opens instead of a file, with or without an extension (`NUL.txt` is the null device too,
 * and so is `nul .txt`); the superscript digits count as digits there.
 */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\s*\..*)?$/i;

/**
 * Reduces `raw` to one file-name segment: no directory parts (`../`, `..\`, `/abs`, `C:\`, `C:x`), no leading
 * dots, no control or Windows-invalid characters, no trailing dots or spaces, no device name, at most
 * MAX_SEGMENT_BYTES of UTF-8; `fallback` (made safe the same way) when nothing usable is left.
 */
export function safePathSegment(raw: string | number | undefined | null, fallback = 'file'): string {
  return cleanSegment(raw) || cleanSegment(fallback) || 'file';
}

function cleanSegment(raw: string | number | undefined | null): string {
  const text = String(raw ?? '').replace(INVISIBLE, '');
  // The last part after any separator: `../../x/notes.txt` and `C:\Users\x\notes.txt` both name `notes.txt`.
  const last = text.split(/[\\/]/).pop() ?? '';
  const segment = capLength(
    last
      .replace(/^[A-Za-z]:/, '')
      .replace(WINDOWS_INVALID, '_')
      .replace(/^[\s.]+/, '')
      .replace(/[\s.]+$/, ''),
  );
  return WINDOWS_RESERVED.test(segment) ? `_${segment}` : segment;
}

/** Keeps the extension (when short) and shortens the stem, by whole characters, until the UTF-8 fits. */
function capLength(segment: string): string {
  if (Buffer.byteLength(segment, 'utf8') <= MAX_SEGMENT_BYTES) return segment;
  const dot = segment.lastIndexOf('.');
  const extension = dot > 0 && segment.length - dot <= MAX_KEPT_EXTENSION ? segment.slice(dot) : '';
  // No UTF-16 unit takes less than a byte, so one more than the limit is enough to work on; a pair cut in two at
  // the end is the first character dropped below.
  const stem = Array.from((extension ? segment.slice(0, dot) : segment).slice(0, MAX_SEGMENT_BYTES + 1));
  const budget = MAX_SEGMENT_BYTES - Buffer.byteLength(extension, 'utf8');
  while (stem.length > 0 && Buffer.byteLength(stem.join(''), 'utf8') > budget) stem.pop();
  return `${stem.join('').replace(/[\s.]+$/, '')}${extension}`;
}

/**
 * Whether `file` lies strictly inside `folder` once both are resolved: the last check before writing, so a path
 * built from server data can never land beside or above the folder it was meant for. `paths` is the platform's
 * path module (tests pass `path.win32` or `path.posix`).
 */
export function isInside(folder: string, file: string, paths: path.PlatformPath = path): boolean {
  const relative = paths.relative(paths.resolve(folder), paths.resolve(file));
  if (!relative || paths.isAbsolute(relative)) return false;
  const first = relative.split(paths.sep)[0];
  return first !== '..';
}
