import { randomUUID } from 'node:crypto';
import { CatalogPatterns, type IntegrationEvent, type MediaAssetReadyV1, type ProductView } from '@ficus/contracts';
import { type CatalogTestContext, createCategory, createProduct, meta, startCatalog } from './catalog-test-context.js';

const readyEvent = (mediaId: string, id = randomUUID()): IntegrationEvent<MediaAssetReadyV1> => {
  const variant = (name: string) => ({ url: `/v1/media/${mediaId}/${name}`, width: 10, height: 10 });
  return {
    id,
    name: 'media.asset-ready.v1',
    occurredAt: new Date().toISOString(),
    aggregateId: mediaId,
    correlationId: 'media-test',
    source: 'media',
    payload: {
      mediaId,
      ownerId: randomUUID(),
      contentType: 'image/png',
      variants: { original: variant('original'), thumb: variant('thumb'), medium: variant('medium') },
    },
  };
};

describe('product images (catalog learns readiness from media.asset-ready.v1)', () => {
  let t: CatalogTestContext;
  let slug: string;
  beforeAll(async () => {
    t = await startCatalog('catalog-images');
    slug = (await createCategory(t.client)).slug;
  }, 30_000);
  afterAll(async () => {
    await t?.close();
  });

  const get = (id: string) => t.client.send<ProductView>(CatalogPatterns.getProduct, { productId: id }, meta());
  const update = (productId: string, changes: object) =>
    t.client.send<ProductView>(CatalogPatterns.updateProduct, { productId, ...changes }, meta());

  it('shows nothing until the media is READY, then its medium URL', async () => {
    const mediaId = randomUUID();
    const product = await createProduct(t.client, slug, { imageMediaId: mediaId });
    expect(product.imageUrl).toBeNull();
    expect((await get(product.id)).imageUrl).toBeNull();
    await t.deliver(readyEvent(mediaId));
    const shown = await get(product.id);
    expect(shown.imageUrl).toBe(`/v1/media/${mediaId}/medium`);
    expect(Date.parse(shown.updatedAt)).toBeGreaterThanOrEqual(Date.parse(product.updatedAt));
  });

  it('a media already READY shows at once when attached; null removes it', async () => {
    const mediaId = randomUUID();
    await t.deliver(readyEvent(mediaId));
    const product = await createProduct(t.client, slug, { imageMediaId: mediaId });
    expect(product.imageUrl).toBe(`/v1/media/${mediaId}/medium`);
    expect((await update(product.id, { imageMediaId: null })).imageUrl).toBeNull();
    expect((await get(product.id)).imageUrl).toBeNull();
    expect((await update(product.id, { imageMediaId: mediaId })).imageUrl).toBe(`/v1/media/${mediaId}/medium`);
    expect((await update(product.id, { name: 'Renamed' })).imageUrl).toBe(`/v1/media/${mediaId}/medium`);
  });

  it('takes each event in once (inbox), and refuses a malformed one', async () => {
    const mediaId = randomUUID();
    const event = readyEvent(mediaId);
    await t.deliver(event);
    await t.deliver(event);
    const { rows } = await t.sql.query('SELECT count(*)::int AS n FROM catalog.inbox WHERE event_id = $1', [event.id]);
    expect(rows[0].n).toBe(1);
    const bad = readyEvent('not-a-uuid');
    await expect(t.deliver(bad)).rejects.toBeDefined();
  });
});
