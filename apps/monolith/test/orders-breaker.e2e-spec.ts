import { call, type RunningApp, startTestApp } from './e2e-harness.js';
import { expectProblem, ORDER_SUITE_ENV, orderWhen, placeOrder, shopFixture } from './orders-fixtures.js';

/** The payment provider is failing and payments' breaker opens: new orders are refused fast, untouched. */
describe('POST /v1/orders while the payment breaker is open', () => {
  let t: RunningApp;
  let shop: Awaited<ReturnType<typeof shopFixture>>;
  beforeAll(async () => {
    t = await startTestApp('orders-breaker', {
      ...ORDER_SUITE_ENV,
      PAYMENTS_BREAKER_THRESHOLD: '2',
      PAYMENTS_BREAKER_COOLDOWN_S: '30',
    });
    shop = await shopFixture(t);
  }, 60_000);
  afterAll(async () => {
    await shop?.sql.end();
    await t?.close();
  }, 30_000);

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After within 100 ms, storing and reserving nothing', async () => {
    const product = await shop.product(10);
    const failing = await shop.customer();
    for (let i = 0; i < 2; i++) {
      const res = await placeOrder(t, failing, {
        items: [{ productId: product.id, quantity: 1 }],
        paymentToken: 'tok_error',
      });
      expect(await orderWhen(t, failing, res.body.id)).toMatchObject({ cancellationReason: 'PAYMENT_UNAVAILABLE' });
    }

    const token = await shop.customer();
    const timings: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const res = await placeOrder(t, token, {
        items: [{ productId: product.id, quantity: 1 }],
        paymentToken: 'tok_ok',
      });
      timings.push(performance.now() - started);
      expectProblem(res, 503, 'SERVICE_UNAVAILABLE');
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(30);
    }
    // The first request warms the route; every later one is answered from the open breaker's state.
    expect(Math.max(...timings.slice(1))).toBeLessThanOrEqual(100);
    expect((await call(t.url, 'GET', '/v1/orders', { token })).body.items).toEqual([]);
    expect(await shop.stockOf(product.id)).toBe(10);
  });
});
