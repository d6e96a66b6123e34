import { ValidationFailed } from '@ficus/platform';
import { Order, type PricedProduct } from './order.aggregate.js';
import { OrderNotCancellable } from './ordering.errors.js';
import { assertTransition, nextAction, ORDER_SAGA_TRANSITIONS, SAGA_STEPS } from './saga/order-saga.js';

const P1 = '0193a0c4-0000-7000-8000-000000000001';
const P2 = '0193a0c4-0000-7000-8000-000000000002';
const T0 = new Date('2026-01-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const products: PricedProduct[] = [
  { productId: P1, name: 'Headphones', priceCents: 9900, currency: 'EUR' },
  { productId: P2, name: 'Cable', priceCents: 500, currency: 'EUR' },
];

const place = (overrides: Partial<Parameters<typeof Order.place>[0]> = {}) =>
  Order.place({
    id: '0193a0c4-0000-7000-8000-0000000000aa',
    userId: '0193a0c4-0000-7000-8000-0000000000bb',
    idempotencyKey: 'key-1',
    lines: [
      { productId: P1, quantity: 2 },
      { productId: P2, quantity: 1 },
    ],
    products,
    paymentToken: 'tok_ok',
    now: T0,
    timeoutMs: 60_000,
    ...overrides,
  });

/** An order that reached AWAITING_PAYMENT. */
const awaitingPayment = () => {
  const order = place();
  order.stockReserved(at(1));
  order.chargeRequested(at(2));
  order.pullFacts();
  return order;
};

describe('Order', () => {
  it('snapshots name and price per line, totals them, and starts PENDING with a placed fact', () => {
    const order = place();
    const o = order.snapshot();
    expect(o.lines).toEqual([
      { productId: P1, name: 'Headphones', unitPriceCents: 9900, quantity: 2 },
      { productId: P2, name: 'Cable', unitPriceCents: 500, quantity: 1 },
    ]);
    expect(o).toMatchObject({ totalCents: 20_300, currency: 'EUR', status: 'PENDING', cancellationReason: null });
    expect(o.saga).toMatchObject({ step: 'PENDING', paymentToken: 'tok_ok', deadlineAt: at(60) });
    expect(order.pullFacts()).toEqual([{ type: 'placed' }]);
    expect(order.pullFacts()).toEqual([]);
  });

  it.each([
    ['no lines', []],
    ['51 lines', Array.from({ length: 51 }, (_, i) => ({ productId: `p${i}`, quantity: 1 }))],
    [
      'a duplicate product (case-insensitive)',
      [
        { productId: P1, quantity: 1 },
        { productId: P1.toUpperCase(), quantity: 2 },
      ],
    ],
    ['quantity 0', [{ productId: P1, quantity: 0 }]],
    ['quantity 101', [{ productId: P1, quantity: 101 }]],
    ['quantity 1.5', [{ productId: P1, quantity: 1.5 }]],
  ])('refuses %s', (_label, lines) => {
    expect(() => place({ lines })).toThrow(ValidationFailed);
  });

  it('refuses products of different currencies in one order', () => {
    const mixed = [products[0], { ...products[1], currency: 'USD' }];
    expect(() => place({ products: mixed })).toThrow(ValidationFailed);
  });

  describe('the saga', () => {
    it('walks PENDING → STOCK_RESERVED → AWAITING_PAYMENT → CONFIRMED with one confirmed fact', () => {
      const order = place();
      expect(nextAction(order.saga, at(0))).toBe('reserve-stock');
      order.stockReserved(at(1));
      expect(nextAction(order.saga, at(1))).toBe('charge');
      order.chargeRequested(at(2));
      expect(order.saga).toMatchObject({ step: 'AWAITING_PAYMENT', paymentToken: null, nextAttemptAt: at(60) });
      expect(nextAction(order.saga, at(2))).toBeNull();
      order.paymentSucceeded(at(3));
      expect(order.status).toBe('CONFIRMED');
      expect(order.saga).toMatchObject({ step: 'CONFIRMED', nextAttemptAt: null });
      expect(order.finished).toBe(true);
      order.paymentSucceeded(at(4));
      expect(order.pullFacts()).toEqual([{ type: 'placed' }, { type: 'confirmed' }]);
    });

    it('cancels OUT_OF_STOCK without anything to compensate', () => {
      const order = place();
      order.outOfStock(at(1));
      expect(order.snapshot()).toMatchObject({ status: 'CANCELLED', cancellationReason: 'OUT_OF_STOCK' });
      expect(order.saga).toMatchObject({ step: 'CANCELLED', releasePending: false, refundPending: false });
      expect(order.saga.paymentToken).toBeNull();
    });

    it.each([
      ['DECLINED', 'PAYMENT_DECLINED'],
      ['UNAVAILABLE', 'PAYMENT_UNAVAILABLE'],
    ] as const)('a %s payment cancels with %s and owes the stock back, no refund', (reason, expected) => {
      const order = awaitingPayment();
      order.paymentFailed(reason, at(3));
      expect(order.snapshot()).toMatchObject({ status: 'CANCELLED', cancellationReason: expected });
      expect(order.saga).toMatchObject({ step: 'COMPENSATING', releasePending: true, refundPending: false });
      expect(nextAction(order.saga, at(3))).toBe('release-stock');
      order.stockReleased(at(4));
      expect(order.saga).toMatchObject({ step: 'CANCELLED', nextAttemptAt: null });
      expect(order.pullFacts()).toEqual([{ type: 'cancelled', previousStatus: 'PENDING' }]);
    });

    it('lets a user cancel a PENDING order, and a late successful charge is refunded, status unchanged', () => {
      const order = awaitingPayment();
      order.cancelByUser(at(3));
      expect(order.snapshot()).toMatchObject({ status: 'CANCELLED', cancellationReason: 'USER_CANCELLED' });
      expect(order.saga).toMatchObject({ releasePending: true, refundPending: true });
      order.stockReleased(at(4));
      order.refundRequested(at(5));
      expect(order.saga.step).toBe('CANCELLED');
      order.paymentSucceeded(at(6));
      expect(order.snapshot()).toMatchObject({ status: 'CANCELLED', cancellationReason: 'USER_CANCELLED' });
      expect(order.saga).toMatchObject({ step: 'COMPENSATING', refundPending: true, releasePending: false });
      expect(nextAction(order.saga, at(6))).toBe('refund');
      expect(order.pullFacts()).toEqual([{ type: 'cancelled', previousStatus: 'PENDING' }]);
    });

    it('releases stock even before a reservation is known (catalog then refuses a late one)', () => {
      const order = place();
      order.cancelByUser(at(1));
      expect(order.saga).toMatchObject({ step: 'COMPENSATING', releasePending: true, refundPending: false });
    });

    it('a cancellation after the reservation also voids a charge that may have reached payments', () => {
      const order = place();
      order.stockReserved(at(1));
      order.cancelByUser(at(2));
      expect(order.saga).toMatchObject({ step: 'COMPENSATING', releasePending: true, refundPending: true });
    });

    it('cancelling a CONFIRMED order refunds and releases', () => {
      const order = awaitingPayment();
      order.paymentSucceeded(at(3));
      order.cancelByUser(at(4));
      expect(order.saga).toMatchObject({ step: 'COMPENSATING', releasePending: true, refundPending: true });
      expect(order.pullFacts()).toEqual([{ type: 'confirmed' }, { type: 'cancelled', previousStatus: 'CONFIRMED' }]);
    });

    it('refuses to cancel a CANCELLED order', () => {
      const order = place();
      order.outOfStock(at(1));
      expect(() => order.cancelByUser(at(2))).toThrow(OrderNotCancellable);
    });

    it('a failed payment after the user cancelled changes nothing', () => {
      const order = awaitingPayment();
      order.cancelByUser(at(3));
      const before = order.snapshot();
      order.paymentFailed('DECLINED', at(4));
      expect(order.snapshot()).toEqual(before);
    });

    it('times out at the deadline: PAYMENT_UNAVAILABLE, and compensates what may have happened', () => {
      const order = awaitingPayment();
      expect(nextAction(order.saga, at(59))).toBeNull();
      expect(nextAction(order.saga, at(60))).toBe('time-out');
      order.timeOut(at(60));
      expect(order.snapshot()).toMatchObject({ status: 'CANCELLED', cancellationReason: 'PAYMENT_UNAVAILABLE' });
      expect(order.saga).toMatchObject({ releasePending: true, refundPending: true });
    });

    it('retries a failed step with growing backoff, never past the deadline while PENDING', () => {
      const order = place({ timeoutMs: 10_000 });
      order.retryLater(at(1), 'catalog is down');
      expect(order.saga).toMatchObject({ attempts: 1, nextAttemptAt: new Date(at(1).getTime() + 250) });
      order.retryLater(at(2), 'catalog is down');
      expect(order.saga.nextAttemptAt).toEqual(new Date(at(2).getTime() + 500));
      for (let i = 0; i < 20; i++) order.retryLater(at(3), 'catalog is down');
      expect(order.saga.nextAttemptAt).toEqual(at(10));
      order.stockReserved(at(4));
      expect(order.saga).toMatchObject({ attempts: 0, lastError: null });
    });

    it('a compensating saga keeps retrying after the deadline (money and stock are owed)', () => {
      const order = awaitingPayment();
      order.cancelByUser(at(3));
      for (let i = 0; i < 20; i++) order.retryLater(at(100), 'payments is down');
      expect(order.saga.nextAttemptAt).toEqual(at(130));
      expect(nextAction(order.saga, at(200))).toBe('release-stock');
    });

    it('an event that made a waiting saga due is undone by awaitPayment (back to the deadline)', () => {
      const order = awaitingPayment();
      const restored = Order.restore({ ...order.snapshot(), saga: { ...order.saga, nextAttemptAt: at(5) } });
      expect(restored.awaitPayment()).toBe(true);
      expect(restored.saga.nextAttemptAt).toEqual(at(60));
      expect(restored.awaitPayment()).toBe(false);
    });
  });

  describe('the state machine', () => {
    it('reaches every step from the start and ends only in CONFIRMED or CANCELLED', () => {
      const reached = new Set<string>(['[*]']);
      for (let changed = true; changed;) {
        changed = false;
        for (const t of ORDER_SAGA_TRANSITIONS) {
          if (reached.has(t.from) && !reached.has(t.to)) changed = reached.add(t.to) !== undefined;
        }
      }
      expect([...SAGA_STEPS].filter((step) => !reached.has(step))).toEqual([]);
      expect(ORDER_SAGA_TRANSITIONS.filter((t) => t.to === '[*]').map((t) => t.from)).toEqual([
        'CONFIRMED',
        'CANCELLED',
      ]);
    });

    it.each([
      ['CONFIRMED', 'AWAITING_PAYMENT'],
      ['CANCELLED', 'CONFIRMED'],
      ['COMPENSATING', 'CONFIRMED'],
      ['PENDING', 'AWAITING_PAYMENT'],
    ] as const)('refuses to move from %s to %s', (from, to) => {
      expect(() => assertTransition(from, to)).toThrow(`cannot move from ${from} to ${to}`);
    });

    it('a confirmed order that fails its payment afterwards stays confirmed (no illegal move is attempted)', () => {
      const order = awaitingPayment();
      order.paymentSucceeded(at(3));
      order.paymentFailed('DECLINED', at(4));
      order.stockReserved(at(5));
      expect(order.saga.step).toBe('CONFIRMED');
    });
  });
});
