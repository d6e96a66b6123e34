import { type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import pg from 'pg';
import {
  type CallMeta,
  CatalogPatterns,
  type CategoryView,
  type CreateProductRequest,
  type IntegrationEvent,
  type ProductView,
} from '@ficus/contracts';
import {
  type ContextClient,
  ContextClientFactory,
  InProcessServer,
  PlatformModule,
  startInProcessTransport,
} from '@ficus/platform';
import { createTestDatabase, type TestDatabase, useTestEnv } from '@ficus/platform/testing';
export { contractFailure as failure } from '@ficus/platform/testing';
import { CatalogModule } from '../src/index.js';

/** Catalog hosted in-process against a fresh database, plus a superuser pool to look at its tables. */
export interface CatalogTestContext {
  client: ContextClient;
  sql: pg.Pool;
  /** Hands catalog an integration event as the relay would (the same handler and inbox). */
  deliver(event: IntegrationEvent): Promise<void>;
  close(): Promise<void>;
}

export async function startCatalog(label: string): Promise<CatalogTestContext> {
  const db: TestDatabase = await createTestDatabase(label);
  await useTestEnv(db.url);
  @Module({ imports: [PlatformModule, CatalogModule] })
  class CatalogTestModule {}
  const app: INestApplication = await NestFactory.create(CatalogTestModule, new FastifyAdapter(), {
    logger: false,
    abortOnError: false,
  });
  await startInProcessTransport(app);
  await app.init();
  const sql = new pg.Pool({ connectionString: db.url, max: 2 });
  return {
    client: app.get(ContextClientFactory).get('catalog'),
    sql,
    deliver: (event) => app.get(InProcessServer).deliver(event, 'catalog'),
    close: async () => {
      await sql.end();
      await app.close();
      await db.drop();
    },
  };
}

let n = 0;
export const meta = (): CallMeta => ({ correlationId: `catalog-test-${process.pid}-${n++}`, actor: null });
export const uniqueSuffix = () => `${process.pid}-${Date.now().toString(36)}-${n++}`;

export async function createCategory(client: ContextClient, slug = `cat-${uniqueSuffix()}`, name = 'Things') {
  return client.send<CategoryView>(CatalogPatterns.createCategory, { slug, name }, meta());
}

export async function createProduct(
  client: ContextClient,
  categorySlug: string,
  overrides: Partial<CreateProductRequest> = {},
): Promise<ProductView> {
  const body: CreateProductRequest = {
    sku: `SKU-${uniqueSuffix()}`,
    name: 'Plain product',
    description: 'Nothing special.',
    priceCents: 1000,
    currency: 'EUR',
    categorySlug,
    stock: 10,
    ...overrides,
  };
  return client.send<ProductView>(CatalogPatterns.createProduct, body, meta());
}
