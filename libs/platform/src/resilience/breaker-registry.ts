import { Global, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { forgetBreaker, observeBreaker } from '../metrics/metrics.js';

/** `half-open`: the cooldown is over and the next call is a trial. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** A circuit breaker as readiness, metrics and callers see it. */
export interface BreakerSnapshot {
  state: BreakerState;
  /** Seconds until a trial call is let through; 0 unless `open`. */
  retryAfterSeconds: number;
}

/**
 * The breakers a context owns for its own dependencies (payments' provider, …), published so that
 * `/health/ready` reports each as `degraded` while it is not closed (an open breaker means the process
 * fails fast on purpose: it is not down) and `/metrics` exports `ficus_circuit_breaker_state`.
 */
@Injectable()
export class BreakerRegistry implements OnApplicationShutdown {
  private readonly breakers = new Map<string, () => BreakerSnapshot>();

  register(name: string, snapshot: () => BreakerSnapshot): void {
    this.breakers.set(name, snapshot);
    observeBreaker(name, snapshot);
  }

  snapshots(): { name: string; snapshot: BreakerSnapshot }[] {
    return [...this.breakers].map(([name, snapshot]) => ({ name, snapshot: snapshot() }));
  }

  onApplicationShutdown(): void {
    for (const name of this.breakers.keys()) forgetBreaker(name);
    this.breakers.clear();
  }
}

/** Makes `BreakerRegistry` injectable everywhere (PlatformModule imports it). */
@Global()
@Module({ providers: [BreakerRegistry], exports: [BreakerRegistry] })
export class ResilienceModule {}
