import { defineEvent } from '../../messaging/integration-event.js';
import type { CancellationReason, OrderStatus } from '../ordering.limits.js';

/** Payload of `ordering.order-cancelled.v1`: an order ended `CANCELLED`; compensation (if any) follows. */
export interface OrderCancelledV1 {
  orderId: string;
  userId: string;
  /** `OUT_OF_STOCK`, `PAYMENT_DECLINED`, `PAYMENT_UNAVAILABLE` or `USER_CANCELLED`. */
  reason: CancellationReason;
  /** The status it was cancelled from: `PENDING`, or `CONFIRMED` when the user cancelled a paid order. */
  previousStatus: Exclude<OrderStatus, 'CANCELLED'>;
  /** Minor units. */
  totalCents: number;
  /** ISO 4217. */
  currency: string;
  /** ISO 8601 UTC. */
  cancelledAt: string;
}

/** Published once per order that ends `CANCELLED`, with the reason. */
export const OrderCancelledV1 = defineEvent<OrderCancelledV1>('ordering', 'ordering.order-cancelled.v1');
