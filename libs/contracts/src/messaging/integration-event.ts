import type { ContextName } from '../contexts.js';

/**
 * A fact one context publishes for others. Plain JSON; `name` carries the version
 * (`identity.user-registered.v1`); a breaking change is a new name beside the old one.
 */
export interface IntegrationEvent<P = unknown> {
  /** UUIDv7, unique per event; consumers deduplicate on it. */
  id: string;
  /** Versioned event name. */
  name: string;
  /** ISO 8601 UTC time the fact happened. */
  occurredAt: string;
  /** Id of the aggregate the fact is about. */
  aggregateId: string;
  /** Correlation id of the request that caused it. */
  correlationId: string;
  /** The producing context. */
  source: ContextName;
  /** Event-specific data. */
  payload: P;
}

/** Names an event and its payload type together, so producers and consumers share one constant. */
export interface EventDefinition<P> {
  readonly name: string;
  readonly source: ContextName;
  /** Phantom field: carries the payload type only. */
  readonly __payload?: P;
}

export function defineEvent<P>(source: ContextName, name: string): EventDefinition<P> {
  return { name, source };
}

export type PayloadOf<E> = E extends EventDefinition<infer P> ? P : never;
