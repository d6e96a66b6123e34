import { DomainError } from '@ficus/platform';

export class EmailTaken extends DomainError {
  readonly code = 'EMAIL_TAKEN';
  readonly kind = 'conflict' as const;
  constructor() {
    super('An account with this e-mail address already exists.');
  }
}

/** Same answer for an unknown e-mail and a wrong password, so accounts cannot be enumerated. */
export class InvalidCredentials extends DomainError {
  readonly code = 'INVALID_CREDENTIALS';
  readonly kind = 'unauthenticated' as const;
  constructor() {
    super('The e-mail address or password is wrong.');
  }
}

export class InvalidRefreshToken extends DomainError {
  readonly code = 'INVALID_REFRESH_TOKEN';
  readonly kind = 'unauthenticated' as const;
  constructor() {
    super('The refresh token is not valid; sign in again.');
  }
}

export class UserNotFound extends DomainError {
  readonly code = 'USER_NOT_FOUND';
  readonly kind = 'not_found' as const;
  constructor() {
    super('No such user.');
  }
}
