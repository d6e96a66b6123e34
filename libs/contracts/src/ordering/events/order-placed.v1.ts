import { defineEvent } from '../../messaging/integration-event.js';
import type { OrderItemView } from '../ordering.types.js';

/** Payload of `ordering.order-placed.v1`: an order was accepted and its saga starts. */
export interface OrderPlacedV1 {
  orderId: string;
  userId: string;
  /** The lines with their name and price snapshot. */
  items: OrderItemView[];
  /** Minor units. */
  totalCents: number;
  /** ISO 4217. */
  currency: string;
  /** ISO 8601 UTC. */
  placedAt: string;
}

/** Published once per new order (never for a repeated placement with the same idempotency key). */
export const OrderPlacedV1 = defineEvent<OrderPlacedV1>('ordering', 'ordering.order-placed.v1');
