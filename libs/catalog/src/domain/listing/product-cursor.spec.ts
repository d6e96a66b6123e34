import { ValidationFailed } from '@ficus/platform';
import { InvalidCursor } from '../catalog.errors.js';
import { type CursorKey, ProductCursor } from './product-cursor.value-object.js';
import { parseListing } from './product-listing.js';

const id = '0193a0c4-6b7e-7cc2-9f4e-2c1d5b3c8e10';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('ProductCursor', () => {
  const keys: CursorKey[] = [
    { sort: 'newest', createdAt: '2026-01-02T03:04:05.678Z', id },
    { sort: 'price_asc', priceCents: 0, id },
    { sort: 'price_desc', priceCents: 2_147_483_647, id },
    { sort: 'relevance', score: '1.234567', id },
  ];

  it.each(keys)('round-trips a $sort position', (key) => {
    const cursor = ProductCursor.encode(key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(ProductCursor.decode(cursor, key.sort)).toEqual(key);
  });

  it('refuses a cursor made for another sort', () => {
    const cursor = ProductCursor.encode({ sort: 'price_asc', priceCents: 100, id });
    expect(() => ProductCursor.decode(cursor, 'price_desc')).toThrow(InvalidCursor);
  });

  it.each([
    ['empty', 'newest', ''],
    ['not base64url', 'newest', 'abc+/='],
    ['not JSON', 'newest', Buffer.from('{nope').toString('base64url')],
    ['JSON of the wrong shape', 'newest', b64({ sort: 'newest' })],
    ['an unknown version', 'newest', b64([2, 'newest', '2026-01-02T03:04:05.678Z', id])],
    ['a malformed id', 'newest', b64([1, 'newest', '2026-01-02T03:04:05.678Z', 'x'])],
    ['an impossible date', 'newest', b64([1, 'newest', '2026-02-31T00:00:00.000Z', id])],
    ['a date without milliseconds', 'newest', b64([1, 'newest', '2026-01-02T03:04:05Z', id])],
    ['a negative price', 'price_asc', b64([1, 'price_asc', -1, id])],
    ['a fractional price', 'price_asc', b64([1, 'price_asc', 1.5, id])],
    ['a price as a string', 'price_asc', b64([1, 'price_asc', '100', id])],
    ['an injection attempt as score', 'relevance', b64([1, 'relevance', "1'; DROP TABLE x;--", id])],
    ['an overlong cursor', 'newest', 'A'.repeat(600)],
  ] as const)('refuses %s with INVALID_CURSOR', (_label, sort, raw) => {
    expect(() => ProductCursor.decode(raw, sort)).toThrow(InvalidCursor);
  });
});

describe('parseListing', () => {
  it('defaults to newest first, 20 per page, without a search', () => {
    expect(parseListing({})).toEqual({
      q: null,
      categorySlug: null,
      minPrice: null,
      maxPrice: null,
      sort: 'newest',
      limit: 20,
      after: null,
    });
  });

  it('defaults to relevance with a search, and collapses its whitespace', () => {
    expect(parseListing({ q: '  wireless   headphones ' })).toMatchObject({
      q: 'wireless headphones',
      sort: 'relevance',
    });
  });

  it('treats a blank search as no search', () => {
    expect(parseListing({ q: '   ' })).toMatchObject({ q: null, sort: 'newest' });
  });

  it('refuses relevance without a search, an inverted price range and an overlong search', () => {
    expect(() => parseListing({ sort: 'relevance' })).toThrow(ValidationFailed);
    expect(() => parseListing({ minPrice: 500, maxPrice: 100 })).toThrow(ValidationFailed);
    expect(() => parseListing({ q: 'x'.repeat(101) })).toThrow(ValidationFailed);
    expect(() => parseListing({ limit: 101 })).toThrow(ValidationFailed);
  });

  it('decodes the cursor for the effective sort', () => {
    const cursor = ProductCursor.encode({ sort: 'relevance', score: '0.5', id });
    expect(parseListing({ q: 'lamp', cursor }).after).toEqual({ sort: 'relevance', score: '0.5', id });
    expect(() => parseListing({ cursor })).toThrow(InvalidCursor);
  });
});
