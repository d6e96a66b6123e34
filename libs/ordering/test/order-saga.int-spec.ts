import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { type OrderView, OrderingPatterns } from '@ficus/contracts';
import { OrderSaga } from '../src/application/saga/order.saga.js';
import type { Order } from '../src/domain/order.aggregate.js';
import type { OrderRepository } from '../src/domain/ports.js';
import { ORDER_REPOSITORY } from '../src/ordering.di-tokens.js';
import { failure, meta, type OrderingTestContext, startOrdering, unique } from './ordering-test-context.js';

/**
 * The order saga end to end inside one process: real catalog (stock), real outbox/relay/inbox, the
 * payments contract answered by a controllable double. Each outcome, each compensation, and the
 * idempotency of every step.
 */
describe('the order saga', () => {
  let t: OrderingTestContext;
  beforeAll(async () => {
    t = await startOrdering('ordering-saga');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(() => {
    Object.assign(t.payments, { available: true, mode: 'auto', broken: false });
  });

  const place = (
    userId: string,
    lines: { productId: string; quantity: number }[],
    paymentToken = 'tok_ok',
    key = unique(),
  ) =>
    t.ordering.send<OrderView>(
      OrderingPatterns.placeOrder,
      { userId, items: lines, paymentToken, idempotencyKey: key },
      meta(),
    );
  const cancel = (userId: string, orderId: string) =>
    t.ordering.send<OrderView>(OrderingPatterns.cancelOrder, { userId, orderId }, meta());
  const events = async (orderId: string) =>
    (
      await t.sql.query(`SELECT name, payload FROM ordering.outbox WHERE aggregate_id = $1 ORDER BY created_at`, [
        orderId,
      ])
    ).rows as { name: string; payload: Record<string, unknown> }[];

  it('confirms a paid order: stock taken once, placed and confirmed published once each', async () => {
    const product = await t.product(5, 1250);
    const user = randomUUID();
    const placed = await place(user, [{ productId: product.id, quantity: 2 }]);
    expect(placed).toMatchObject({
      status: 'PENDING',
      items: [{ productId: product.id, name: product.name, unitPriceCents: 1250, quantity: 2 }],
      totalCents: 2500,
      currency: 'EUR',
      cancellationReason: null,
    });
    const done = await t.settled(user, placed.id);
    expect(done).toMatchObject({ status: 'CONFIRMED', cancellationReason: null });
    expect(await t.stockOf(product.id)).toBe(3);
    expect(t.payments.payments.get(placed.id)).toMatchObject({
      amountCents: 2500,
      currency: 'EUR',
      status: 'SUCCEEDED',
    });
    expect((await events(placed.id)).map((e) => e.name)).toEqual([
      'ordering.order-placed.v1',
      'ordering.order-confirmed.v1',
    ]);
    const [placedEvent] = await events(placed.id);
    expect(placedEvent.payload).toMatchObject({ orderId: placed.id, userId: user, totalCents: 2500, currency: 'EUR' });
  });

  it.each([
    ['tok_declined', 'PAYMENT_DECLINED'],
    ['tok_error', 'PAYMENT_UNAVAILABLE'],
  ])('cancels a %s order with %s and gives the stock back', async (token, reason) => {
    const product = await t.product(4);
    const user = randomUUID();
    const placed = await place(user, [{ productId: product.id, quantity: 3 }], token);
    const done = await t.settled(user, placed.id);
    expect(done).toMatchObject({ status: 'CANCELLED', cancellationReason: reason });
    expect(await t.stockOf(product.id)).toBe(4);
    const cancelled = (await events(placed.id)).find((e) => e.name === 'ordering.order-cancelled.v1');
    expect(cancelled?.payload).toMatchObject({ orderId: placed.id, reason, previousStatus: 'PENDING' });
  });

  it('cancels OUT_OF_STOCK without charging and without touching any line of the order', async () => {
    const plenty = await t.product(10);
    const scarce = await t.product(1);
    const user = randomUUID();
    const placed = await place(user, [
      { productId: plenty.id, quantity: 2 },
      { productId: scarce.id, quantity: 2 },
    ]);
    expect(await t.settled(user, placed.id)).toMatchObject({ status: 'CANCELLED', cancellationReason: 'OUT_OF_STOCK' });
    expect([await t.stockOf(plenty.id), await t.stockOf(scarce.id)]).toEqual([10, 1]);
    expect(t.payments.payments.has(placed.id)).toBe(false);
  });

  it('a user cancelling a PENDING order wins: stock back, and the charge that succeeds later is refunded', async () => {
    t.payments.mode = 'hold';
    const product = await t.product(3);
    const user = randomUUID();
    const placed = await place(user, [{ productId: product.id, quantity: 1 }]);
    await t.settled(user, placed.id, (_o, step) => step === 'AWAITING_PAYMENT');
    const cancelled = await cancel(user, placed.id);
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancellationReason: 'USER_CANCELLED' });
    await t.settled(user, placed.id);
    expect(await t.stockOf(product.id)).toBe(3);
    expect(t.payments.payments.get(placed.id)).toMatchObject({ status: 'PENDING', refundWins: true });
    await t.payments.settle(placed.id, 'SUCCEEDED');
    await waitFor(() => t.payments.payments.get(placed.id)!.status === 'REFUNDED');
    // The late success also reached ordering, which asked for the refund again (idempotent) and kept its word.
    await waitFor(() => t.payments.payments.get(placed.id)!.refunds >= 2);
    expect(await t.settled(user, placed.id)).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'USER_CANCELLED',
    });
    expect((await events(placed.id)).map((e) => e.name)).toEqual([
      'ordering.order-placed.v1',
      'ordering.order-cancelled.v1',
    ]);
  });

  it('cancelling a CONFIRMED order refunds it and releases its stock; a CANCELLED one is 409', async () => {
    const product = await t.product(2);
    const user = randomUUID();
    const placed = await place(user, [{ productId: product.id, quantity: 2 }]);
    await t.settled(user, placed.id);
    expect(await t.stockOf(product.id)).toBe(0);
    expect(await cancel(user, placed.id)).toMatchObject({ status: 'CANCELLED', cancellationReason: 'USER_CANCELLED' });
    await t.settled(user, placed.id);
    expect(await t.stockOf(product.id)).toBe(2);
    expect(t.payments.payments.get(placed.id)).toMatchObject({ status: 'REFUNDED', refunds: 1 });
    const again = await failure(cancel(user, placed.id));
    expect(again).toMatchObject({ code: 'ORDER_NOT_CANCELLABLE', status: 409 });
    const cancelledEvent = (await events(placed.id)).find((e) => e.name === 'ordering.order-cancelled.v1');
    expect(cancelledEvent?.payload).toMatchObject({ reason: 'USER_CANCELLED', previousStatus: 'CONFIRMED' });
  });

  it("another user's order is ORDER_NOT_FOUND to get and to cancel", async () => {
    const product = await t.product(2);
    const owner = randomUUID();
    const placed = await place(owner, [{ productId: product.id, quantity: 1 }]);
    const stranger = randomUUID();
    for (const call of [
      t.ordering.send(OrderingPatterns.getOrder, { userId: stranger, orderId: placed.id }, meta()),
      cancel(stranger, placed.id),
    ]) {
      expect(await failure(call)).toMatchObject({ code: 'ORDER_NOT_FOUND', status: 404 });
    }
    await t.settled(owner, placed.id);
  });

  it('places once per (user, idempotency key), however often and concurrently the call is repeated', async () => {
    const product = await t.product(10);
    const user = randomUUID();
    const key = unique();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => place(user, [{ productId: product.id, quantity: 1 }], 'tok_ok', key)),
    );
    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    await t.settled(user, answers[0].id);
    expect(await t.stockOf(product.id)).toBe(9);
    const { rows } = await t.sql.query('SELECT count(*)::int AS n FROM ordering.orders WHERE user_id = $1', [user]);
    expect(rows[0].n).toBe(1);
    // The same key of another user is another order.
    const other = await place(randomUUID(), [{ productId: product.id, quantity: 1 }], 'tok_ok', key);
    expect(other.id).not.toBe(answers[0].id);
  });

  it('refuses to place while payments cannot charge: SERVICE_UNAVAILABLE with its retry-after, nothing stored or reserved', async () => {
    Object.assign(t.payments, { available: false, retryAfterSeconds: 17 });
    const product = await t.product(3);
    const user = randomUUID();
    const refused = await failure(place(user, [{ productId: product.id, quantity: 1 }]));
    expect(refused).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503, retryAfterSeconds: 17 });
    expect(await t.stockOf(product.id)).toBe(3);
    const { rows } = await t.sql.query('SELECT count(*)::int AS n FROM ordering.orders WHERE user_id = $1', [user]);
    expect(rows[0].n).toBe(0);
  });

  it('refuses unknown products (PRODUCT_NOT_FOUND) and mixed currencies (VALIDATION_FAILED), storing nothing', async () => {
    const eur = await t.product(3, 100, 'EUR');
    const usd = await t.product(3, 100, 'USD');
    const user = randomUUID();
    const unknown = await failure(place(user, [{ productId: randomUUID(), quantity: 1 }]));
    expect(unknown).toMatchObject({ code: 'PRODUCT_NOT_FOUND', status: 404 });
    const mixed = await failure(
      place(user, [
        { productId: eur.id, quantity: 1 },
        { productId: usd.id, quantity: 1 },
      ]),
    );
    expect(mixed).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    const { rows } = await t.sql.query('SELECT count(*)::int AS n FROM ordering.orders WHERE user_id = $1', [user]);
    expect(rows[0].n).toBe(0);
  });

  it('retries a step while payments is broken and completes once it is back', async () => {
    t.payments.broken = true;
    const product = await t.product(3);
    const user = randomUUID();
    const placed = await place(user, [{ productId: product.id, quantity: 1 }]);
    await waitFor(async () => {
      const { rows } = await t.sql.query('SELECT attempts FROM ordering.order_sagas WHERE order_id = $1', [placed.id]);
      return rows[0].attempts >= 2;
    });
    const { rows } = await t.sql.query('SELECT step, last_error FROM ordering.order_sagas WHERE order_id = $1', [
      placed.id,
    ]);
    expect(rows[0]).toMatchObject({ step: 'STOCK_RESERVED', last_error: expect.stringContaining('ContractCallError') });
    t.payments.broken = false;
    expect(await t.settled(user, placed.id)).toMatchObject({ status: 'CONFIRMED' });
    expect(t.payments.payments.get(placed.id)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('resumes a saga left between two steps by a process that died (the sweeper picks it up)', async () => {
    t.payments.mode = 'hold';
    const product = await t.product(3);
    const user = randomUUID();
    const placed = await place(user, [{ productId: product.id, quantity: 1 }]);
    await t.settled(user, placed.id, (_o, step) => step === 'AWAITING_PAYMENT');
    // Rewind the persisted state to "stock reserved, charge not yet requested", as if the process had died
    // after the reservation committed: the repeated charge is the same payment, the saga completes.
    await t.sql.query(
      `UPDATE ordering.order_sagas SET step = 'STOCK_RESERVED', charge_requested = false, payment_token = 'tok_ok',
         next_attempt_at = now() WHERE order_id = $1`,
      [placed.id],
    );
    await waitFor(() => t.payments.payments.get(placed.id)!.charges >= 2);
    await t.payments.settle(placed.id, 'SUCCEEDED');
    expect(await t.settled(user, placed.id)).toMatchObject({ status: 'CONFIRMED' });
    expect(t.payments.payments.size).toBeGreaterThan(0);
    expect(await t.stockOf(product.id)).toBe(2);
  });

  it('drives events that arrive together in shared transactions: each applied once, duplicates and redeliveries change nothing', async () => {
    t.payments.mode = 'hold';
    const product = await t.product(40);
    const user = randomUUID();
    const placed = await Promise.all(
      Array.from({ length: 12 }, () => place(user, [{ productId: product.id, quantity: 1 }])),
    );
    for (const order of placed) await t.settled(user, order.id, (_o, step) => step === 'AWAITING_PAYMENT');
    const saga = t.app.get(OrderSaga);
    const repository = t.app.get<OrderRepository>(ORDER_REPOSITORY);
    const takeIn = jest.spyOn(repository, 'takeInAndLockMany');
    // Each order's payment succeeded, delivered twice at once (a duplicate inside the batch), with a second,
    // redundant event for the first order and an event about an order nobody placed.
    const succeeded = (id: string) => ({ id, apply: (o: Order, now: Date) => o.paymentSucceeded(now) });
    const eventIds = placed.map(() => randomUUID());
    const drive = () =>
      Promise.all([
        ...placed.flatMap((order, i) => [
          saga.advance(order.id, meta(), { event: succeeded(eventIds[i]) }),
          saga.advance(order.id, meta(), { event: succeeded(eventIds[i]) }),
        ]),
        saga.advance(placed[0].id, meta(), { event: succeeded(randomUUID()) }),
        saga.advance(randomUUID(), meta(), { event: { id: randomUUID() } }),
      ]);
    await drive();
    expect(Math.max(...takeIn.mock.calls.map(([, arrivals]) => arrivals.length))).toBeGreaterThan(1);
    for (const order of placed) {
      expect(await t.settled(user, order.id)).toMatchObject({ status: 'CONFIRMED' });
      expect((await events(order.id)).map((e) => e.name)).toEqual([
        'ordering.order-placed.v1',
        'ordering.order-confirmed.v1',
      ]);
    }
    const { rows } = await t.sql.query(
      'SELECT count(*)::int AS n FROM ordering.inbox WHERE event_id = ANY($1::uuid[])',
      [eventIds],
    );
    expect(rows[0].n).toBe(placed.length);
    // Delivered again later: nothing more happens.
    await drive();
    for (const order of placed) expect((await events(order.id)).length).toBe(2);
    takeIn.mockRestore();
    expect(await t.stockOf(product.id)).toBe(40 - placed.length);
  });

  it('writes orders placed at the same moment in shared statements, once per (user, key) even within one batch', async () => {
    const product = await t.product(100);
    const users = Array.from({ length: 30 }, () => randomUUID());
    const repeater = randomUUID();
    const line = [{ productId: product.id, quantity: 1 }];
    const placed = await Promise.all([
      ...users.map((user) => place(user, line)),
      ...Array.from({ length: 5 }, () => place(repeater, line, 'tok_ok', 'one-key')),
    ]);
    const distinct = placed.slice(0, users.length);
    expect(new Set(placed.slice(users.length).map((o) => o.id)).size).toBe(1);
    // Lines are never updated, so their xmin is the transaction that placed them: fewer than one per order.
    const { rows } = await t.sql.query(
      `SELECT count(*)::int AS n, count(DISTINCT xmin::text)::int AS commits FROM ordering.order_lines
       WHERE order_id = ANY($1::uuid[])`,
      [distinct.map((o) => o.id)],
    );
    expect(rows[0].n).toBe(users.length);
    expect(rows[0].commits).toBeLessThan(users.length);
    const { rows: repeated } = await t.sql.query('SELECT count(*)::int AS n FROM ordering.orders WHERE user_id = $1', [
      repeater,
    ]);
    expect(repeated[0].n).toBe(1);
    for (const [i, order] of [...distinct, placed[users.length]].entries()) {
      const owner = i < users.length ? users[i] : repeater;
      expect(await t.settled(owner, order.id)).toMatchObject({ status: 'CONFIRMED', totalCents: order.totalCents });
      expect((await events(order.id)).map((e) => e.name)).toEqual([
        'ordering.order-placed.v1',
        'ordering.order-confirmed.v1',
      ]);
    }
    expect(await t.stockOf(product.id)).toBe(100 - users.length - 1);
  });

  it('lists own orders newest first with a keyset cursor; a foreign cursor is INVALID_CURSOR', async () => {
    const product = await t.product(50);
    const user = randomUUID();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await place(user, [{ productId: product.id, quantity: 1 }])).id);
    await place(randomUUID(), [{ productId: product.id, quantity: 1 }]);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await t.ordering.send<{ items: OrderView[]; nextCursor: string | null }>(
        OrderingPatterns.listOrders,
        { userId: user, limit: 2, ...(cursor ? { cursor } : {}) },
        meta(),
      );
      seen.push(...page.items.map((o) => o.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const bad = await failure(t.ordering.send(OrderingPatterns.listOrders, { userId: user, cursor: 'nope' }, meta()));
    expect(bad).toMatchObject({ code: 'INVALID_CURSOR', status: 400 });
  });
});

describe('the order saga, past its deadline', () => {
  let t: OrderingTestContext;
  beforeAll(async () => {
    t = await startOrdering('ordering-timeout', { ORDERING_SAGA_TIMEOUT_S: '2' });
    t.payments.mode = 'hold';
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('cancels a saga stuck waiting for payment (PAYMENT_UNAVAILABLE), releases stock, refunds a late success', async () => {
    const product = await t.product(3);
    const user = randomUUID();
    const placed = await t.ordering.send<OrderView>(
      OrderingPatterns.placeOrder,
      { userId: user, items: [{ productId: product.id, quantity: 2 }], paymentToken: 'tok_ok', idempotencyKey: 'k' },
      meta(),
    );
    const done = await t.settled(user, placed.id);
    expect(done).toMatchObject({ status: 'CANCELLED', cancellationReason: 'PAYMENT_UNAVAILABLE' });
    expect(new Date(done.updatedAt).getTime() - new Date(done.createdAt).getTime()).toBeGreaterThanOrEqual(2000);
    expect(await t.stockOf(product.id)).toBe(3);
    expect(t.payments.payments.get(placed.id)).toMatchObject({ refundWins: true });
    await t.payments.settle(placed.id, 'SUCCEEDED');
    await waitFor(() => t.payments.payments.get(placed.id)!.status === 'REFUNDED');
    expect((await t.settled(user, placed.id)).status).toBe('CANCELLED');
  });
});

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
