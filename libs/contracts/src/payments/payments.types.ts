/**
 * Where a payment intent stands: `PENDING` until the provider answered, then `SUCCEEDED` (money captured)
 * or `FAILED`; `REFUNDED` once captured money went back.
 */
export type PaymentStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'REFUNDED';

/** Why a charge failed: the provider declined it, or the provider could not be reached in time / errored. */
export type PaymentFailureReason = 'DECLINED' | 'UNAVAILABLE';

/** Is the payment provider usable now (no arguments). */
export type GetAvailabilityRequest = Record<string, never>;

/** The payment provider's circuit breaker, as callers need it before they start something that charges. */
export interface PaymentsAvailability {
  /** False while the breaker is open: a charge would fail fast. */
  available: boolean;
  /** Seconds until the breaker lets a trial call through; 0 when available. */
  retryAfterSeconds: number;
}

/** Charge an order. Idempotent per `orderId`: a repeated charge returns the intent the first one stored. */
export interface ChargeRequest {
  /** The order being paid; one payment intent per order. */
  orderId: string;
  /** The paying user (stored for support and audits). */
  userId: string;
  /** Amount in minor units (cents), ≥ 0. */
  amountCents: number;
  /** ISO 4217 code, e.g. `EUR`. */
  currency: string;
  /** Opaque provider token from the app (`tok_ok`, `tok_declined`, `tok_slow`, `tok_error` with the fake provider). */
  paymentToken: string;
  /** The caller's key for this charge (`charge-<orderId>`); also sent to the provider. */
  idempotencyKey: string;
}

/** A payment intent, as a charge answers it. */
export interface ChargeResult {
  /** UUIDv7 of the payment intent. */
  paymentId: string;
  orderId: string;
  /** `PENDING` right after the first charge; the outcome arrives as an event. */
  status: PaymentStatus;
}

/** Give an order's captured money back. Idempotent; harmless when nothing was captured. */
export interface RefundRequest {
  orderId: string;
  /** The caller's key for this refund (e.g. `refund-<orderId>`). */
  idempotencyKey: string;
}

/**
 * What a refund did. `REFUNDED`: the money went back (now or earlier). `PENDING` with `refundRequested`:
 * the charge is still in flight and is refunded as soon as it succeeds. `FAILED`: nothing was captured.
 * `NONE` (and `paymentId` null): the order was never charged; a later charge of it is refused
 * (`PAYMENT_VOIDED`), so a refund that overtakes its charge still wins.
 */
export interface RefundResult {
  /** The payment intent, or null when the order was never charged. */
  paymentId: string | null;
  orderId: string;
  status: PaymentStatus | 'NONE';
  /** True once a refund was asked for (whether or not money has gone back yet). */
  refundRequested: boolean;
}

/** Look an order's payment up (support, tests). */
export interface GetPaymentRequest {
  orderId: string;
}

/** A payment intent with its outcome. */
export interface PaymentView {
  /** UUIDv7. */
  paymentId: string;
  orderId: string;
  userId: string;
  /** Minor units. */
  amountCents: number;
  /** ISO 4217 code. */
  currency: string;
  status: PaymentStatus;
  /** Set when `status` is `FAILED`. */
  failureReason: PaymentFailureReason | null;
  /** True once a refund was asked for. */
  refundRequested: boolean;
  /** ISO 8601 UTC. */
  createdAt: string;
  /** ISO 8601 UTC of the last change. */
  updatedAt: string;
}
