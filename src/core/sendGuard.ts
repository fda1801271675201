/**
 * One send in flight per target. A second press of Ctrl+Enter, a second Retry of the same draft or a
 * second run of a create with the same target, while the first is still on its way, must not send again:
 * the caller is told it is already sending instead.
 */
export class SendGuard {
  private readonly inFlight = new Set<string>();

  /** Runs `send` unless one for `key` is already running; then resolves to `alreadySending` without running it. */
  async run<T, A>(key: string, send: () => Promise<T>, alreadySending: () => A): Promise<T | A> {
    if (this.inFlight.has(key)) return alreadySending();
    this.inFlight.add(key);
    try {
      return await send();
    } finally {
      this.inFlight.delete(key);
    }
  }

  isSending(key: string): boolean {
    return this.inFlight.has(key);
  }
}

/** A key for "the same thing sent to the same place"; parts are joined so that no two lists collide. */
export function sendKey(kind: string, ...parts: ReadonlyArray<string | undefined>): string {
  return JSON.stringify([kind, ...parts.map((part) => part ?? '')]);
}
