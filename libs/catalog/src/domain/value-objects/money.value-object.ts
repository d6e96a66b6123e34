import { CatalogLimits } from '@ficus/contracts';
import { ValidationFailed } from '@ficus/platform';

// The runtime's ICU list of ISO 4217 codes: no table to maintain, and it follows the Node version.
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** An ISO 4217 currency code, upper-case. */
export class Currency {
  private constructor(readonly code: string) {}

  static parse(raw: string): Currency {
    if (!/^[A-Z]{3}$/.test(raw) || !CURRENCIES.has(raw)) {
      throw new ValidationFailed([{ field: 'currency', message: 'currency must be an ISO 4217 code such as EUR' }]);
    }
    return new Currency(raw);
  }
}

/** An amount in integer minor units (cents) of one currency; never negative, never fractional. */
export class Money {
  private constructor(
    readonly amountCents: number,
    readonly currency: string,
  ) {}

  static of(amountCents: number, currency: string): Money {
    if (!Number.isSafeInteger(amountCents) || amountCents < 0 || amountCents > CatalogLimits.maxPriceCents) {
      throw new ValidationFailed([
        { field: 'priceCents', message: `priceCents must be a whole number from 0 to ${CatalogLimits.maxPriceCents}` },
      ]);
    }
    return new Money(amountCents, Currency.parse(currency).code);
  }

  equals(other: Money): boolean {
    return this.amountCents === other.amountCents && this.currency === other.currency;
  }
}
