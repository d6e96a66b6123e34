import { KeysetCursor, isExactInstant } from './keyset-cursor.js';

const id = '0193a0c4-6b7e-7cc2-9f4e-2c1d5b3c8e10';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('KeysetCursor', () => {
  it.each([['2026-01-02T03:04:05.678Z'], [42], ['1.234567']])('round-trips a position with value %p', (value) => {
    const cursor = KeysetCursor.encode({ kind: 'orders', value, id });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(KeysetCursor.decode(cursor, 200)).toEqual({ kind: 'orders', value, id });
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc+/='],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    ['JSON of the wrong shape', b64({ kind: 'orders' })],
    ['too few parts', b64([1, 'orders', id])],
    ['an unknown version', b64([2, 'orders', 'x', id])],
    ['a kind that is not text', b64([1, 7, 'x', id])],
    ['a malformed id', b64([1, 'orders', 'x', 'not-a-uuid'])],
    ['an overlong cursor', 'A'.repeat(201)],
  ])('refuses %s', (_label, raw) => {
    expect(KeysetCursor.decode(raw, 200)).toBeUndefined();
  });
});

describe('isExactInstant', () => {
  it('accepts what a millisecond timestamp serialises to', () => {
    expect(isExactInstant(new Date('2026-01-02T03:04:05.678Z').toISOString())).toBe(true);
  });

  it.each([['2026-02-31T00:00:00.000Z'], ['2026-01-02T03:04:05Z'], ['2026-01-02'], [1_700_000_000_000], [null]])(
    'refuses %p',
    (value) => expect(isExactInstant(value)).toBe(false),
  );
});
