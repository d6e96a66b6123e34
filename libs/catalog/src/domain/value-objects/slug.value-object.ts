import { CatalogLimits, SLUG_PATTERN } from '@ficus/contracts';
import { ValidationFailed } from '@ficus/platform';

/** A category slug: lower-case words and digits joined by single hyphens, at most 64 characters. */
export class Slug {
  private constructor(readonly value: string) {}

  static parse(raw: string, field = 'slug'): Slug {
    const value = raw.trim();
    if (value.length < 1 || value.length > CatalogLimits.slugMaxLength || !SLUG_PATTERN.test(value)) {
      throw new ValidationFailed([
        { field, message: `${field} must be lower-case letters and digits joined by single hyphens, at most 64` },
      ]);
    }
    return new Slug(value);
  }
}
