import { ValidationFailed } from '@ficus/platform';
import { OrderReservation, normalizeLines } from './order-reservation.js';

const now = new Date('2026-01-01T00:00:00Z');
const later = new Date('2026-01-01T00:05:00Z');
const A = '0193a0c4-0000-7000-8000-00000000000a';
const B = '0193a0c4-0000-7000-8000-00000000000b';

describe('normalizeLines', () => {
  it('orders lines by product id (the lock order) and lower-cases ids', () => {
    expect(
      normalizeLines([
        { productId: B.toUpperCase(), quantity: 1 },
        { productId: A, quantity: 2 },
      ]),
    ).toEqual([
      { productId: A, quantity: 2 },
      { productId: B, quantity: 1 },
    ]);
  });

  it.each([
    ['no lines', []],
    [
      'the same product twice',
      [
        { productId: A, quantity: 1 },
        { productId: A.toUpperCase(), quantity: 1 },
      ],
    ],
    ['a zero quantity', [{ productId: A, quantity: 0 }]],
    ['a fractional quantity', [{ productId: A, quantity: 1.5 }]],
  ])('refuses %s', (_label, lines) => {
    expect(() => normalizeLines(lines)).toThrow(ValidationFailed);
  });
});

describe('OrderReservation', () => {
  const lines = [{ productId: A, quantity: 2 }];

  it('answers a repeated reservation with the original one', () => {
    const r = OrderReservation.reserved('o1', lines, now);
    expect(r.answerTo(lines)).toEqual({ lines, reservedAt: now });
  });

  it('refuses the same order id with other lines', () => {
    const r = OrderReservation.reserved('o1', lines, now);
    expect(() => r.answerTo([{ productId: A, quantity: 3 }])).toThrow(
      expect.objectContaining({ code: 'RESERVATION_MISMATCH' }),
    );
  });

  it('answers a refused reservation with the same error every time', () => {
    const r = OrderReservation.rejected('o1', { code: 'INSUFFICIENT_STOCK', productId: A }, now);
    expect(() => r.answerTo(lines)).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_STOCK' }));
    const missing = OrderReservation.rejected('o1', { code: 'PRODUCT_NOT_FOUND', productId: A }, now);
    expect(() => missing.answerTo(lines)).toThrow(expect.objectContaining({ code: 'PRODUCT_NOT_FOUND' }));
  });

  it('gives reserved lines back once', () => {
    const r = OrderReservation.reserved('o1', lines, now);
    expect(r.release(later)).toEqual({ giveBack: lines, changed: true });
    expect(r.release(later)).toEqual({ giveBack: [], changed: false });
    expect(r.releasedLines).toEqual(lines);
    expect(() => r.answerTo(lines)).toThrow(expect.objectContaining({ code: 'RESERVATION_RELEASED' }));
  });

  it('gives nothing back for a refused reservation, which stays refused', () => {
    const r = OrderReservation.rejected('o1', { code: 'INSUFFICIENT_STOCK', productId: A }, now);
    expect(r.release(later)).toEqual({ giveBack: [], changed: true });
    expect(r.releasedLines).toEqual([]);
    expect(() => r.answerTo(lines)).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_STOCK' }));
  });

  it('refuses a reservation that arrives after its release', () => {
    const r = OrderReservation.releasedBeforeReserved('o1', now);
    expect(() => r.answerTo(lines)).toThrow(expect.objectContaining({ code: 'RESERVATION_RELEASED' }));
  });
});
