import { randomUUID } from 'node:crypto';
import {
  type CallMeta,
  CatalogPatterns,
  type CategoryList,
  type CategoryView,
  type ImportProductsResult,
  type ProductPage,
  type ProductView,
  type StockReleaseView,
  type StockReservationView,
} from '@ficus/contracts';
import {
  CONTRACT_MODES,
  contractFailure as failure,
  type ContractHarness,
  startContractHarness,
} from '@ficus/platform/testing';
import { CatalogModule } from '../src/index.js';

let n = 0;
const unique = () => `${process.pid}-${Date.now().toString(36)}-${n++}`;
const meta = (): CallMeta => ({ correlationId: `contract-${n++}`, actor: null });

describe.each(CONTRACT_MODES)('catalog contract (%s)', (mode) => {
  let h: ContractHarness;
  let category: CategoryView;
  beforeAll(async () => {
    h = await startContractHarness('catalog', CatalogModule, mode);
    category = await h.client.send<CategoryView>(
      CatalogPatterns.createCategory,
      { slug: `audio-${unique()}`, name: 'Audio' },
      meta(),
    );
  }, 30_000);
  afterAll(async () => {
    await h?.close();
  });

  const product = (overrides: Record<string, unknown> = {}) =>
    h.client.send<ProductView>(
      CatalogPatterns.createProduct,
      {
        sku: `hp-${unique()}`,
        name: 'Studio Headphones',
        description: 'Closed-back.',
        priceCents: 9900,
        currency: 'EUR',
        categorySlug: category.slug,
        stock: 3,
        ...overrides,
      },
      meta(),
    );

  it('creates a category and lists it; a taken slug fails with SLUG_TAKEN (409)', async () => {
    expect(category).toEqual({ id: expect.any(String), slug: category.slug, name: 'Audio' });
    const list = await h.client.send<CategoryList>(CatalogPatterns.listCategories, {}, meta());
    expect(list.items).toContainEqual(category);
    const again = await failure(
      h.client.send(CatalogPatterns.createCategory, { slug: category.slug, name: 'Other' }, meta()),
    );
    expect(again).toMatchObject({ code: 'SLUG_TAKEN', status: 409, kind: 'conflict' });
  });

  it('creates a product as plain JSON (ISO dates, nested category, no image yet) and reads it back', async () => {
    const created = await product();
    expect(created).toMatchObject({ sku: expect.stringMatching(/^HP-/), category, imageUrl: null, stock: 3 });
    expect(typeof created.createdAt).toBe('string');
    expect(Object.getPrototypeOf(created)).toBe(Object.prototype);
    const fetched = await h.client.send<ProductView>(CatalogPatterns.getProduct, { productId: created.id }, meta());
    expect(fetched).toEqual(created);
  });

  it('fails with SKU_TAKEN (409, case-insensitive), UNKNOWN_CATEGORY (400) and PRODUCT_NOT_FOUND (404)', async () => {
    const created = await product();
    expect(await failure(product({ sku: created.sku.toLowerCase() }))).toMatchObject({
      code: 'SKU_TAKEN',
      status: 409,
    });
    expect(await failure(product({ categorySlug: 'no-such-shelf' }))).toMatchObject({
      code: 'UNKNOWN_CATEGORY',
      status: 400,
    });
    const missing = await failure(h.client.send(CatalogPatterns.getProduct, { productId: randomUUID() }, meta()));
    expect(missing).toMatchObject({ code: 'PRODUCT_NOT_FOUND', status: 404, kind: 'not_found' });
  });

  it('fails with VALIDATION_FAILED and per-field errors for a bad payload, or without call metadata', async () => {
    const body = await failure(product({ priceCents: -1, currency: 'euro', extra: true }));
    expect(body).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(body.errors?.map((e) => e.field)).toEqual(expect.arrayContaining(['priceCents', 'currency', 'extra']));
    const noMeta = await failure(h.client.send(CatalogPatterns.listCategories, {}, undefined as never));
    expect(noMeta.code).toBe('VALIDATION_FAILED');
  });

  it('updates a subset of fields', async () => {
    const created = await product();
    const updated = await h.client.send<ProductView>(
      CatalogPatterns.updateProduct,
      { productId: created.id, name: 'Studio Headphones II', priceCents: 8900 },
      meta(),
    );
    expect(updated).toMatchObject({
      name: 'Studio Headphones II',
      priceCents: 8900,
      currency: 'EUR',
      sku: created.sku,
    });
    expect(updated.updatedAt >= created.updatedAt).toBe(true);
  });

  it('lists a page with an opaque cursor, and refuses a garbage cursor with INVALID_CURSOR (400)', async () => {
    await product();
    await product();
    const page = await h.client.send<ProductPage>(
      CatalogPatterns.listProducts,
      { category: category.slug, limit: 1 },
      meta(),
    );
    expect(page.items).toHaveLength(1);
    expect(typeof page.nextCursor).toBe('string');
    const bad = await failure(h.client.send(CatalogPatterns.listProducts, { cursor: 'nope' }, meta()));
    expect(bad).toMatchObject({ code: 'INVALID_CURSOR', status: 400, kind: 'invalid' });
  });

  it('reserves and releases stock idempotently, with typed refusals', async () => {
    const created = await product({ stock: 2 });
    const orderId = randomUUID();
    const lines = [{ productId: created.id, quantity: 2 }];
    const reserved = await h.client.send<StockReservationView>(
      CatalogPatterns.reserveStock,
      { orderId, lines },
      meta(),
    );
    expect(reserved).toMatchObject({ orderId, status: 'RESERVED', lines });
    expect(await h.client.send(CatalogPatterns.reserveStock, { orderId, lines }, meta())).toEqual(reserved);
    const refused = await failure(
      h.client.send(
        CatalogPatterns.reserveStock,
        { orderId: randomUUID(), lines: [{ ...lines[0], quantity: 1 }] },
        meta(),
      ),
    );
    expect(refused).toMatchObject({ code: 'INSUFFICIENT_STOCK', status: 409, kind: 'conflict' });
    const released = await h.client.send<StockReleaseView>(CatalogPatterns.releaseStock, { orderId }, meta());
    expect(released).toMatchObject({ orderId, status: 'RELEASED', lines });
    expect(await h.client.send(CatalogPatterns.releaseStock, { orderId }, meta())).toEqual(released);
  });

  it('imports products in bulk and skips SKUs that exist', async () => {
    const rows = [0, 1, 2].map((i) => ({
      sku: `IMP-${unique()}-${i}`,
      name: `Imported ${i}`,
      description: '',
      priceCents: 100 * i,
      currency: 'USD',
      categorySlug: category.slug,
      stock: i,
    }));
    const first = await h.client.send<ImportProductsResult>(CatalogPatterns.importProducts, { products: rows }, meta());
    expect(first).toEqual({ inserted: 3, skipped: 0 });
    const again = await h.client.send<ImportProductsResult>(CatalogPatterns.importProducts, { products: rows }, meta());
    expect(again).toEqual({ inserted: 0, skipped: 3 });
    const unknown = await failure(
      h.client.send(CatalogPatterns.importProducts, { products: [{ ...rows[0], categorySlug: 'nope' }] }, meta()),
    );
    expect(unknown.code).toBe('UNKNOWN_CATEGORY');
  });
});
