import { DomainError } from '@ficus/platform';

export class ProductNotFound extends DomainError {
  readonly code = 'PRODUCT_NOT_FOUND';
  readonly kind = 'not_found' as const;
  constructor(productId?: string) {
    super(productId ? `No product with id ${productId}.` : 'No such product.');
  }
}

export class SlugTaken extends DomainError {
  readonly code = 'SLUG_TAKEN';
  readonly kind = 'conflict' as const;
  constructor() {
    super('A category with this slug already exists.');
  }
}

export class SkuTaken extends DomainError {
  readonly code = 'SKU_TAKEN';
  readonly kind = 'conflict' as const;
  constructor() {
    super('A product with this SKU already exists.');
  }
}

/** A product names a category that does not exist: bad input (400), not a missing resource. */
export class UnknownCategory extends DomainError {
  readonly code = 'UNKNOWN_CATEGORY';
  readonly kind = 'invalid' as const;
  constructor(slugs: string[]) {
    super(`No category with slug ${slugs.map((s) => `"${s}"`).join(', ')}.`);
  }
}

export class InvalidCursor extends DomainError {
  readonly code = 'INVALID_CURSOR';
  readonly kind = 'invalid' as const;
  constructor() {
    super('The cursor is not valid for this listing; start again without one.');
  }
}

export class InsufficientStock extends DomainError {
  readonly code = 'INSUFFICIENT_STOCK';
  readonly kind = 'conflict' as const;
  constructor(productId: string) {
    super(`Not enough stock of product ${productId}; nothing was reserved.`);
  }
}

/** The order's stock was released (or the order abandoned) before this reservation arrived. */
export class ReservationReleased extends DomainError {
  readonly code = 'RESERVATION_RELEASED';
  readonly kind = 'conflict' as const;
  constructor() {
    super('The stock of this order was released; it cannot be reserved again.');
  }
}

/** The order id was reserved before with other lines: an order's reservation is decided once. */
export class ReservationMismatch extends DomainError {
  readonly code = 'RESERVATION_MISMATCH';
  readonly kind = 'conflict' as const;
  constructor() {
    super('This order id was already reserved with different lines.');
  }
}
