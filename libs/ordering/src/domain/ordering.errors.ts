import { DomainError, ServiceUnavailable } from '@ficus/platform';

/** Unknown order, or another user's: the answer is the same, so an order id reveals nothing. */
export class OrderNotFound extends DomainError {
  readonly code = 'ORDER_NOT_FOUND';
  readonly kind = 'not_found' as const;
  constructor() {
    super('No such order.');
  }
}

export class OrderNotCancellable extends DomainError {
  readonly code = 'ORDER_NOT_CANCELLABLE';
  readonly kind = 'conflict' as const;
  constructor(status: string) {
    super(`An order that is ${status} cannot be cancelled; only PENDING and CONFIRMED orders can.`);
  }
}

/**
 * Payments cannot take charges now (its provider's breaker is open): the order is refused before anything
 * is stored or reserved, and the client is told when to try again (`Retry-After`, across any transport).
 */
export class PaymentsUnavailable extends ServiceUnavailable {
  constructor(retryAfterSeconds: number) {
    super(`Payments are unavailable; try again in ${retryAfterSeconds} s.`, retryAfterSeconds);
  }
}

export class InvalidCursor extends DomainError {
  readonly code = 'INVALID_CURSOR';
  readonly kind = 'invalid' as const;
  constructor() {
    super('The cursor is not valid for this listing; start again without one.');
  }
}
