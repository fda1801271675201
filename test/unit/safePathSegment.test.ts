import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { isInside, safePathSegment } from '../../src/core/safePathSegment';

/** Names and ids from the server become one harmless file-name segment, and a joined path stays in its folder. */

describe('safePathSegment', () => {
  test('directory parts, absolute paths and drive letters leave only the last name', () => {
    assert.equal(safePathSegment('../../somewhere/notes.txt'), 'notes.txt');
    assert.equal(safePathSegment('..\\..\\somewhere\\notes.txt'), 'notes.txt');
    assert.equal(safePathSegment('/etc/passwd'), 'passwd');
    assert.equal(safePathSegment('C:\\Windows\\win.ini'), 'win.ini');
    assert.equal(safePathSegment('C:x'), 'x');
    assert.equal(safePathSegment('\\\\server\\share\\report.pdf'), 'report.pdf');
    assert.equal(safePathSegment('a/b\\c'), 'c');
  });

  test('dots alone, leading dots and trailing dots or spaces are removed', () => {
    assert.equal(safePathSegment('..'), 'file');
    assert.equal(safePathSegment('.'), 'file');
    assert.equal(safePathSegment('../'), 'file');
    assert.equal(safePathSegment('.bashrc'), 'bashrc');
    assert.equal(safePathSegment('. .hidden'), 'hidden');
    assert.equal(safePathSegment('report.pdf. . '), 'report.pdf');
    assert.equal(safePathSegment('  notes.txt  '), 'notes.txt');
  });

  test('control characters, bidirectional overrides and characters Windows refuses are made harmless', () => {
    assert.equal(safePathSegment('no\u0000tes\n.txt'), 'notes.txt');
    assert.equal(safePathSegment('evil\u202Etxt.exe'), 'eviltxt.exe');
    assert.equal(safePathSegment('a<b>c:d"e|f?g*h.txt'), 'a_b_c_d_e_f_g_h.txt');
    assert.equal(safePathSegment('file.txt:stream'), 'file.txt_stream');
  });

  test('Windows device names, with or without an extension, get a prefix', () => {
    for (const name of ['CON', 'prn', 'Aux', 'nul', 'COM1', 'com9', 'LPT1', 'lpt9', 'COM¹', 'CONIN$', 'conout$'])
      assert.equal(safePathSegment(name), `_${name}`, name);
    assert.equal(safePathSegment('nul.txt'), '_nul.txt');
    assert.equal(safePathSegment('CON.tar.gz'), '_CON.tar.gz');
    assert.equal(safePathSegment('nul .txt'), '_nul .txt');
    assert.equal(safePathSegment('../x/aux.patch'), '_aux.patch');
    // Only the exact device names: longer names that start like one are ordinary files.
    assert.equal(safePathSegment('console.log'), 'console.log');
    assert.equal(safePathSegment('com10'), 'com10');
    assert.equal(safePathSegment('nullable.ts'), 'nullable.ts');
  });

  test('nothing left falls back to the default, itself made safe', () => {
    assert.equal(safePathSegment(''), 'file');
    assert.equal(safePathSegment(undefined), 'file');
    assert.equal(safePathSegment(null, 'attachment'), 'attachment');
    assert.equal(safePathSegment('///', 'attachment'), 'attachment');
    assert.equal(safePathSegment('\u0000\u0001', 'attachment'), 'attachment');
    assert.equal(safePathSegment('', '../nul'), '_nul');
    assert.equal(safePathSegment(42), '42');
  });

  test('a long name is shortened to at most 200 bytes of UTF-8, keeping its extension and whole characters', () => {
    const long = safePathSegment(`${'a'.repeat(5000)}.patch`);
    assert.equal(Buffer.byteLength(long), 200);
    assert.match(long, /^a+\.patch$/);
    const wide = safePathSegment(`${'€'.repeat(300)}.txt`);
    assert.ok(Buffer.byteLength(wide) <= 200, `${Buffer.byteLength(wide)} bytes`);
    assert.match(wide, /^€+\.txt$/);
    const emoji = safePathSegment('😀'.repeat(300));
    assert.ok(Buffer.byteLength(emoji) <= 200);
    assert.match(emoji, /^(😀)+$/u, 'no surrogate pair cut in half');
    assert.equal(safePathSegment('notes.txt'), 'notes.txt');
  });

  test('whatever it is given, the result is one segment that joins inside its folder', () => {
    const samples = ['../../x', '..', '...', 'C:..\\..', '/..', 'a/../..', '\\\\?\\C:\\x', 'nul', '\u0000..', '. . .'];
    for (const sample of samples) {
      const segment = safePathSegment(sample);
      assert.ok(segment.length > 0 && !/[\\/]/.test(segment) && segment !== '.' && segment !== '..', sample);
      assert.ok(isInside('/tmp/folder', path.posix.join('/tmp/folder', segment), path.posix), sample);
      assert.ok(isInside('C:\\tmp\\folder', path.win32.join('C:\\tmp\\folder', segment), path.win32), sample);
    }
  });
});

describe('isInside', () => {
  test('a file in the folder or below it is inside; the folder itself, its parent and siblings are not', () => {
    assert.equal(isInside('/tmp/a', '/tmp/a/b.txt', path.posix), true);
    assert.equal(isInside('/tmp/a', '/tmp/a/b/c.txt', path.posix), true);
    assert.equal(isInside('/tmp/a', '/tmp/a/..b', path.posix), true);
    assert.equal(isInside('/tmp/a', '/tmp/a', path.posix), false);
    assert.equal(isInside('/tmp/a', '/tmp/a/../b.txt', path.posix), false);
    assert.equal(isInside('/tmp/a', '/tmp/ab/c.txt', path.posix), false);
    assert.equal(isInside('/tmp/a', '/etc/passwd', path.posix), false);
  });

  test('on Windows, another drive or a UNC path is outside, and case does not matter', () => {
    assert.equal(isInside('C:\\tmp\\a', 'C:\\tmp\\a\\b.txt', path.win32), true);
    assert.equal(isInside('C:\\tmp\\a', 'c:\\TMP\\A\\b.txt', path.win32), true);
    assert.equal(isInside('C:\\tmp\\a', 'D:\\tmp\\a\\b.txt', path.win32), false);
    assert.equal(isInside('C:\\tmp\\a', '\\\\server\\share\\b.txt', path.win32), false);
    assert.equal(isInside('C:\\tmp\\a', 'C:\\tmp\\a\\..\\b.txt', path.win32), false);
  });
});
