/**
 * When the next automatic refresh happens. Healthy: every `baseSeconds`. After failures the interval
 * doubles up to `maxSeconds`, so a down API or a rate limit is not hammered by every open window.
 */
export class RefreshSchedule {
  private consecutiveFailures = 0;

  constructor(
    private readonly baseSeconds: number,
    private readonly maxSeconds: number = Math.max(baseSeconds, 600),
  ) {}

  /** Zero or less means automatic refresh is off. */
  get enabled(): boolean {
    return this.baseSeconds > 0;
  }

  get failures(): number {
    return this.consecutiveFailures;
  }

  nextDelayMs(): number {
    const seconds = Math.min(this.maxSeconds, this.baseSeconds * 2 ** this.consecutiveFailures);
    return Math.round(seconds * 1000);
  }

  recordSuccess(): void {
    this.consecutiveFailures = 0;
  }

  recordFailure(): void {
    this.consecutiveFailures = Math.min(this.consecutiveFailures + 1, 16);
  }
}
