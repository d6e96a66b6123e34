import { DomainError } from '@ficus/platform';

/** Unknown token, or another user's: the same answer, so a token reveals nothing about its owner. */
export class DeviceNotFound extends DomainError {
  readonly code = 'DEVICE_NOT_FOUND';
  readonly kind = 'not_found' as const;
  constructor() {
    super('No such device.');
  }
}

/** Unknown inbox item, or another user's. */
export class NotificationNotFound extends DomainError {
  readonly code = 'NOTIFICATION_NOT_FOUND';
  readonly kind = 'not_found' as const;
  constructor() {
    super('No such notification.');
  }
}

export class InvalidCursor extends DomainError {
  readonly code = 'INVALID_CURSOR';
  readonly kind = 'invalid' as const;
  constructor() {
    super('The cursor is not valid for this listing; start again without one.');
  }
}
