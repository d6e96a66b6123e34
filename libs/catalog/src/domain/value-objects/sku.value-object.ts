import { CatalogLimits, SKU_PATTERN } from '@ficus/contracts';
import { ValidationFailed } from '@ficus/platform';

/**
 * A stock-keeping unit. Warehouse systems treat SKUs as case-insensitive, so Ficus stores them upper-cased
 * and `abc-1` collides with `ABC-1`.
 */
export class Sku {
  private constructor(readonly value: string) {}

  static parse(raw: string): Sku {
    const value = raw.trim().toUpperCase();
    if (value.length < 1 || value.length > CatalogLimits.skuMaxLength || !SKU_PATTERN.test(value)) {
      throw new ValidationFailed([
        {
          field: 'sku',
          message: 'sku must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit',
        },
      ]);
    }
    return new Sku(value);
  }
}
