import { randomUUID } from 'node:crypto';
import { CatalogPatterns, type ProductView, type StockReleaseView, type StockReservationView } from '@ficus/contracts';
import {
  type CatalogTestContext,
  createCategory,
  createProduct,
  failure,
  meta,
  startCatalog,
} from './catalog-test-context.js';

describe('stock reservations (real Postgres)', () => {
  let t: CatalogTestContext;
  let slug: string;
  beforeAll(async () => {
    t = await startCatalog('stock');
    slug = (await createCategory(t.client)).slug;
  }, 30_000);
  afterAll(async () => {
    await t?.close();
  });

  const reserve = (orderId: string, lines: { productId: string; quantity: number }[]) =>
    t.client.send<StockReservationView>(CatalogPatterns.reserveStock, { orderId, lines }, meta());
  const release = (orderId: string) =>
    t.client.send<StockReleaseView>(CatalogPatterns.releaseStock, { orderId }, meta());
  const stockOf = async (productId: string) =>
    (await t.client.send<ProductView>(CatalogPatterns.getProduct, { productId }, meta())).stock;
  const events = async (name: string, orderId: string) =>
    (await t.sql.query('SELECT payload FROM catalog.outbox WHERE name = $1 AND aggregate_id = $2', [name, orderId]))
      .rows;

  it('lets exactly 10 of 100 concurrent one-unit reservations through a stock of 10', async () => {
    const product = await createProduct(t.client, slug, { stock: 10 });
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => reserve(randomUUID(), [{ productId: product.id, quantity: 1 }])),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(won).toHaveLength(10);
    expect(lost.every((r) => r.reason.code === 'INSUFFICIENT_STOCK')).toBe(true);
    expect(await stockOf(product.id)).toBe(0);
    const { rows } = await t.sql.query(
      `SELECT count(*)::int AS n, sum(quantity)::int AS units FROM catalog.stock_reservations WHERE product_id = $1`,
      [product.id],
    );
    expect(rows[0]).toEqual({ n: 10, units: 10 });
  }, 30_000);

  it('reserves all lines or none, and a refusal leaves every product untouched', async () => {
    const [a, b] = [
      await createProduct(t.client, slug, { stock: 5 }),
      await createProduct(t.client, slug, { stock: 1 }),
    ];
    const orderId = randomUUID();
    const refused = await failure(
      reserve(orderId, [
        { productId: a.id, quantity: 2 },
        { productId: b.id, quantity: 2 },
      ]),
    );
    expect(refused).toMatchObject({ code: 'INSUFFICIENT_STOCK', status: 409 });
    expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([5, 1]);
    expect(await events('catalog.stock-reserved.v1', orderId)).toEqual([]);
  });

  it('refuses an unknown product with PRODUCT_NOT_FOUND and reserves nothing', async () => {
    const a = await createProduct(t.client, slug, { stock: 5 });
    const body = await failure(
      reserve(randomUUID(), [
        { productId: a.id, quantity: 1 },
        { productId: randomUUID(), quantity: 1 },
      ]),
    );
    expect(body).toMatchObject({ code: 'PRODUCT_NOT_FOUND', status: 404 });
    expect(await stockOf(a.id)).toBe(5);
  });

  it('is idempotent per order: a repeat answers the same and takes nothing more', async () => {
    const a = await createProduct(t.client, slug, { stock: 5 });
    const orderId = randomUUID();
    const lines = [{ productId: a.id, quantity: 2 }];
    const [first, second] = await Promise.all([reserve(orderId, lines), reserve(orderId, lines)]);
    const third = await reserve(orderId, lines);
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(first).toMatchObject({ orderId, status: 'RESERVED', lines });
    expect(await stockOf(a.id)).toBe(3);
    expect(await events('catalog.stock-reserved.v1', orderId)).toEqual([
      { payload: { orderId, lines, reservedAt: first.reservedAt } },
    ]);
    const other = await failure(reserve(orderId, [{ productId: a.id, quantity: 1 }]));
    expect(other.code).toBe('RESERVATION_MISMATCH');
  });

  it('repeats a refusal for the same order even after stock arrives', async () => {
    const a = await createProduct(t.client, slug, { stock: 0 });
    const orderId = randomUUID();
    const lines = [{ productId: a.id, quantity: 1 }];
    expect((await failure(reserve(orderId, lines))).code).toBe('INSUFFICIENT_STOCK');
    await t.client.send(CatalogPatterns.updateProduct, { productId: a.id, stock: 10 }, meta());
    expect((await failure(reserve(orderId, lines))).code).toBe('INSUFFICIENT_STOCK');
    expect(await stockOf(a.id)).toBe(10);
  });

  it('releases once, idempotently, and announces it in the outbox', async () => {
    const [a, b] = [
      await createProduct(t.client, slug, { stock: 4 }),
      await createProduct(t.client, slug, { stock: 4 }),
    ];
    const orderId = randomUUID();
    const lines = [
      { productId: a.id, quantity: 1 },
      { productId: b.id, quantity: 3 },
    ].sort((x, y) => (x.productId < y.productId ? -1 : 1));
    await reserve(orderId, lines);
    const [first, second] = await Promise.all([release(orderId), release(orderId)]);
    expect(second).toEqual(first);
    expect(first).toMatchObject({ orderId, status: 'RELEASED', lines });
    expect(await release(orderId)).toEqual(first);
    expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([4, 4]);
    expect(await events('catalog.stock-released.v1', orderId)).toEqual([
      { payload: { orderId, lines, releasedAt: first.releasedAt } },
    ]);
    expect((await failure(reserve(orderId, lines))).code).toBe('RESERVATION_RELEASED');
  });

  it('remembers a release that came first, so the late reservation holds no stock', async () => {
    const a = await createProduct(t.client, slug, { stock: 4 });
    const orderId = randomUUID();
    expect(await release(orderId)).toMatchObject({ orderId, status: 'RELEASED', lines: [] });
    const late = await failure(reserve(orderId, [{ productId: a.id, quantity: 1 }]));
    expect(late).toMatchObject({ code: 'RESERVATION_RELEASED', status: 409 });
    expect(await stockOf(a.id)).toBe(4);
    expect(await events('catalog.stock-released.v1', orderId)).toEqual([]);
  });

  it('never deadlocks when orders share products in opposite line order', async () => {
    const products = await Promise.all(Array.from({ length: 4 }, () => createProduct(t.client, slug, { stock: 1000 })));
    const forward = products.map((p) => ({ productId: p.id, quantity: 1 }));
    const backward = [...forward].reverse();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => reserve(randomUUID(), i % 2 ? forward : backward)),
    );
    expect(results).toHaveLength(40);
    for (const p of products) expect(await stockOf(p.id)).toBe(960);
  }, 30_000);
});
