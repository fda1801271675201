import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clearClipboardLater, TOKEN_CLIPBOARD_MS, type Clipboard } from '../../src/core/clipboardExpiry';

/** A copied token leaves the clipboard after a minute, unless the user has copied something else since. */

function fakeClipboard(initial: string): Clipboard & { text: string; writes: string[] } {
  const clipboard = {
    text: initial,
    writes: [] as string[],
    readText: async () => clipboard.text,
    writeText: async (text: string) => {
      clipboard.writes.push(text);
      clipboard.text = text;
    },
  };
  return clipboard;
}

/** A timer that runs only when the test says so, remembering the delay it was asked for. */
function manualTimer(): { set: (run: () => void, ms: number) => () => void; fire: () => void; delays: number[] } {
  let pending: (() => void) | undefined;
  const delays: number[] = [];
  return {
    delays,
    set: (run, ms) => {
      pending = run;
      delays.push(ms);
      return () => (pending = undefined);
    },
    fire: () => pending?.(),
  };
}

test('the token is cleared after 60 seconds when the clipboard still holds it', async () => {
  const clipboard = fakeClipboard('cog_newServiceUserToken');
  const timer = manualTimer();
  const scheduled = clearClipboardLater(clipboard, 'cog_newServiceUserToken', undefined, timer.set);
  assert.deepEqual(timer.delays, [TOKEN_CLIPBOARD_MS]);
  assert.equal(TOKEN_CLIPBOARD_MS, 60_000);
  assert.deepEqual(clipboard.writes, [], 'nothing happens before the time is up');
  timer.fire();
  assert.equal(await scheduled.done, true);
  assert.equal(clipboard.text, '');
});

test('whatever the user copied since is left alone', async () => {
  const clipboard = fakeClipboard('cog_newServiceUserToken');
  const timer = manualTimer();
  const scheduled = clearClipboardLater(clipboard, 'cog_newServiceUserToken', 5_000, timer.set);
  clipboard.text = 'git push origin main';
  timer.fire();
  assert.equal(await scheduled.done, false);
  assert.equal(clipboard.text, 'git push origin main');
  assert.deepEqual(clipboard.writes, []);
});

test('cancelled, it never touches the clipboard; a clipboard that fails is not an error', async () => {
  const clipboard = fakeClipboard('cog_newServiceUserToken');
  const timer = manualTimer();
  const scheduled = clearClipboardLater(clipboard, 'cog_newServiceUserToken', 5_000, timer.set);
  scheduled.cancel();
  timer.fire();
  assert.equal(await scheduled.done, false);
  assert.equal(clipboard.text, 'cog_newServiceUserToken');

  const broken: Clipboard = { readText: () => Promise.reject(new Error('no clipboard')), writeText: async () => {} };
  const failing = clearClipboardLater(broken, 'cog_x', 5_000, timer.set);
  timer.fire();
  assert.equal(await failing.done, false);
});
