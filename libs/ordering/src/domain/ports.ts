import type { CallMeta } from '@ficus/contracts';
import type { PendingEvent } from '@ficus/platform';
import type { OrderCursorKey } from './listing/order-cursor.value-object.js';
import type { Order, PricedProduct } from './order.aggregate.js';

/** An open transaction, opaque to the domain; repositories know what it really is. */
export interface Tx {
  readonly __tx: unique symbol;
}

export interface TransactionRunner {
  run<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}

/** Integration events to commit with an order's state change (same statement, hence same transaction). */
export interface Announcement {
  correlationId: string;
  events: PendingEvent<unknown>[];
}

export interface OrderRepository {
  /**
   * Inserts the order, its lines, its saga and the events announcing it in one statement (atomic on its
   * own); `false`, and nothing written, when the user already has an order with this idempotency key.
   */
  insert(order: Order, announce: Announcement): Promise<boolean>;
  /** Writes the order's status, its saga state and the events announcing the change, in one statement. */
  save(tx: Tx, order: Order, announce: Announcement): Promise<void>;
  findByIdempotencyKey(userId: string, idempotencyKey: string): Promise<Order | null>;
  /** The order if it belongs to `userId`. */
  findOwned(userId: string, orderId: string): Promise<Order | null>;
  /**
   * Loads and locks the order and its saga for the rest of the transaction. With `skipLocked`, an order
   * that another transaction holds is answered `null` instead of waited for.
   */
  findForUpdate(tx: Tx, orderId: string, options?: { skipLocked?: boolean }): Promise<Order | null>;
  /**
   * Records an integration event in ordering's inbox and loads and locks the order it is about, in one
   * round trip. `takenIn` is false when the event had been taken in before (a redelivery).
   */
  takeInAndLock(tx: Tx, eventId: string, orderId: string): Promise<{ order: Order | null; takenIn: boolean }>;
  /**
   * The same for a batch of events in one round trip: every event recorded in the inbox, every order they
   * are about loaded and locked (in id order, so two batches sharing orders queue instead of deadlocking).
   * Answers each order found with the ids of its events that were taken in now (not redeliveries).
   */
  takeInAndLockMany(
    tx: Tx,
    arrivals: { eventId: string; orderId: string }[],
  ): Promise<Map<string, { order: Order; takenIn: Set<string> }>>;
  /** `save` for several orders in one statement: their status, saga state and events. */
  saveMany(tx: Tx, changes: { order: Order; announce: Announcement }[]): Promise<void>;
  /** One page of a user's orders, newest first, after `after`; one more than `limit` tells there is more. */
  listOwned(userId: string, limit: number, after: OrderCursorKey | null): Promise<Order[]>;
  /** Ids of unfinished sagas whose next attempt is due, oldest first. */
  dueSagas(now: Date, limit: number): Promise<string[]>;
}

/** Catalog, as the saga needs it (reached through catalog's contract). */
export interface CatalogGateway {
  /** Name, price and currency of each product; fails with `PRODUCT_NOT_FOUND` for an unknown one. */
  priceProducts(productIds: string[], meta: CallMeta): Promise<PricedProduct[]>;
  /** Reserves every line or none; `'out-of-stock'` when catalog refuses. Idempotent per order. */
  reserve(
    orderId: string,
    lines: { productId: string; quantity: number }[],
    meta: CallMeta,
  ): Promise<'reserved' | 'out-of-stock'>;
  /** Gives the order's stock back (plants a marker when nothing was reserved yet). Idempotent. */
  release(orderId: string, meta: CallMeta): Promise<void>;
}

export interface ChargeRequest {
  orderId: string;
  userId: string;
  amountCents: number;
  currency: string;
  paymentToken: string;
}

/** Payments, as the saga needs it (reached through payments' contract). */
export interface PaymentsGateway {
  /** Whether payments takes charges now, and if not, for how long it will not. */
  availability(meta: CallMeta): Promise<{ available: boolean; retryAfterSeconds: number }>;
  /** Hands the charge over; its outcome arrives as an event. `'refused'` when payments rejects the request. */
  charge(request: ChargeRequest, meta: CallMeta): Promise<'requested' | 'refused'>;
  /** Refunds what was captured, and makes a charge still in flight refund itself when it succeeds. */
  refund(orderId: string, meta: CallMeta): Promise<void>;
}
