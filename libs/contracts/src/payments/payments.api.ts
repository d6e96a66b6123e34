import type { CallMeta } from '../messaging/call-meta.js';
import type {
  ChargeRequest,
  ChargeResult,
  GetAvailabilityRequest,
  GetPaymentRequest,
  PaymentsAvailability,
  PaymentView,
  RefundRequest,
  RefundResult,
} from './payments.types.js';

/**
 * Payments' public API. Ordering injects it by `PAYMENTS_API` (in-process or over Redis); nothing calls the
 * payment provider except payments itself.
 */
export interface PaymentsApi {
  /** The provider breaker's state: ask before starting work that will charge, to fail fast while it is open. */
  getAvailability(data: GetAvailabilityRequest, meta: CallMeta): Promise<PaymentsAvailability>;
  /**
   * Store a payment intent for an order and answer `PENDING` at once; the provider is called after commit,
   * off the request path, and the outcome is published as `payments.payment-succeeded.v1` or
   * `payments.payment-failed.v1`. Idempotent per `orderId`. Fails with `PAYMENT_MISMATCH` (the order was
   * charged with another amount, currency or user) or `PAYMENT_VOIDED` (the order was refunded before it
   * was charged).
   */
  charge(data: ChargeRequest, meta: CallMeta): Promise<ChargeResult>;
  /**
   * Refund an order's captured charge (publishes `payments.payment-refunded.v1`); a charge in flight is
   * refunded as soon as it succeeds. Idempotent; nothing captured → no money moves.
   */
  refund(data: RefundRequest, meta: CallMeta): Promise<RefundResult>;
  /** An order's payment intent, or null when it has none. */
  getPayment(data: GetPaymentRequest, meta: CallMeta): Promise<PaymentView | null>;
}

/** Injection token for `PaymentsApi`. */
export const PAYMENTS_API = Symbol.for('ficus.PaymentsApi');
