import { ValidationFailed } from '@ficus/platform';

// Pragmatic shape check (the confirmation e-mail is the real test); RFC 5321 caps the length at 254.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** E-mail addresses are case-insensitive in Ficus: stored and compared lower-cased and trimmed. */
export class Email {
  private constructor(readonly value: string) {}

  static parse(raw: string): Email {
    const value = raw.trim().toLowerCase();
    if (value.length > 254 || !EMAIL_SHAPE.test(value)) {
      throw new ValidationFailed([{ field: 'email', message: 'email must be a valid e-mail address' }]);
    }
    return new Email(value);
  }
}
