import { randomUUID } from 'node:crypto';
import {
  type CallMeta,
  CatalogPatterns,
  type CategoryView,
  type OrderPage,
  OrderingPatterns,
  type OrderView,
  type ProductView,
} from '@ficus/contracts';
import {
  CONTRACT_MODES,
  contractFailure as failure,
  type ContractHarness,
  startContractHarness,
} from '@ficus/platform/testing';
import { OrderingModule } from '../src/index.js';

let n = 0;
const unique = () => `${process.pid}-${Date.now().toString(36)}-${n++}`;
const meta = (): CallMeta => ({ correlationId: `contract-${n++}`, actor: null });

/**
 * Ordering's contract, in-process and over Redis, with the real catalog and payments beside it (payments'
 * fake provider: tok_ok, tok_declined, tok_error). In `redis` mode ordering runs in a host of its own, so
 * its calls to catalog and payments and payments' events cross the transport.
 */
describe.each(CONTRACT_MODES)('ordering contract (%s)', (mode) => {
  let h: ContractHarness;
  let category: CategoryView;
  beforeAll(async () => {
    h = await startContractHarness('ordering', OrderingModule, mode, {
      companions: ['catalog', 'payments'],
      // Two provider errors open payments' breaker (the last test does it on purpose).
      env: { ORDERING_SAGA_SWEEP_MS: '100', PAYMENTS_BREAKER_THRESHOLD: '2', PAYMENTS_BREAKER_COOLDOWN_S: '60' },
    });
    category = await h
      .clientOf('catalog')
      .send<CategoryView>(CatalogPatterns.createCategory, { slug: `shelf-${unique()}`, name: 'Shelf' }, meta());
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  }, 30_000);

  const product = (stock: number, priceCents = 1999) =>
    h.clientOf('catalog').send<ProductView>(
      CatalogPatterns.createProduct,
      {
        sku: `SKU-${unique()}`,
        name: 'Desk lamp',
        description: '',
        priceCents,
        currency: 'EUR',
        categorySlug: category.slug,
        stock,
      },
      meta(),
    );
  const place = (data: Record<string, unknown>) =>
    h.client.send<OrderView>(
      OrderingPatterns.placeOrder,
      { paymentToken: 'tok_ok', idempotencyKey: unique(), ...data },
      meta(),
    );
  const get = (userId: string, orderId: string) =>
    h.client.send<OrderView>(OrderingPatterns.getOrder, { userId, orderId }, meta());
  const settled = async (userId: string, orderId: string) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const order = await get(userId, orderId);
      if (order.status !== 'PENDING') return order;
      if (Date.now() > deadline) throw new Error(`order ${orderId} still PENDING`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('places an order (PENDING, price snapshot) that its saga confirms; the same key answers the same order', async () => {
    const lamp = await product(3, 4500);
    const userId = randomUUID();
    const idempotencyKey = unique();
    const placed = await place({ userId, items: [{ productId: lamp.id, quantity: 2 }], idempotencyKey });
    expect(placed).toEqual({
      id: expect.any(String),
      status: 'PENDING',
      items: [{ productId: lamp.id, name: 'Desk lamp', unitPriceCents: 4500, quantity: 2 }],
      totalCents: 9000,
      currency: 'EUR',
      cancellationReason: null,
      createdAt: expect.any(String),
      updatedAt: placed.createdAt,
    });
    expect((await place({ userId, items: [{ productId: lamp.id, quantity: 2 }], idempotencyKey })).id).toBe(placed.id);
    expect(await settled(userId, placed.id)).toMatchObject({ status: 'CONFIRMED' });
  });

  it('a declined payment ends CANCELLED / PAYMENT_DECLINED', async () => {
    const lamp = await product(3);
    const userId = randomUUID();
    const placed = await place({ userId, items: [{ productId: lamp.id, quantity: 1 }], paymentToken: 'tok_declined' });
    expect(await settled(userId, placed.id)).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'PAYMENT_DECLINED',
    });
  });

  it.each([
    ['no items', { items: [] }],
    ['51 lines', { items: Array.from({ length: 51 }, () => ({ productId: randomUUID(), quantity: 1 })) }],
    [
      'a duplicate product',
      {
        items: [
          { productId: 'P', quantity: 1 },
          { productId: 'P', quantity: 1 },
        ],
      },
    ],
    ['quantity 0', { items: [{ productId: 'P', quantity: 0 }] }],
    ['quantity 101', { items: [{ productId: 'P', quantity: 101 }] }],
    ['quantity 1.5', { items: [{ productId: 'P', quantity: 1.5 }] }],
    ['quantity "1"', { items: [{ productId: 'P', quantity: '1' }] }],
    ['a malformed user id', { userId: 'nobody', items: [{ productId: 'P', quantity: 1 }] }],
    ['an overlong idempotency key', { idempotencyKey: 'k'.repeat(256), items: [{ productId: 'P', quantity: 1 }] }],
    ['an unknown field', { coupon: 'FREE', items: [{ productId: 'P', quantity: 1 }] }],
  ])('refuses %s with VALIDATION_FAILED (400)', async (_label, data) => {
    const lamp = await product(1);
    const withIds = JSON.parse(JSON.stringify({ userId: randomUUID(), ...data }).replaceAll('"P"', `"${lamp.id}"`));
    const error = await failure(place(withIds));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400, kind: 'invalid' });
    expect(error.errors?.length).toBeGreaterThan(0);
  });

  it('refuses an unknown product with PRODUCT_NOT_FOUND (404)', async () => {
    const error = await failure(place({ userId: randomUUID(), items: [{ productId: randomUUID(), quantity: 1 }] }));
    expect(error).toMatchObject({ code: 'PRODUCT_NOT_FOUND', status: 404 });
  });

  it("answers ORDER_NOT_FOUND (404) for an unknown order and for another user's", async () => {
    const lamp = await product(1);
    const userId = randomUUID();
    const placed = await place({ userId, items: [{ productId: lamp.id, quantity: 1 }] });
    for (const [user, order] of [
      [randomUUID(), placed.id],
      [userId, randomUUID()],
    ]) {
      expect(await failure(get(user, order))).toMatchObject({ code: 'ORDER_NOT_FOUND', status: 404 });
    }
    await settled(userId, placed.id);
  });

  it('lists own orders newest first with a cursor; a bad cursor is INVALID_CURSOR (400)', async () => {
    const lamp = await product(10);
    const userId = randomUUID();
    const first = await place({ userId, items: [{ productId: lamp.id, quantity: 1 }] });
    const second = await place({ userId, items: [{ productId: lamp.id, quantity: 1 }] });
    const page1 = await h.client.send<OrderPage>(OrderingPatterns.listOrders, { userId, limit: 1 }, meta());
    expect(page1.items.map((o) => o.id)).toEqual([second.id]);
    const page2 = await h.client.send<OrderPage>(
      OrderingPatterns.listOrders,
      { userId, limit: 1, cursor: page1.nextCursor },
      meta(),
    );
    expect(page2).toMatchObject({ items: [{ id: first.id }], nextCursor: null });
    const bad = await failure(h.client.send(OrderingPatterns.listOrders, { userId, cursor: 'x' }, meta()));
    expect(bad).toMatchObject({ code: 'INVALID_CURSOR', status: 400 });
  });

  it('cancels an order (USER_CANCELLED); cancelling it again is ORDER_NOT_CANCELLABLE (409)', async () => {
    const lamp = await product(2);
    const userId = randomUUID();
    const placed = await place({ userId, items: [{ productId: lamp.id, quantity: 1 }] });
    const cancel = () => h.client.send<OrderView>(OrderingPatterns.cancelOrder, { userId, orderId: placed.id }, meta());
    expect(await cancel()).toMatchObject({ status: 'CANCELLED', cancellationReason: 'USER_CANCELLED' });
    expect(await failure(cancel())).toMatchObject({ code: 'ORDER_NOT_CANCELLABLE', status: 409, kind: 'conflict' });
  });

  // Last: it leaves payments' breaker open.
  it('refuses with SERVICE_UNAVAILABLE (503) and a retry-after while payments cannot charge, storing nothing', async () => {
    const lamp = await product(5);
    const failing = randomUUID();
    for (let i = 0; i < 2; i++) {
      const placed = await place({
        userId: failing,
        items: [{ productId: lamp.id, quantity: 1 }],
        paymentToken: 'tok_error',
      });
      expect(await settled(failing, placed.id)).toMatchObject({ cancellationReason: 'PAYMENT_UNAVAILABLE' });
    }
    const userId = randomUUID();
    const error = await failure(place({ userId, items: [{ productId: lamp.id, quantity: 1 }] }));
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503, kind: 'unavailable' });
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(60);
    const page = await h.client.send<OrderPage>(OrderingPatterns.listOrders, { userId }, meta());
    expect(page.items).toEqual([]);
  });
});
