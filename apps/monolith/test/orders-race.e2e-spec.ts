import { call, type RunningApp, startTestApp } from './e2e-harness.js';
import { ORDER_SUITE_ENV, orderWhen, placeOrder, shopFixture } from './orders-fixtures.js';

/**
 * Overselling, on the real Postgres over real HTTP: 100 users order the last 10 units at the same moment.
 * Catalog's conditional UPDATE (and the products_stock_non_negative CHECK behind it) must let exactly 10
 * through, whatever the interleaving.
 */
describe('100 concurrent orders for 10 units', () => {
  let t: RunningApp;
  let shop: Awaited<ReturnType<typeof shopFixture>>;
  beforeAll(async () => {
    t = await startTestApp('orders-race', { ...ORDER_SUITE_ENV, PAYMENTS_BREAKER_THRESHOLD: '1000' });
    shop = await shopFixture(t);
  }, 60_000);
  afterAll(async () => {
    await shop?.sql.end();
    await t?.close();
  }, 30_000);

  it('confirms exactly 10, cancels 90 OUT_OF_STOCK, and stock ends at 0 without ever going below', async () => {
    const product = await shop.product(10);
    const tokens = await Promise.all(Array.from({ length: 100 }, () => shop.customer()));
    const observed: number[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const { rows } = await shop.sql.query('SELECT stock FROM catalog.products WHERE id = $1', [product.id]);
        observed.push(rows[0].stock);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();

    const placed = await Promise.all(
      tokens.map((token) =>
        placeOrder(t, token, { items: [{ productId: product.id, quantity: 1 }], paymentToken: 'tok_ok' }),
      ),
    );
    expect(placed.map((p) => p.status)).toEqual(Array(100).fill(202));
    const final = await Promise.all(placed.map((p, i) => orderWhen(t, tokens[i], p.body.id, undefined, 60_000)));
    watching = false;
    await watcher;

    const confirmed = final.filter((o) => o.status === 'CONFIRMED');
    const cancelled = final.filter((o) => o.status === 'CANCELLED');
    expect(confirmed).toHaveLength(10);
    expect(cancelled).toHaveLength(90);
    expect(new Set(cancelled.map((o) => o.cancellationReason))).toEqual(new Set(['OUT_OF_STOCK']));
    expect((await call(t.url, 'GET', `/v1/products/${product.id}`)).body.stock).toBe(0);
    expect(Math.min(...observed)).toBeGreaterThanOrEqual(0);
    const { rows } = await shop.sql.query(
      `SELECT count(*)::int AS n FROM catalog.reservation_outcomes WHERE status = 'RESERVED'`,
    );
    expect(rows[0].n).toBe(10);
  }, 120_000);
});
