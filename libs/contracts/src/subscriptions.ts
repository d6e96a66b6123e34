import type { ContextName } from './contexts.js';

/**
 * The subscription registry: which contexts consume which integration event. The outbox relay of the
 * producing process reads it to fan each event out into one delivery per subscriber, so adding a
 * consumer is a change here plus an `@EventPattern` handler in the consumer — never in the producer.
 */
export const EVENT_SUBSCRIPTIONS: Readonly<Record<string, readonly ContextName[]>> = {
  // Notifications sends the welcome e-mail (and learns where to mail the user).
  'identity.user-registered.v1': ['notifications'],
  // Catalog's facts have no consumer yet: ordering's saga learns reservation outcomes from the
  // reserve/release replies (price/name changes may one day matter to open carts).
  'catalog.stock-reserved.v1': [],
  'catalog.stock-released.v1': [],
  'catalog.product-updated.v1': [],
  // Ordering drives its own saga from its facts: placed starts it, cancelled starts the compensation
  // Notifications tells the customer about confirmed and cancelled orders (inbox, push, e-mail).
  'ordering.order-placed.v1': ['ordering'],
  'ordering.order-confirmed.v1': ['notifications'],
  'ordering.order-cancelled.v1': ['ordering', 'notifications'],
  // Payments' verdicts move each order's saga on.
  'payments.payment-succeeded.v1': ['ordering'],
  'payments.payment-failed.v1': ['ordering'],
  // Nobody needs to hear about a refund yet (notifications may tell the customer).
  'payments.payment-refunded.v1': [],
  // Catalog shows a product's image once its media is READY (learned here, never asked at read time).
  'media.asset-ready.v1': ['catalog'],
};

/** Subscriber lookup, kept as a type so tests can hand the relay a registry of their own. */
export type SubscriptionRegistry = Readonly<Record<string, readonly ContextName[]>>;
