import { defineEvent } from '../../messaging/integration-event.js';

/** Payload of `ordering.order-confirmed.v1`: stock is held and the charge succeeded. */
export interface OrderConfirmedV1 {
  orderId: string;
  userId: string;
  /** Minor units. */
  totalCents: number;
  /** ISO 4217. */
  currency: string;
  /** ISO 8601 UTC. */
  confirmedAt: string;
}

/** Published once per order that reaches `CONFIRMED`. */
export const OrderConfirmedV1 = defineEvent<OrderConfirmedV1>('ordering', 'ordering.order-confirmed.v1');
