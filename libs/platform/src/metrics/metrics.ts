import { Counter, collectDefaultMetrics, Gauge, Histogram, register } from 'prom-client';
import type { BreakerSnapshot, BreakerState } from '../resilience/breaker-registry.js';

/**
 * Process-wide Prometheus metrics. prom-client's default registry is a singleton, so metrics are defined
 * once here and shared; `/metrics` renders the same registry.
 */
export const metricsRegistry = register;

let defaultsCollected = false;
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

export const httpRequestDuration = new Histogram({
  name: 'ficus_http_request_duration_seconds',
  help: 'HTTP request duration by method, route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
});

export const outboxDeliveries = new Counter({
  name: 'ficus_outbox_deliveries_total',
  help: 'Integration event deliveries by producing context, subscriber and outcome',
  labelNames: ['context', 'subscriber', 'outcome'] as const,
});

export const outboxDeliveryLag = new Histogram({
  name: 'ficus_outbox_delivery_lag_seconds',
  help: 'Time from an event being written to its handler finishing',
  labelNames: ['context'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 300],
});

export const outboxBacklog = new Gauge({
  name: 'ficus_outbox_backlog',
  help: 'Outbox rows not yet delivered, by context and state (unfanned, pending, enqueued, parked)',
  labelNames: ['context', 'state'] as const,
});

const observedBreakers = new Map<string, () => BreakerSnapshot>();
const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** Read at scrape time, so an open breaker whose cooldown ran out shows half-open without any call. */
export const circuitBreakerState = new Gauge({
  name: 'ficus_circuit_breaker_state',
  help: 'State of each circuit breaker a hosted context owns: 0 closed, 1 half-open, 2 open',
  labelNames: ['breaker'] as const,
  collect() {
    this.reset();
    for (const [breaker, snapshot] of observedBreakers) this.set({ breaker }, BREAKER_STATE_VALUE[snapshot().state]);
  },
});

export function observeBreaker(name: string, snapshot: () => BreakerSnapshot): void {
  observedBreakers.set(name, snapshot);
}

export function forgetBreaker(name: string): void {
  observedBreakers.delete(name);
}
