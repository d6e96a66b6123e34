import { ValidationFailed } from '@ficus/platform';
import { Currency, Money } from './money.value-object.js';
import { Sku } from './sku.value-object.js';
import { Slug } from './slug.value-object.js';

describe('Money', () => {
  it('keeps integer minor units and an ISO 4217 currency', () => {
    const price = Money.of(1999, 'EUR');
    expect(price).toMatchObject({ amountCents: 1999, currency: 'EUR' });
    expect(price.equals(Money.of(1999, 'EUR'))).toBe(true);
    expect(price.equals(Money.of(1999, 'USD'))).toBe(false);
  });

  it('accepts zero (free items) and the largest integer column value', () => {
    expect(Money.of(0, 'JPY').amountCents).toBe(0);
    expect(Money.of(2_147_483_647, 'USD').amountCents).toBe(2_147_483_647);
  });

  it.each([[-1], [19.99], [Number.NaN], [Infinity], [2_147_483_648]])('refuses the amount %p', (amount) => {
    expect(() => Money.of(amount, 'EUR')).toThrow(ValidationFailed);
  });
});

describe('Currency', () => {
  it.each([['EUR'], ['USD'], ['JPY'], ['CHF']])('accepts %s', (code) => {
    expect(Currency.parse(code).code).toBe(code);
  });

  it.each([['eur'], ['EU'], ['EURO'], ['XYZ'], ['€'], ['']])('refuses %j', (code) => {
    expect(() => Currency.parse(code)).toThrow(ValidationFailed);
  });
});

describe('Slug', () => {
  it.each([['audio'], ['home-audio'], ['4k-tv'], ['a'.repeat(64)]])('accepts %s', (raw) => {
    expect(Slug.parse(raw).value).toBe(raw);
  });

  it('is trimmed', () => {
    expect(Slug.parse('  garden ').value).toBe('garden');
  });

  it.each([[''], ['Audio'], ['home_audio'], ['-audio'], ['audio-'], ['home--audio'], ['a b'], ['a'.repeat(65)]])(
    'refuses %j and names the field',
    (raw) => {
      try {
        Slug.parse(raw, 'categorySlug');
        throw new Error('expected a failure');
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationFailed);
        expect((error as ValidationFailed).errors[0].field).toBe('categorySlug');
      }
    },
  );
});

describe('Sku', () => {
  it('is trimmed and upper-cased, so SKUs compare case-insensitively', () => {
    expect(Sku.parse(' hp-100.black_2 ').value).toBe('HP-100.BLACK_2');
  });

  it.each([[''], ['-HP'], ['HP 100'], ['HP/100'], ['X'.repeat(65)], ['ÄBC']])('refuses %j', (raw) => {
    expect(() => Sku.parse(raw)).toThrow(ValidationFailed);
  });
});
