import { InvalidCursor } from '../ordering.errors.js';
import { OrderCursor } from './order-cursor.value-object.js';

const key = { createdAt: '2026-01-01T10:00:00.123Z', id: '0193a0c4-6b7e-7cc2-9f4e-2c1d5b3c8e10' };
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('OrderCursor', () => {
  it('round-trips a position', () => {
    expect(OrderCursor.decode(OrderCursor.encode(key))).toEqual(key);
  });

  it.each([
    ['garbage', 'not a cursor!'],
    ['base64 of non-JSON', Buffer.from('{oops').toString('base64url')],
    ['another version', encode([2, 'orders', key.createdAt, key.id])],
    ["a product listing's cursor", encode([1, 'newest', key.createdAt, key.id])],
    ['a malformed id', encode([1, 'orders', key.createdAt, 'x'])],
    ['an inexact time', encode([1, 'orders', '2026-01-01T10:00:00Z', key.id])],
    ['an impossible time', encode([1, 'orders', '2026-02-30T10:00:00.000Z', key.id])],
    ['a too long cursor', 'a'.repeat(513)],
  ])('refuses %s with INVALID_CURSOR', (_label, raw) => {
    expect(() => OrderCursor.decode(raw)).toThrow(InvalidCursor);
  });
});
