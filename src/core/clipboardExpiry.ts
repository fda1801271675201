/**
 * A one-time token copied for the user should not sit on the clipboard for as long as the machine runs, where
 * any program or a later paste can pick it up. After a while it is cleared, but only if the clipboard still
 * holds that token: whatever the user copied since is theirs and is left alone.
 */

/** How long a copied token stays on the clipboard. */
export const TOKEN_CLIPBOARD_MS = 60_000;

export interface Clipboard {
  readText(): PromiseLike<string>;
  writeText(text: string): PromiseLike<void>;
}

export interface ScheduledClear {
  /** Settles once the time is up: true if the token was still there and was cleared. */
  readonly done: Promise<boolean>;
  /** Stops the timer without touching the clipboard (and `done` settles with false). */
  cancel(): void;
}

/** `setTimer` is injectable so tests need not wait; it answers a function that cancels the timer. */
export function clearClipboardLater(
  clipboard: Clipboard,
  secret: string,
  delayMs: number = TOKEN_CLIPBOARD_MS,
  setTimer: (run: () => void, ms: number) => () => void = realTimer,
): ScheduledClear {
  let settle: (cleared: boolean) => void = () => undefined;
  const done = new Promise<boolean>((resolve) => (settle = resolve));
  const stop = setTimer(() => {
    void clearIfStillThere(clipboard, secret).then(settle, () => settle(false));
  }, delayMs);
  return {
    done,
    cancel: () => {
      stop();
      settle(false);
    },
  };
}

async function clearIfStillThere(clipboard: Clipboard, secret: string): Promise<boolean> {
  if ((await clipboard.readText()) !== secret) return false;
  await clipboard.writeText('');
  return true;
}

function realTimer(run: () => void, ms: number): () => void {
  const timer = setTimeout(run, ms);
  // A pending clear must not keep a process (a test run, a shutting-down host) alive on its own.
  timer.unref?.();
  return () => clearTimeout(timer);
}
