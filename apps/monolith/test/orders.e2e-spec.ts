import { randomUUID } from 'node:crypto';
import type { ContextName } from '@ficus/contracts';
import { ContextClientFactory } from '@ficus/platform';
import { call, type RunningApp, startTestApp } from './e2e-harness.js';
import {
  eventually,
  expectProblem,
  ORDER_SUITE_ENV,
  orderWhen,
  placeOrder,
  shopFixture,
  unique,
} from './orders-fixtures.js';

/** In-process, and with ordering and payments each in its own host, reached over Redis. */
const MODES: { name: string; extracted: ContextName[] }[] = [
  { name: 'in-process', extracted: [] },
  { name: 'ordering and payments extracted', extracted: ['ordering', 'payments'] },
];

describe.each(MODES)('orders over HTTP ($name)', ({ extracted }) => {
  let t: RunningApp;
  let shop: Awaited<ReturnType<typeof shopFixture>>;
  beforeAll(async () => {
    t = await startTestApp('orders', { ...ORDER_SUITE_ENV, PAYMENTS_BREAKER_THRESHOLD: '1000' }, extracted);
    shop = await shopFixture(t);
  }, 60_000);
  afterAll(async () => {
    await shop?.sql.end();
    await t?.close();
  }, 30_000);

  const payment = (orderId: string) =>
    t.app
      .get(ContextClientFactory)
      .get('payments')
      .send<{ status: string } | null>('payments.get-payment.v1', { orderId }, { correlationId: 'e2e', actor: null });
  const outboxNames = async (orderId: string) =>
    (
      await shop.sql.query('SELECT name FROM ordering.outbox WHERE aggregate_id = $1 ORDER BY created_at', [orderId])
    ).rows.map((r) => r.name as string);

  it('places an order: 202 PENDING with Location, then CONFIRMED with the price snapshot; events published', async () => {
    const product = await shop.product(5, 2500);
    const token = await shop.customer();
    const res = await placeOrder(t, token, { items: [{ productId: product.id, quantity: 2 }], paymentToken: 'tok_ok' });
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe(`/v1/orders/${res.body.id}`);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'PENDING',
      items: [{ productId: product.id, name: product.name, unitPriceCents: 2500, quantity: 2 }],
      totalCents: 5000,
      currency: 'EUR',
      cancellationReason: null,
      createdAt: expect.any(String),
      updatedAt: res.body.createdAt,
    });
    const done = await orderWhen(t, token, res.body.id);
    expect(done).toMatchObject({ status: 'CONFIRMED', cancellationReason: null, totalCents: 5000 });
    expect(await shop.stockOf(product.id)).toBe(3);
    expect(await payment(res.body.id)).toMatchObject({ status: 'SUCCEEDED' });
    expect(await outboxNames(res.body.id)).toEqual(['ordering.order-placed.v1', 'ordering.order-confirmed.v1']);
  });

  it.each([
    ['tok_declined', 'PAYMENT_DECLINED'],
    ['tok_error', 'PAYMENT_UNAVAILABLE'],
    ['tok_slow', 'PAYMENT_UNAVAILABLE'],
  ])('%s ends CANCELLED %s with the stock back', async (paymentToken, reason) => {
    const product = await shop.product(4);
    const token = await shop.customer();
    const res = await placeOrder(t, token, { items: [{ productId: product.id, quantity: 3 }], paymentToken });
    expect(res.status).toBe(202);
    expect(await orderWhen(t, token, res.body.id)).toMatchObject({ status: 'CANCELLED', cancellationReason: reason });
    await eventually(async () => (await shop.stockOf(product.id)) === 4);
    expect(await outboxNames(res.body.id)).toEqual(['ordering.order-placed.v1', 'ordering.order-cancelled.v1']);
    const cancelled = await shop.sql.query(
      `SELECT payload FROM ordering.outbox WHERE aggregate_id = $1 AND name = 'ordering.order-cancelled.v1'`,
      [res.body.id],
    );
    expect(cancelled.rows[0].payload).toMatchObject({ reason, orderId: res.body.id });
  });

  it('cancelling PENDING orders right away: USER_CANCELLED, stock back, and no charge is left unrefunded', async () => {
    const product = await shop.product(20);
    const token = await shop.customer();
    const placed = await Promise.all(
      Array.from({ length: 8 }, () =>
        placeOrder(t, token, { items: [{ productId: product.id, quantity: 2 }], paymentToken: 'tok_ok' }),
      ),
    );
    const cancelled = await Promise.all(
      placed.map((p) => call(t.url, 'POST', `/v1/orders/${p.body.id}/cancel`, { token })),
    );
    for (const res of cancelled) {
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'CANCELLED', cancellationReason: 'USER_CANCELLED' });
    }
    await eventually(async () => (await shop.stockOf(product.id)) === 20);
    // Whatever the charge was doing when the user cancelled, it ends refunded or never captured.
    for (const p of placed) {
      await eventually(async () => ['REFUNDED', 'FAILED', undefined].includes((await payment(p.body.id))?.status));
      expect(await orderWhen(t, token, p.body.id)).toMatchObject({ cancellationReason: 'USER_CANCELLED' });
    }
  });

  it('cancelling a CONFIRMED order refunds it and releases its stock; cancelling again is 409', async () => {
    const product = await shop.product(2);
    const token = await shop.customer();
    const res = await placeOrder(t, token, { items: [{ productId: product.id, quantity: 2 }], paymentToken: 'tok_ok' });
    await orderWhen(t, token, res.body.id, (o) => o.status === 'CONFIRMED');
    expect(await shop.stockOf(product.id)).toBe(0);
    const cancelled = await call(t.url, 'POST', `/v1/orders/${res.body.id}/cancel`, { token });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED', cancellationReason: 'USER_CANCELLED' });
    await eventually(async () => (await shop.stockOf(product.id)) === 2);
    await eventually(async () => (await payment(res.body.id))?.status === 'REFUNDED');
    expectProblem(
      await call(t.url, 'POST', `/v1/orders/${res.body.id}/cancel`, { token }),
      409,
      'ORDER_NOT_CANCELLABLE',
    );
  });

  it('an OUT_OF_STOCK order is CANCELLED and cannot be cancelled (409)', async () => {
    const product = await shop.product(1);
    const token = await shop.customer();
    const res = await placeOrder(t, token, { items: [{ productId: product.id, quantity: 2 }], paymentToken: 'tok_ok' });
    expect(await orderWhen(t, token, res.body.id)).toMatchObject({ cancellationReason: 'OUT_OF_STOCK' });
    expect(await shop.stockOf(product.id)).toBe(1);
    expect(await payment(res.body.id)).toBeNull();
    expectProblem(
      await call(t.url, 'POST', `/v1/orders/${res.body.id}/cancel`, { token }),
      409,
      'ORDER_NOT_CANCELLABLE',
    );
  });

  it("another user's order is 404 ORDER_NOT_FOUND to read and to cancel, and never listed", async () => {
    const product = await shop.product(3);
    const owner = await shop.customer();
    const res = await placeOrder(t, owner, { items: [{ productId: product.id, quantity: 1 }], paymentToken: 'tok_ok' });
    const stranger = await shop.customer();
    expectProblem(await call(t.url, 'GET', `/v1/orders/${res.body.id}`, { token: stranger }), 404, 'ORDER_NOT_FOUND');
    expectProblem(
      await call(t.url, 'POST', `/v1/orders/${res.body.id}/cancel`, { token: stranger }),
      404,
      'ORDER_NOT_FOUND',
    );
    expectProblem(await call(t.url, 'GET', `/v1/orders/${randomUUID()}`, { token: owner }), 404, 'ORDER_NOT_FOUND');
    expect((await call(t.url, 'GET', '/v1/orders', { token: stranger })).body).toEqual({ items: [], nextCursor: null });
    await orderWhen(t, owner, res.body.id);
  });

  it('lists own orders newest first, page by page; a bad cursor or limit is 400', async () => {
    const product = await shop.product(50);
    const token = await shop.customer();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        (await placeOrder(t, token, { items: [{ productId: product.id, quantity: 1 }], paymentToken: 'tok_ok' })).body
          .id,
      );
    }
    const seen: string[] = [];
    let path = '/v1/orders?limit=2';
    for (;;) {
      const page = await call(t.url, 'GET', path, { token });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((o: { id: string }) => o.id));
      if (!page.body.nextCursor) break;
      path = `/v1/orders?limit=2&cursor=${encodeURIComponent(page.body.nextCursor)}`;
    }
    expect(seen).toEqual([...ids].reverse());
    expectProblem(await call(t.url, 'GET', '/v1/orders?cursor=garbage', { token }), 400, 'INVALID_CURSOR');
    for (const limit of ['0', '101', 'x']) {
      expectProblem(await call(t.url, 'GET', `/v1/orders?limit=${limit}`, { token }), 400, 'VALIDATION_FAILED');
    }
    for (const id of ids) await orderWhen(t, token, id);
  });

  it('places once per Idempotency-Key: a retry replays the 202; another body with that key is 422', async () => {
    const product = await shop.product(5);
    const token = await shop.customer();
    const key = unique();
    const body = { items: [{ productId: product.id, quantity: 1 }], paymentToken: 'tok_ok' };
    const first = await placeOrder(t, token, body, key);
    const again = await placeOrder(t, token, body, key);
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.body).toEqual(first.body);
    const other = await placeOrder(t, token, { ...body, items: [{ productId: product.id, quantity: 2 }] }, key);
    expectProblem(other, 422, 'IDEMPOTENCY_KEY_REUSED');
    await orderWhen(t, token, first.body.id);
    expect(await shop.stockOf(product.id)).toBe(4);
    expect((await call(t.url, 'GET', '/v1/orders', { token })).body.items).toHaveLength(1);
  });

  describe('bad input is a 4xx problem, and nothing is stored', () => {
    let token: string;
    let productId: string;
    beforeAll(async () => {
      token = await shop.customer();
      productId = (await shop.product(100)).id;
    });
    const line = (quantity: unknown, id = productId) => ({ productId: id, quantity });

    it.each([
      ['no items', { items: [], paymentToken: 'tok_ok' }],
      ['51 lines', { items: Array.from({ length: 51 }, () => line(1, randomUUID())), paymentToken: 'tok_ok' }],
      ['a duplicate productId', { items: [line(1), line(2)], paymentToken: 'tok_ok' }],
      ['quantity 0', { items: [line(0)], paymentToken: 'tok_ok' }],
      ['quantity 101', { items: [line(101)], paymentToken: 'tok_ok' }],
      ['quantity 1.5', { items: [line(1.5)], paymentToken: 'tok_ok' }],
      ['quantity "1"', { items: [line('1')], paymentToken: 'tok_ok' }],
      ['a malformed productId', { items: [line(1, 'not-a-uuid')], paymentToken: 'tok_ok' }],
      ['items that are not objects', { items: [1, 2], paymentToken: 'tok_ok' }],
      ['no paymentToken', { items: [line(1)] }],
      ['an empty paymentToken', { items: [line(1)], paymentToken: '' }],
      ['an overlong paymentToken', { items: [line(1)], paymentToken: 'x'.repeat(256) }],
      ['an unknown field', { items: [line(1)], paymentToken: 'tok_ok', coupon: 'FREE' }],
    ])('%s → 400 VALIDATION_FAILED', async (_label, body) => {
      expectProblem(await placeOrder(t, token, body), 400, 'VALIDATION_FAILED');
    });

    it('an unknown product → 404 PRODUCT_NOT_FOUND', async () => {
      const res = await placeOrder(t, token, { items: [line(1, randomUUID())], paymentToken: 'tok_ok' });
      expectProblem(res, 404, 'PRODUCT_NOT_FOUND');
    });

    it('no Idempotency-Key, or one over 255 characters → 400 IDEMPOTENCY_KEY_REQUIRED', async () => {
      const body = { items: [line(1)], paymentToken: 'tok_ok' };
      expectProblem(await placeOrder(t, token, body, null), 400, 'IDEMPOTENCY_KEY_REQUIRED');
      expectProblem(await placeOrder(t, token, body, 'k'.repeat(256)), 400, 'IDEMPOTENCY_KEY_REQUIRED');
    });

    it('a malformed order id → 400 on read and cancel; anonymous → 401', async () => {
      expectProblem(await call(t.url, 'GET', '/v1/orders/not-a-uuid', { token }), 400, 'VALIDATION_FAILED');
      expectProblem(await call(t.url, 'POST', '/v1/orders/not-a-uuid/cancel', { token }), 400, 'VALIDATION_FAILED');
      expectProblem(await call(t.url, 'GET', '/v1/orders'), 401, 'UNAUTHENTICATED');
      expectProblem(await placeOrder(t, '', { items: [line(1)], paymentToken: 'tok_ok' }), 401, 'UNAUTHENTICATED');
    });

    it('malformed JSON → 400 MALFORMED_REQUEST; none of the above stored an order or moved stock', async () => {
      const res = await call(t.url, 'POST', '/v1/orders', {
        token,
        raw: '{"items": [',
        headers: { 'content-type': 'application/json', 'idempotency-key': unique() },
      });
      expectProblem(res, 400, 'MALFORMED_REQUEST');
      expect((await call(t.url, 'GET', '/v1/orders', { token })).body.items).toEqual([]);
      expect(await shop.stockOf(productId)).toBe(100);
    });
  });
});
