/**
 * Bounds of payments fields, shared by callers and payments' own message checks so both edges refuse the
 * same input.
 */
export const PaymentsLimits = {
  /** Provider tokens are opaque references (never card data); longer ones are refused. */
  paymentTokenMaxLength: 255,
  /** Same bound as the facade's `Idempotency-Key` header. */
  idempotencyKeyMaxLength: 255,
  /** Minor units; an order total (many lines × quantity × price) can pass Postgres `integer`, so `bigint`. */
  maxAmountCents: Number.MAX_SAFE_INTEGER,
} as const;

/** ISO 4217 code: three upper-case letters, e.g. `EUR`. */
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;
