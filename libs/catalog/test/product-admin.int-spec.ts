import { CatalogPatterns, type ProductView } from '@ficus/contracts';
import {
  type CatalogTestContext,
  createCategory,
  createProduct,
  failure,
  meta,
  startCatalog,
} from './catalog-test-context.js';

describe('product administration (real Postgres)', () => {
  let t: CatalogTestContext;
  let slug: string;
  beforeAll(async () => {
    t = await startCatalog('admin');
    slug = (await createCategory(t.client)).slug;
  }, 30_000);
  afterAll(async () => {
    await t?.close();
  });

  const update = (productId: string, changes: Record<string, unknown>) =>
    t.client.send<ProductView>(CatalogPatterns.updateProduct, { productId, ...changes }, meta());
  const updatedEvents = async (productId: string) =>
    (
      await t.sql.query(
        `SELECT payload FROM catalog.outbox WHERE name = 'catalog.product-updated.v1' AND aggregate_id = $1
         ORDER BY created_at`,
        [productId],
      )
    ).rows.map((r) => r.payload);

  it('publishes catalog.product-updated.v1 in the outbox when the name or price changes', async () => {
    const product = await createProduct(t.client, slug, { name: 'Desk Lamp', priceCents: 2500 });
    const renamed = await update(product.id, { name: 'Desk Lamp Pro' });
    await update(product.id, { priceCents: 2900, currency: 'USD' });
    expect(await updatedEvents(product.id)).toEqual([
      {
        productId: product.id,
        sku: product.sku,
        name: 'Desk Lamp Pro',
        priceCents: 2500,
        currency: 'EUR',
        changed: ['name'],
        updatedAt: renamed.updatedAt,
      },
      expect.objectContaining({
        name: 'Desk Lamp Pro',
        priceCents: 2900,
        currency: 'USD',
        changed: ['priceCents', 'currency'],
      }),
    ]);
  });

  it('publishes nothing for other edits or for a no-op update', async () => {
    const product = await createProduct(t.client, slug);
    const other = await createCategory(t.client);
    const moved = await update(product.id, { description: 'New text', stock: 99, categorySlug: other.slug });
    expect(moved).toMatchObject({ description: 'New text', stock: 99, category: other });
    const same = await update(product.id, { name: product.name, priceCents: product.priceCents });
    expect(same.updatedAt).toBe(moved.updatedAt);
    expect(await updatedEvents(product.id)).toEqual([]);
  });

  it('refuses a taken SKU, an unknown category and null for a required field, changing nothing', async () => {
    const a = await createProduct(t.client, slug);
    const b = await createProduct(t.client, slug);
    expect((await failure(update(b.id, { sku: a.sku }))).code).toBe('SKU_TAKEN');
    expect((await failure(update(b.id, { categorySlug: 'nowhere' }))).code).toBe('UNKNOWN_CATEGORY');
    expect((await failure(update(b.id, { name: null }))).code).toBe('VALIDATION_FAILED');
    const { rows } = await t.sql.query('SELECT sku, name FROM catalog.products WHERE id = $1', [b.id]);
    expect(rows[0]).toEqual({ sku: b.sku, name: b.name });
  });

  it('stores an image id, and removes it with null', async () => {
    const product = await createProduct(t.client, slug, { imageMediaId: '0193a0c4-6b7e-7cc2-9f4e-2c1d5b3c8e10' });
    const { rows } = await t.sql.query('SELECT image_media_id FROM catalog.products WHERE id = $1', [product.id]);
    expect(rows[0].image_media_id).toBe('0193a0c4-6b7e-7cc2-9f4e-2c1d5b3c8e10');
    await update(product.id, { imageMediaId: null });
    const after = await t.sql.query('SELECT image_media_id FROM catalog.products WHERE id = $1', [product.id]);
    expect(after.rows[0].image_media_id).toBeNull();
  });

  it('cannot be read or written by another context role (schema isolation)', async () => {
    const db = (await t.sql.query('SELECT current_database() AS name')).rows[0].name as string;
    const url = new URL(process.env.DATABASE_URL!);
    url.username = 'ficus_identity';
    url.pathname = `/${db}`;
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await expect(client.query('SELECT * FROM catalog.products LIMIT 1')).rejects.toThrow(/permission denied/);
    } finally {
      await client.end();
    }
  });
});
