/**
 * Events for the store and the poller without `vscode`, so both run in plain Node tests. The shape matches
 * `vscode.Event`: a function that takes a listener and returns something with `dispose()`.
 */

export type Event<T> = (listener: (value: T) => void) => { dispose(): void };

export class Emitter<T> {
  private listeners: ((value: T) => void)[] = [];

  readonly event: Event<T> = (listener) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((candidate) => candidate !== listener)) };
  };

  fire(value: T): void {
    // A listener that throws must not keep the others from hearing about the change.
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch {
        // Listeners report their own failures; the store's state is already updated.
      }
    }
  }

  dispose(): void {
    this.listeners = [];
  }
}
