import { Counter, collectDefaultMetrics, Gauge, Histogram, register } from 'prom-client';

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
