import { type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import pg from 'pg';
import { type CallMeta, CatalogPatterns, type CategoryView, type OrderView, type ProductView } from '@ficus/contracts';
import { type ContextClient, ContextClientFactory, PlatformModule, startInProcessTransport } from '@ficus/platform';
import { createTestDatabase, loadContextModule, type TestDatabase, useTestEnv } from '@ficus/platform/testing';
import { OrderingModule } from '../src/index.js';
import { FAKE_PAYMENTS_STATE, FakePaymentsModule, type FakePaymentsState } from './fake-payments.module.js';

export { contractFailure as failure } from '@ficus/platform/testing';

/**
 * Ordering hosted in-process with the real catalog and a controllable payments context (see
 * fake-payments.module.ts), against a fresh database, plus a superuser pool to look at the tables.
 */
export interface OrderingTestContext {
  ordering: ContextClient;
  catalog: ContextClient;
  payments: FakePaymentsState;
  sql: pg.Pool;
  app: INestApplication;
  /** A product with `stock` units at `priceCents`. */
  product(stock: number, priceCents?: number, currency?: string): Promise<ProductView>;
  stockOf(productId: string): Promise<number>;
  /** Polls the order until `done` holds (default: it left PENDING and its saga finished). */
  settled(userId: string, orderId: string, done?: (order: OrderView, step: string) => boolean): Promise<OrderView>;
  close(): Promise<void>;
}

let n = 0;
export const meta = (): CallMeta => ({ correlationId: `ordering-test-${process.pid}-${n++}`, actor: null });
export const unique = () => `${process.pid}-${Date.now().toString(36)}-${n++}`;

export async function startOrdering(label: string, env: Record<string, string> = {}): Promise<OrderingTestContext> {
  const db: TestDatabase = await createTestDatabase(label);
  await useTestEnv(db.url, { ORDERING_SAGA_SWEEP_MS: '100', ...env });
  Object.assign(FAKE_PAYMENTS_STATE, {
    available: true,
    retryAfterSeconds: 0,
    mode: 'auto',
    broken: false,
    closing: false,
  });
  FAKE_PAYMENTS_STATE.payments.clear();
  FAKE_PAYMENTS_STATE.voided.clear();
  @Module({ imports: [PlatformModule, OrderingModule, await loadContextModule('catalog'), FakePaymentsModule] })
  class OrderingTestModule {}
  const app = await NestFactory.create(OrderingTestModule, new FastifyAdapter(), {
    logger: false,
    abortOnError: false,
  });
  await startInProcessTransport(app);
  await app.init();
  const sql = new pg.Pool({ connectionString: db.url, max: 3 });
  const clients = app.get(ContextClientFactory);
  const catalog = clients.get('catalog');
  const category = await catalog.send<CategoryView>(
    CatalogPatterns.createCategory,
    { slug: `shelf-${unique()}`, name: 'Shelf' },
    meta(),
  );
  const ctx: OrderingTestContext = {
    ordering: clients.get('ordering'),
    catalog,
    payments: FAKE_PAYMENTS_STATE,
    sql,
    app,
    product: (stock, priceCents = 1999, currency = 'EUR') =>
      catalog.send<ProductView>(
        CatalogPatterns.createProduct,
        {
          sku: `SKU-${unique()}`,
          name: `Product ${n}`,
          description: '',
          priceCents,
          currency,
          categorySlug: category.slug,
          stock,
        },
        meta(),
      ),
    stockOf: async (productId) =>
      (await sql.query('SELECT stock FROM catalog.products WHERE id = $1', [productId])).rows[0].stock,
    settled: async (userId, orderId, done) => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        // The step first: a finished saga's order is never PENDING any more, whatever happens in between.
        const { rows } = await sql.query('SELECT step FROM ordering.order_sagas WHERE order_id = $1', [orderId]);
        const step = rows[0].step as string;
        const order = await ctx.ordering.send<OrderView>('ordering.get-order.v1', { userId, orderId }, meta());
        const finished = done ? done(order, step) : ['CONFIRMED', 'CANCELLED'].includes(step);
        if (finished) return order;
        if (Date.now() > deadline) throw new Error(`order ${orderId} still ${order.status} / ${step}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: async () => {
      await FAKE_PAYMENTS_STATE.drain();
      await sql.end();
      await app.close();
      await db.drop();
    },
  };
  return ctx;
}
