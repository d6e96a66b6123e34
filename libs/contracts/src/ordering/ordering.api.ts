import type { CallMeta } from '../messaging/call-meta.js';
import type {
  CancelOrderRequest,
  GetOrderRequest,
  ListOrdersRequest,
  OrderPage,
  OrderView,
  PlaceOrderRequest,
} from './ordering.types.js';

/** Ordering's public API. The facade injects it by `ORDERING_API`, in-process or over Redis alike. */
export interface OrderingApi {
  /**
   * Snapshot each product's name and price from catalog, store the order `PENDING` and start its saga
   * (reserve stock → charge → confirm). The same `idempotencyKey` answers the same order. Fails with
   * `VALIDATION_FAILED`, `PRODUCT_NOT_FOUND`, or `SERVICE_UNAVAILABLE` (payments cannot take charges now:
   * nothing is stored or reserved).
   */
  placeOrder(data: PlaceOrderRequest, meta: CallMeta): Promise<OrderView>;
  /** The user's own orders, newest first. Fails with `INVALID_CURSOR`. */
  listOrders(data: ListOrdersRequest, meta: CallMeta): Promise<OrderPage>;
  /** One of the user's own orders. Fails with `ORDER_NOT_FOUND` (also for another user's order). */
  getOrder(data: GetOrderRequest, meta: CallMeta): Promise<OrderView>;
  /**
   * Cancel a `PENDING` or `CONFIRMED` order (`USER_CANCELLED`): its stock is released and a charge is
   * refunded, even one that succeeds later. Fails with `ORDER_NOT_FOUND` or `ORDER_NOT_CANCELLABLE`.
   */
  cancelOrder(data: CancelOrderRequest, meta: CallMeta): Promise<OrderView>;
}

/** Injection token for `OrderingApi`. */
export const ORDERING_API = Symbol.for('ficus.OrderingApi');
