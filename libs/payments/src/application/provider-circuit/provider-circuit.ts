import {
  BrokenCircuitError,
  circuitBreaker,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  handleWhen,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
} from 'cockatiel';
import { Counter } from 'prom-client';
import type { PaymentsAvailability } from '@ficus/contracts';
import type { BreakerSnapshot } from '@ficus/platform';
import type { ChargeOutcome } from '../../domain/payment-intent.aggregate.js';
import {
  type PaymentProvider,
  type ProviderChargeRequest,
  ProviderFailure,
  type ProviderRefundRequest,
} from '../../domain/ports.js';

export interface ProviderCircuitOptions {
  /** Longest wait for one provider call; the call is aborted after it. */
  timeoutMs: number;
  /** Consecutive counted failures (errors, timeouts) that open the breaker. */
  failureThreshold: number;
  /** How long it stays open before one trial call goes through. */
  cooldownMs: number;
}

export type RefundOutcome = { result: 'refunded'; refundId: string } | { result: 'unavailable' };

const providerCalls = new Counter({
  name: 'ficus_payments_provider_calls_total',
  help: 'Payment provider calls by operation and outcome (short_circuited: not made, breaker open)',
  labelNames: ['operation', 'outcome'] as const,
});

/** What counts against the provider: it failed (5xx) or did not answer in time. A decline is an answer. */
const isProviderTrouble = (error: unknown) => error instanceof ProviderFailure || error instanceof TaskCancelledError;

function buildPolicy(options: ProviderCircuitOptions) {
  const breaker = circuitBreaker(handleWhen(isProviderTrouble), {
    halfOpenAfter: options.cooldownMs,
    breaker: new ConsecutiveBreaker(options.failureThreshold),
  });
  // The breaker wraps the timeout, so a call that times out counts as a failure.
  return { breaker, call: wrap(breaker, timeout(options.timeoutMs, TimeoutStrategy.Aggressive)) };
}

/**
 * Every call to the payment provider goes through here: a timeout (the call is aborted) inside a
 * consecutive-failures circuit breaker (cockatiel). Errors and timeouts count; a decline is a healthy
 * answer and ends a run of failures. Open, calls fail at once for the cooldown; then one trial call decides
 * (the others wait for it). Provider trouble comes back as an `unavailable` outcome, never as an exception.
 */
export class ProviderCircuit {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly call: ReturnType<typeof buildPolicy>['call'];
  private openedAt = 0;

  constructor(
    private readonly provider: PaymentProvider,
    private readonly options: ProviderCircuitOptions,
  ) {
    ({ breaker: this.breaker, call: this.call } = buildPolicy(options));
    this.breaker.onBreak(() => {
      this.openedAt = Date.now();
    });
  }

  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  async charge(request: ProviderChargeRequest): Promise<ChargeOutcome> {
    try {
      const answer = await this.call.execute(({ signal }) => this.provider.charge(request, signal));
      providerCalls.inc({ operation: 'charge', outcome: answer.approved ? 'approved' : 'declined' });
      return answer.approved ? { result: 'approved', chargeId: answer.chargeId } : { result: 'declined' };
    } catch (error) {
      return this.unavailable('charge', error);
    }
  }

  async refund(request: ProviderRefundRequest): Promise<RefundOutcome> {
    try {
      const { refundId } = await this.call.execute(({ signal }) => this.provider.refund(request, signal));
      providerCalls.inc({ operation: 'refund', outcome: 'refunded' });
      return { result: 'refunded', refundId };
    } catch (error) {
      return this.unavailable('refund', error);
    }
  }

  /** The breaker as readiness and metrics see it; an open breaker past its cooldown is ready for a trial. */
  snapshot(): BreakerSnapshot {
    const state = this.breaker.state;
    if (state === CircuitState.Closed) return { state: 'closed', retryAfterSeconds: 0 };
    if (state === CircuitState.HalfOpen) return { state: 'half-open', retryAfterSeconds: 0 };
    const remainingMs = this.openedAt + this.options.cooldownMs - Date.now();
    if (state === CircuitState.Open && remainingMs <= 0) return { state: 'half-open', retryAfterSeconds: 0 };
    return { state: 'open', retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)) };
  }

  availability(): PaymentsAvailability {
    const { state, retryAfterSeconds } = this.snapshot();
    return { available: state !== 'open', retryAfterSeconds };
  }

  private unavailable(operation: 'charge' | 'refund', error: unknown): { result: 'unavailable' } {
    if (error instanceof BrokenCircuitError) providerCalls.inc({ operation, outcome: 'short_circuited' });
    else if (error instanceof TaskCancelledError) providerCalls.inc({ operation, outcome: 'timeout' });
    else if (error instanceof ProviderFailure) providerCalls.inc({ operation, outcome: 'error' });
    else throw error;
    return { result: 'unavailable' };
  }
}
