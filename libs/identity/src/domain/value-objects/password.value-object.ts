import { ValidationFailed } from '@ficus/platform';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

/** A plain-text password on its way to the hasher; length is the policy (NIST 800-63B style). */
export class Password {
  private constructor(readonly value: string) {}

  static parse(raw: string): Password {
    const length = [...raw].length;
    if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
      throw new ValidationFailed([
        {
          field: 'password',
          message: `password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`,
        },
      ]);
    }
    return new Password(raw);
  }
}
