/**
 * The outbox relay's settings and the interfaces it is given or answers with, apart from the relay itself
 * so that its file holds the delivery logic only.
 */
import type { IntegrationEvent } from '@ficus/contracts';
import type { EventQueues } from './event-queues.js';

/** Hands one event to one subscriber; the in-process transport implements it. */
export interface EventDispatcher {
  deliver(event: IntegrationEvent, subscriber: string): Promise<void>;
}

export interface RelayOptions {
  pollIntervalMs: number;
  batchSize: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  leaseMs: number;
  retentionHours: number;
}

/** Deliveries to subscribers hosted in other processes go through their durable queues. */
export interface RemoteDelivery {
  queues: EventQueues;
  /** Whether the subscriber is hosted in this process (then it gets the event in-process). */
  isLocal(subscriber: string): boolean;
  /** How often enqueued deliveries are checked against the queue. */
  reconcileEveryMs: number;
}

/** Exponential backoff with jitter, so retries of many failed deliveries do not arrive in lock-step. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (random() * exp) / 2);
}

export interface OutboxBacklog {
  unfanned: number;
  pending: number;
  enqueued: number;
  parked: number;
  late: number;
  oldestUnfannedMs: number;
}
