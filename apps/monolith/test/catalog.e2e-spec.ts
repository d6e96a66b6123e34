import { randomUUID } from 'node:crypto';
import { IDENTITY_API, type IdentityApi } from '@ficus/contracts';
import { call, E2E_MODES, type RunningApp, startTestApp, uniqueEmail } from './e2e-harness.js';

const PASSWORD = 'correct horse battery';
let n = 0;
const unique = () => `${Date.now().toString(36)}-${n++}`;

function expectProblem(res: { status: number; headers: Headers; body: any }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  expect(res.body).toMatchObject({ status, code, traceId: res.headers.get('x-request-id') });
}

describe.each(E2E_MODES)('catalog over HTTP ($name)', ({ extracted, order }) => {
  let t: RunningApp;
  let admin: string;
  let customer: string;
  let slug: string;

  beforeAll(async () => {
    t = await startTestApp(
      'catalog',
      { RATE_LIMIT_PER_IP_PER_MIN: '100000', RATE_LIMIT_PER_USER_PER_MIN: '100000' },
      extracted,
      order,
    );
    const email = uniqueEmail('catalog-admin');
    await call(t.url, 'POST', '/v1/auth/register', { body: { email, password: PASSWORD, name: 'Admin' } });
    await t.app.get<IdentityApi>(IDENTITY_API).grantAdmin({ email }, { correlationId: 'e2e', actor: null });
    admin = (await call(t.url, 'POST', '/v1/auth/login', { body: { email, password: PASSWORD } })).body.accessToken;
    const reg = await call(t.url, 'POST', '/v1/auth/register', {
      body: { email: uniqueEmail('catalog-customer'), password: PASSWORD, name: 'Customer' },
    });
    customer = reg.body.accessToken;
    slug = (await createCategory()).body.slug;
    // Every built context gets a host of its own in the extracted modes: on a busy machine that is seconds.
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  }, 30_000);

  const createCategory = (body: object = { slug: `shelf-${unique()}`, name: 'Shelf' }, token = admin) =>
    call(t.url, 'POST', '/v1/admin/categories', { token, body });
  const productBody = (overrides: object = {}) => ({
    sku: `SKU-${unique()}`,
    name: 'Studio Headphones',
    description: 'Closed-back, 40 mm drivers.',
    priceCents: 9900,
    currency: 'EUR',
    categorySlug: slug,
    stock: 25,
    ...overrides,
  });
  const createProduct = (overrides: object = {}, token = admin) =>
    call(t.url, 'POST', '/v1/admin/products', { token, body: productBody(overrides) });

  describe('admin routes', () => {
    it.each([
      ['POST', '/v1/admin/categories'],
      ['POST', '/v1/admin/products'],
      ['PATCH', `/v1/admin/products/${randomUUID()}`],
    ])('%s %s answers 401 anonymous and 403 to a customer', async (method, path) => {
      const anonymous = await call(t.url, method, path, { body: {} });
      expectProblem(anonymous, 401, 'UNAUTHENTICATED');
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
      expectProblem(await call(t.url, method, path, { token: customer, body: {} }), 403, 'FORBIDDEN');
    });

    it('creates a category (201), and a taken slug is 409 SLUG_TAKEN', async () => {
      const body = { slug: `garden-${unique()}`, name: ' Garden ' };
      const created = await createCategory(body);
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), slug: body.slug, name: 'Garden' });
      expectProblem(await createCategory({ ...body, name: 'Other' }), 409, 'SLUG_TAKEN');
      const listed = await call(t.url, 'GET', '/v1/categories');
      expect(listed.status).toBe(200);
      expect(listed.body.items).toContainEqual(created.body);
    });

    it('creates a product (201) in the documented shape', async () => {
      const res = await createProduct({ sku: `hp-${unique()}` });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        sku: expect.stringMatching(/^HP-/),
        name: 'Studio Headphones',
        description: 'Closed-back, 40 mm drivers.',
        priceCents: 9900,
        currency: 'EUR',
        category: { id: expect.any(String), slug, name: 'Shelf' },
        stock: 25,
        imageUrl: null,
        createdAt: expect.any(String),
        updatedAt: res.body.createdAt,
      });
    });

    it('answers 409 SKU_TAKEN (whatever the case) and 400 UNKNOWN_CATEGORY', async () => {
      const sku = `dup-${unique()}`;
      expect((await createProduct({ sku })).status).toBe(201);
      expectProblem(await createProduct({ sku: sku.toUpperCase() }), 409, 'SKU_TAKEN');
      expectProblem(await createProduct({ categorySlug: 'no-such-shelf' }), 400, 'UNKNOWN_CATEGORY');
    });

    it.each([
      ['a negative price', { priceCents: -1 }, 'priceCents'],
      ['a fractional price', { priceCents: 19.99 }, 'priceCents'],
      ['a price as a string', { priceCents: '1999' }, 'priceCents'],
      ['a lower-case currency', { currency: 'eur' }, 'currency'],
      ['a made-up currency', { currency: 'EURO' }, 'currency'],
      ['negative stock', { stock: -1 }, 'stock'],
      ['an overlong name', { name: 'x'.repeat(201) }, 'name'],
      ['a blank name', { name: '   ' }, 'name'],
      ['an overlong description', { description: 'x'.repeat(5001) }, 'description'],
      ['a bad SKU', { sku: 'has space' }, 'sku'],
      ['a bad category slug', { categorySlug: 'Not A Slug' }, 'categorySlug'],
      ['a bad image id', { imageMediaId: 'img-1' }, 'imageMediaId'],
      ['an unknown field', { featured: true }, 'featured'],
      ['a missing field', { stock: undefined }, 'stock'],
    ])('refuses %s with 400 VALIDATION_FAILED naming the field', async (_label, overrides, field) => {
      const res = await createProduct(overrides);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('updates any subset of fields (200); unknown id 404, malformed id 400, null name 400', async () => {
      const { body: product } = await createProduct();
      const patch = (id: string, body: object) =>
        call(t.url, 'PATCH', `/v1/admin/products/${id}`, { token: admin, body });
      const res = await patch(product.id, { priceCents: 7900, stock: 3 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ ...product, priceCents: 7900, stock: 3, updatedAt: expect.any(String) });
      expectProblem(await patch(randomUUID(), { stock: 1 }), 404, 'PRODUCT_NOT_FOUND');
      expectProblem(await patch('not-a-uuid', { stock: 1 }), 400, 'VALIDATION_FAILED');
      expectProblem(await patch(product.id, { name: null }), 400, 'VALIDATION_FAILED');
      expectProblem(await patch(product.id, { currency: 'XXXX' }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /v1/products/{id}', () => {
    it('answers 200 with an ETag, 304 for If-None-Match, and a new ETag after a change', async () => {
      const { body: product } = await createProduct();
      const first = await call(t.url, 'GET', `/v1/products/${product.id}`);
      expect(first.status).toBe(200);
      expect(first.body).toEqual(product);
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^".+"$/);
      const cached = await call(t.url, 'GET', `/v1/products/${product.id}`, { headers: { 'if-none-match': etag } });
      expect(cached.status).toBe(304);
      expect(cached.body).toBeUndefined();
      await call(t.url, 'PATCH', `/v1/admin/products/${product.id}`, { token: admin, body: { name: 'Renamed' } });
      const changed = await call(t.url, 'GET', `/v1/products/${product.id}`, { headers: { 'if-none-match': etag } });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).not.toBe(etag);
    });

    it('answers 404 PRODUCT_NOT_FOUND for an unknown id and 400 for a malformed one', async () => {
      expectProblem(await call(t.url, 'GET', `/v1/products/${randomUUID()}`), 404, 'PRODUCT_NOT_FOUND');
      expectProblem(await call(t.url, 'GET', '/v1/products/123'), 400, 'VALIDATION_FAILED');
      expectProblem(await call(t.url, 'GET', `/v1/products/${'z'.repeat(400)}`), 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /v1/products', () => {
    let shelf: string;
    let created: any[];
    beforeAll(async () => {
      shelf = (await createCategory()).body.slug;
      created = [];
      for (let i = 0; i < 27; i++) {
        created.push(
          (await createProduct({ categorySlug: shelf, name: `Garden lamp ${i}`, priceCents: i * 100 })).body,
        );
      }
    });

    it('pages newest first over 27 products with no duplicate or gap, even with inserts between pages', async () => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `/v1/products?category=${shelf}&limit=5${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await call(t.url, 'GET', query);
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(5);
        ids.push(...page.body.items.map((p: { id: string }) => p.id));
        cursor = page.body.nextCursor;
        await createProduct({ categorySlug: shelf, name: 'Inserted meanwhile' });
      } while (cursor);
      expect(ids).toEqual(created.map((p) => p.id).reverse());
    });

    it('filters by an inclusive price range and sorts by price', async () => {
      const res = await call(t.url, 'GET', `/v1/products?category=${shelf}&minPrice=300&maxPrice=600&sort=price_desc`);
      expect(res.status).toBe(200);
      expect(res.body.items.map((p: { priceCents: number }) => p.priceCents)).toEqual([600, 500, 400, 300]);
      expect(res.body.nextCursor).toBeNull();
    });

    it('searches with typo tolerance ("lmap" finds the lamps), by relevance by default', async () => {
      const res = await call(t.url, 'GET', `/v1/products?category=${shelf}&q=garden%20lmap&limit=3`);
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(3);
      expect(res.body.items[0].name).toMatch(/Garden lamp/);
      expect(typeof res.body.nextCursor).toBe('string');
    });

    it.each([
      ['an unknown sort', 'sort=cheapest', 'VALIDATION_FAILED'],
      ['relevance without a search', 'sort=relevance', 'VALIDATION_FAILED'],
      ['a garbage cursor', 'cursor=%%%garbage', 'INVALID_CURSOR'],
      ['a base64url cursor of nonsense', `cursor=${Buffer.from('{"a":1}').toString('base64url')}`, 'INVALID_CURSOR'],
      ['limit 0', 'limit=0', 'VALIDATION_FAILED'],
      ['limit 101', 'limit=101', 'VALIDATION_FAILED'],
      ['a non-numeric limit', 'limit=ten', 'VALIDATION_FAILED'],
      ['a negative minPrice', 'minPrice=-1', 'VALIDATION_FAILED'],
      ['a fractional maxPrice', 'maxPrice=9.99', 'VALIDATION_FAILED'],
      ['an inverted price range', 'minPrice=500&maxPrice=100', 'VALIDATION_FAILED'],
      ['an overlong search', `q=${'x'.repeat(101)}`, 'VALIDATION_FAILED'],
      ['a repeated parameter', 'limit=1&limit=2', 'VALIDATION_FAILED'],
      ['an unknown parameter', 'color=red', 'VALIDATION_FAILED'],
    ])('refuses %s with 400', async (_label, query, code) => {
      expectProblem(await call(t.url, 'GET', `/v1/products?${query}`), 400, code);
    });
  });

  it('never answers bad input with a 5xx', async () => {
    const attempts: [string, string, object?][] = [
      ['GET', `/v1/products?q=${encodeURIComponent(`'); DROP TABLE catalog.products; --`)}`],
      ['GET', `/v1/products?q=${encodeURIComponent('"&|!():*<>')}`],
      ['GET', '/v1/products?category=%00'],
      ['GET', `/v1/products?cursor=${'A'.repeat(5000)}`],
      ['GET', '/v1/products?minPrice=99999999999999999999'],
      ['GET', '/v1/products/00000000-0000-0000-0000-000000000000'],
      ['GET', '/v1/products/%27%3B--'],
      ['POST', '/v1/admin/products', { ...productBody(), priceCents: 1e308 }],
      ['POST', '/v1/admin/products', { ...productBody(), stock: 2 ** 31 }],
      ['POST', '/v1/admin/products', { ...productBody(), name: { $ne: 1 } }],
      ['POST', '/v1/admin/categories', { slug: ['a'], name: 1 }],
      ['PATCH', `/v1/admin/products/${randomUUID()}`, { sku: null, stock: '1' }],
    ];
    const serverErrors: string[] = [];
    for (const [method, path, body] of attempts) {
      const res = await call(t.url, method, path, { token: admin, body });
      if (res.status >= 500) serverErrors.push(`${method} ${path} → ${res.status}`);
    }
    expect(serverErrors).toEqual([]);
  });

  it('documents every catalog route in the OpenAPI document', async () => {
    const res = await call(t.url, 'GET', '/docs-json');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/categories',
        '/v1/products',
        '/v1/products/{id}',
        '/v1/admin/categories',
        '/v1/admin/products',
        '/v1/admin/products/{id}',
      ]),
    );
  });
});
