/**
 * Bounds of ordering fields, shared by the facade's DTOs and ordering's own message checks so both edges
 * refuse the same input.
 */
export const OrderingLimits = {
  /** Lines per order. */
  maxLines: 50,
  /** Units per line. */
  maxQuantity: 100,
  /** Opaque token from the payment provider's SDK (`tok_ok` with the fake provider). */
  paymentTokenMaxLength: 255,
  /** The `Idempotency-Key` header, 1–255 characters. */
  idempotencyKeyMaxLength: 255,
  cursorMaxLength: 512,
  defaultPageSize: 20,
  maxPageSize: 100,
} as const;

/** Where an order is, as clients see it: `PENDING` while the saga runs, then one of the two outcomes. */
export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'CANCELLED'] as const;

/** One of `ORDER_STATUSES`. */
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Why an order ended `CANCELLED`. */
export const CANCELLATION_REASONS = [
  'OUT_OF_STOCK',
  'PAYMENT_DECLINED',
  'PAYMENT_UNAVAILABLE',
  'USER_CANCELLED',
] as const;

/** One of `CANCELLATION_REASONS`. */
export type CancellationReason = (typeof CANCELLATION_REASONS)[number];
