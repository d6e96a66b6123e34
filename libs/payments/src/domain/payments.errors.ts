import { DomainError } from '@ficus/platform';

/** The order was charged before with another amount, currency or user: a caller bug, never a retry. */
export class PaymentMismatch extends DomainError {
  readonly code = 'PAYMENT_MISMATCH';
  readonly kind = 'conflict' as const;
  constructor(orderId: string) {
    super(`Order ${orderId} was charged before with another amount, currency or user.`);
  }
}

/** A refund of the order arrived before its charge: the order is dead, so the late charge is refused. */
export class PaymentVoided extends DomainError {
  readonly code = 'PAYMENT_VOIDED';
  readonly kind = 'conflict' as const;
  constructor(orderId: string) {
    super(`Order ${orderId} was refunded before it was charged; it will not be charged.`);
  }
}
