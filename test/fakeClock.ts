import type { Clock } from '../src/store/sessionPoller';

/** Time that moves only when told to; timers fire in order as it passes them. For the poller and the sandbox. */
export class FakeClock implements Clock {
  private timers: { at: number; callback: () => void }[] = [];

  constructor(private time = Date.UTC(2026, 5, 1, 9)) {}

  readonly now = (): number => this.time;

  setTimer(callback: () => void, ms: number): { cancel(): void } {
    const timer = { at: this.time + Math.max(0, ms), callback };
    this.timers.push(timer);
    return { cancel: () => (this.timers = this.timers.filter((candidate) => candidate !== timer)) };
  }

  /** Moves time on by `ms`, firing each due timer at its own time; returns how many fired. */
  advance(ms: number): number {
    const end = this.time + ms;
    let fired = 0;
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.time = Math.max(this.time, due.at);
      due.callback();
      fired++;
    }
    this.time = end;
    return fired;
  }

  /** When the earliest timer fires, if any. */
  nextTimerAt(): number | undefined {
    return this.timers.length ? Math.min(...this.timers.map((timer) => timer.at)) : undefined;
  }
}
