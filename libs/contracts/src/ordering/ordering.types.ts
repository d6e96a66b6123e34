import type { CancellationReason, OrderStatus } from './ordering.limits.js';

/** A product and how many units of it, as the client orders it. */
export interface OrderLineRequest {
  /** Catalog product id. */
  productId: string;
  /** Units, 1–100. */
  quantity: number;
}

/** Place an order for the calling user. Idempotent per (`userId`, `idempotencyKey`). */
export interface PlaceOrderRequest {
  /** The signed-in user the order belongs to. */
  userId: string;
  /** 1–50 lines, product ids unique. */
  items: OrderLineRequest[];
  /** Payment provider token; the fake provider knows `tok_ok`, `tok_declined`, `tok_slow`, `tok_error`. */
  paymentToken: string;
  /** The client's `Idempotency-Key`: a repeated placement with the same key answers the same order. */
  idempotencyKey: string;
}

/** One line of an order, with the name and price catalog had when the order was placed. */
export interface OrderItemView {
  productId: string;
  /** Product name at placement time. */
  name: string;
  /** Unit price at placement time, minor units. */
  unitPriceCents: number;
  quantity: number;
}

/** An order as clients see it. */
export interface OrderView {
  /** UUIDv7. */
  id: string;
  /** `PENDING` while the saga runs, then `CONFIRMED` or `CANCELLED`. */
  status: OrderStatus;
  /** The lines, in the order the client sent them. */
  items: OrderItemView[];
  /** Sum of unit price × quantity, minor units. */
  totalCents: number;
  /** ISO 4217 code shared by every line. */
  currency: string;
  /** Why the order was cancelled; `null` unless `status` is `CANCELLED`. */
  cancellationReason: CancellationReason | null;
  /** ISO 8601 UTC. */
  createdAt: string;
  /** ISO 8601 UTC of the last status change. */
  updatedAt: string;
}

/** One of the caller's own orders. */
export interface GetOrderRequest {
  userId: string;
  orderId: string;
}

/** The caller's orders, newest first. */
export interface ListOrdersRequest {
  userId: string;
  /** Page size, 1–100, default 20. */
  limit?: number;
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor?: string;
}

/** One page of orders. */
export interface OrderPage {
  /** The orders of this page, newest first. */
  items: OrderView[];
  /** Pass as `cursor` to get the next page; `null` on the last page. */
  nextCursor: string | null;
}

/** Cancel one of the caller's own orders (`PENDING` or `CONFIRMED`). */
export interface CancelOrderRequest {
  userId: string;
  orderId: string;
}
