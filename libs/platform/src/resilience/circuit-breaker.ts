/** Thrown instead of calling a dependency whose breaker is open. */
export class CircuitOpenError extends Error {
  constructor(
    readonly dependency: string,
    readonly retryAfterMs: number,
  ) {
    super(`${dependency} is failing; not calling it for another ${Math.ceil(retryAfterMs / 1000)} s`);
    this.name = 'CircuitOpenError';
  }
}

export interface CircuitBreakerOptions {
  /** Consecutive counted failures that open the breaker. */
  failureThreshold: number;
  /** How long it stays open before one trial call is let through (half-open). */
  cooldownMs: number;
  now?: () => number;
}

type State = 'closed' | 'open' | 'half-open';

/**
 * A consecutive-failures circuit breaker: after `failureThreshold` counted failures in a row it fails fast
 * for `cooldownMs`, then lets one trial through; success closes it, failure opens it again. Which errors
 * count is the caller's choice (a timeout counts, a "declined" answer does not). Hand-written rather than
 * opossum because Ficus needs consecutive-failure semantics and the remaining open time (for
 * `Retry-After`), and opossum counts error percentages over a rolling window.
 */
export class CircuitBreaker {
  private state: State = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(
    readonly name: string,
    private readonly options: CircuitBreakerOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  get currentState(): State {
    if (this.state === 'open' && this.remainingOpenMs() === 0) return 'half-open';
    return this.state;
  }

  /** Milliseconds until a trial call is allowed; 0 when calls go through. */
  remainingOpenMs(): number {
    if (this.state !== 'open') return 0;
    return Math.max(0, this.openedAt + this.options.cooldownMs - this.now());
  }

  async run<T>(call: () => Promise<T>, counts: (error: unknown) => boolean): Promise<T> {
    this.admit();
    const trial = this.state === 'half-open';
    try {
      const result = await call();
      this.state = 'closed';
      this.failures = 0;
      return result;
    } catch (error) {
      if (counts(error)) this.recordFailure(trial);
      else if (trial) this.state = 'closed';
      throw error;
    } finally {
      if (trial) this.trialInFlight = false;
    }
  }

  private admit(): void {
    if (this.state === 'closed') return;
    const remaining = this.remainingOpenMs();
    if (this.state === 'open' && remaining > 0) throw new CircuitOpenError(this.name, remaining);
    // Cooldown over: exactly one trial at a time; the others keep failing fast.
    if (this.trialInFlight) throw new CircuitOpenError(this.name, 1000);
    this.state = 'half-open';
    this.trialInFlight = true;
  }

  private recordFailure(trial: boolean): void {
    this.failures += 1;
    if (trial || this.failures >= this.options.failureThreshold) {
      this.state = 'open';
      this.openedAt = this.now();
    }
  }
}
