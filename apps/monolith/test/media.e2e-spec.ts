import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { IDENTITY_API, type IdentityApi } from '@ficus/contracts';
import { call, E2E_MODES, type RunningApp, startTestApp, uniqueEmail } from './e2e-harness.js';
import {
  filesUnder,
  gif,
  jpeg,
  multipart,
  pdf,
  png,
  pngBomb,
  postChunked,
  sidewaysJpeg,
  truncatedJpeg,
  webp,
} from './media-fixtures.js';
import { expectProblem } from './problem-assertions.js';

const PASSWORD = 'correct horse battery';
const MiB = 1024 * 1024;
const IMMUTABLE = 'public, max-age=31536000, immutable';

describe.each(E2E_MODES)('media over HTTP ($name)', ({ extracted, order }) => {
  let t: RunningApp;
  let storageDir: string;
  let customer: string;
  let admin: string;

  beforeAll(async () => {
    storageDir = await mkdtemp(join(tmpdir(), 'ficus-media-e2e-'));
    t = await startTestApp(
      'media',
      { STORAGE_DIR: storageDir, RATE_LIMIT_PER_IP_PER_MIN: '100000', RATE_LIMIT_PER_USER_PER_MIN: '100000' },
      extracted,
      order,
    );
    const register = (tag: string) =>
      call(t.url, 'POST', '/v1/auth/register', { body: { email: uniqueEmail(tag), password: PASSWORD, name: tag } });
    customer = (await register('media-customer')).body.accessToken;
    const adminEmail = uniqueEmail('media-admin');
    await call(t.url, 'POST', '/v1/auth/register', { body: { email: adminEmail, password: PASSWORD, name: 'Admin' } });
    await t.app.get<IdentityApi>(IDENTITY_API).grantAdmin({ email: adminEmail }, { correlationId: 'e2e', actor: null });
    admin = (await call(t.url, 'POST', '/v1/auth/login', { body: { email: adminEmail, password: PASSWORD } })).body
      .accessToken;
  }, 90_000);
  afterAll(async () => {
    await t?.close();
    await rm(storageDir, { recursive: true, force: true });
  }, 30_000);

  /** Uploads like a client would (fetch + FormData: the body has a Content-Length). */
  async function upload(data: Buffer, filename: string, declaredType = 'image/jpeg', token = customer) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(data)], { type: declaredType }), filename);
    const res = await fetch(`${t.url}/v1/media`, {
      method: 'POST',
      body: form,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as any };
  }

  async function settled(id: string, timeoutMs = 30_000) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const res = await call(t.url, 'GET', `/v1/media/${id}`);
      expect(res.status).toBe(200);
      if (res.body.status !== 'PROCESSING') return res.body;
      if (Date.now() > until) throw new Error(`media ${id} still PROCESSING after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const uploadsLeft = async () => (await filesUnder(storageDir)).filter((f) => f.startsWith('media/uploads/'));

  async function variantBytes(url: string) {
    const res = await fetch(`${t.url}${url}`);
    return { res, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  it.each([
    ['JPEG', () => jpeg(1600, 900), 'image/jpeg', 'photo.jpg'],
    ['PNG', () => png(1600, 900), 'image/png', 'photo.png'],
    ['WebP', () => webp(1600, 900), 'image/webp', 'photo.webp'],
  ])(
    'a %s upload is 202 PROCESSING, then READY with thumb ≤ 200 and medium ≤ 800, aspect kept',
    async (_n, make, type, name) => {
      const data = await make();
      // The declared type is a lie on purpose: only the bytes count.
      const res = await upload(data, name, 'application/octet-stream');
      expect(res.status).toBe(202);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        status: 'PROCESSING',
        contentType: type,
        size: data.length,
      });
      const asset = await settled(res.body.id);
      expect(asset).toMatchObject({ id: res.body.id, status: 'READY', contentType: type });
      expect(asset.variants).toEqual({
        original: { url: `/v1/media/${res.body.id}/original`, width: 1600, height: 900 },
        thumb: { url: `/v1/media/${res.body.id}/thumb`, width: 200, height: expect.any(Number) },
        medium: { url: `/v1/media/${res.body.id}/medium`, width: 800, height: 450 },
      });
      expect(Math.abs(asset.variants.thumb.height - 112.5)).toBeLessThanOrEqual(0.5);
      for (const variant of ['original', 'thumb', 'medium'] as const) {
        const { res: bytes, bytes: body } = await variantBytes(asset.variants[variant].url);
        expect(bytes.status).toBe(200);
        expect(bytes.headers.get('content-type')).toBe(type);
        expect(bytes.headers.get('cache-control')).toBe(IMMUTABLE);
        expect(bytes.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
        const meta = await sharp(body).metadata();
        expect({ width: meta.width, height: meta.height, format: meta.format }).toEqual({
          width: asset.variants[variant].width,
          height: asset.variants[variant].height,
          format: type === 'image/jpeg' ? 'jpeg' : type.slice(6),
        });
      }
      // Settled assets leave no raw upload behind.
      expect(await uploadsLeft()).toEqual([]);
    },
    60_000,
  );

  it('never enlarges: a 120×80 image keeps its size in every variant', async () => {
    const res = await upload(await webp(120, 80), 'small.webp');
    const asset = await settled(res.body.id);
    for (const v of ['original', 'thumb', 'medium'])
      expect(asset.variants[v]).toMatchObject({ width: 120, height: 80 });
  }, 30_000);

  it('applies the EXIF orientation and strips the metadata', async () => {
    const res = await upload(await sidewaysJpeg(300, 100), 'sideways.jpg');
    const asset = await settled(res.body.id);
    expect(asset.variants.original).toMatchObject({ width: 100, height: 300 });
    expect(asset.variants.thumb).toMatchObject({ width: 67, height: 200 });
    expect(asset.variants.medium).toMatchObject({ width: 100, height: 300 });
    for (const v of ['original', 'thumb']) {
      const meta = await sharp((await variantBytes(asset.variants[v].url)).bytes).metadata();
      expect({ exif: meta.exif, orientation: meta.orientation }).toEqual({ exif: undefined, orientation: undefined });
    }
  }, 30_000);

  it('serves a variant with a strong ETag and answers 304 to If-None-Match', async () => {
    const asset = await settled((await upload(await jpeg(300, 300), 'etag.jpg')).body.id);
    const first = await fetch(`${t.url}${asset.variants.thumb.url}`);
    const etag = first.headers.get('etag')!;
    await first.arrayBuffer();
    const again = await fetch(`${t.url}${asset.variants.thumb.url}`, {
      headers: { 'if-none-match': `"other", ${etag}` },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('cache-control')).toBe(IMMUTABLE);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
    const stale = await fetch(`${t.url}${asset.variants.thumb.url}`, { headers: { 'if-none-match': '"other"' } });
    expect(stale.status).toBe(200);
    await stale.arrayBuffer();
  }, 30_000);

  it.each([
    ['a GIF named .jpg', () => gif(50, 50), 'cat.jpg', 'image/jpeg'],
    ['a PDF named .jpg', async () => pdf(), 'invoice.jpg', 'image/jpeg'],
    ['plain text', async () => Buffer.from('hello, not an image'), 'notes.png', 'image/png'],
    ['an empty file', async () => Buffer.alloc(0), 'empty.jpg', 'image/jpeg'],
  ])('%s is 415 UNSUPPORTED_MEDIA_TYPE and leaves nothing in storage', async (_n, make, name, type) => {
    const res = await upload(await make(), name, type);
    expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(await uploadsLeft()).toEqual([]);
  });

  it('an 11 MiB file is 413 PAYLOAD_TOO_LARGE and leaves nothing on disk', async () => {
    const big = Buffer.concat([await jpeg(64, 64), Buffer.alloc(11 * MiB)]);
    expectProblem(await upload(big, 'huge.jpg'), 413, 'PAYLOAD_TOO_LARGE');
    expect(await uploadsLeft()).toEqual([]);
  }, 30_000);

  it('an 11 MiB file sent chunked (no Content-Length) is refused while it streams, its partial file removed', async () => {
    const big = Buffer.concat([await jpeg(64, 64), Buffer.alloc(11 * MiB)]);
    const { contentType, body } = multipart('file', 'huge.jpg', 'image/jpeg', big);
    const res = await postChunked(
      t.url,
      '/v1/media',
      { 'content-type': contentType, authorization: `Bearer ${customer}` },
      body,
    );
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    expect(
      await filesUnder(storageDir).then((files) => files.filter((f) => !/^media\/[0-9a-f-]{36}\//.test(f))),
    ).toEqual([]);
  }, 30_000);

  it('a file of exactly 10 MiB is accepted (the limit is inclusive)', async () => {
    const head = await jpeg(64, 64);
    const exact = Buffer.concat([head, Buffer.alloc(10 * MiB - head.length)]);
    const res = await upload(exact, 'exact.jpg');
    expect(res.status).toBe(202);
    expect(res.body.size).toBe(10 * MiB);
    // Settled before the next test, which checks that no raw upload is left in storage.
    expect(['READY', 'FAILED']).toContain((await settled(res.body.id)).status);
  }, 30_000);

  it('a truncated JPEG is accepted, then ends FAILED, and its variants are 404', async () => {
    const res = await upload(await truncatedJpeg(), 'cut.jpg');
    expect(res.status).toBe(202);
    const asset = await settled(res.body.id);
    expect(asset).toMatchObject({ status: 'FAILED', variants: { original: null, thumb: null, medium: null } });
    expectProblem(await call(t.url, 'GET', `/v1/media/${res.body.id}/thumb`), 404, 'MEDIA_NOT_FOUND');
    expect(await uploadsLeft()).toEqual([]);
  }, 30_000);

  it('a 20,000 × 20,000 PNG bomb ends FAILED and the process stays up', async () => {
    const bomb = pngBomb();
    expect(bomb.length).toBeLessThan(1 * MiB);
    const res = await upload(bomb, 'bomb.png', 'image/png');
    expect(res.status).toBe(202);
    expect(res.body.contentType).toBe('image/png');
    expect(await settled(res.body.id)).toMatchObject({ status: 'FAILED' });
    expect((await call(t.url, 'GET', '/health/live')).status).toBe(200);
    const after = await upload(await png(40, 40), 'after.png');
    expect(await settled(after.body.id)).toMatchObject({ status: 'READY' });
  }, 60_000);

  it('refuses what is not an upload: anonymous 401, JSON 415, no file field 400', async () => {
    expectProblem(await upload(await jpeg(10, 10), 'a.jpg', 'image/jpeg', ''), 401, 'UNAUTHENTICATED');
    expectProblem(
      await call(t.url, 'POST', '/v1/media', { token: customer, body: { file: 'x' } }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expectProblem(
      await call(t.url, 'POST', '/v1/media', { token: customer, raw: 'x', headers: { 'content-type': 'text/plain' } }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    const form = new FormData();
    form.append('title', 'no file here');
    const noFile = await fetch(`${t.url}/v1/media`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${customer}` },
    });
    const problem = { status: noFile.status, headers: noFile.headers, body: (await noFile.json()) as any };
    expectProblem(problem, 400, 'VALIDATION_FAILED');
    expect(problem.body.errors).toEqual([{ field: 'file', message: expect.any(String) }]);
    const otherField = new FormData();
    otherField.append('picture', new Blob([new Uint8Array(await jpeg(10, 10))]), 'a.jpg');
    const wrong = await fetch(`${t.url}/v1/media`, {
      method: 'POST',
      body: otherField,
      headers: { authorization: `Bearer ${customer}` },
    });
    expect(wrong.status).toBe(400);
    await wrong.arrayBuffer();
  });

  it('other routes still refuse multipart bodies with 415', async () => {
    const form = new FormData();
    form.append('email', 'a@example.com');
    const res = await fetch(`${t.url}/v1/auth/login`, { method: 'POST', body: form });
    expectProblem({ status: res.status, headers: res.headers, body: await res.json() }, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('unknown ids and variants are 404 problems', async () => {
    const id = '0193a0c4-6b7e-7cc2-9f4e-2c1d5b3c8e10';
    expectProblem(await call(t.url, 'GET', `/v1/media/${id}`), 404, 'MEDIA_NOT_FOUND');
    expectProblem(await call(t.url, 'GET', `/v1/media/${id}/thumb`), 404, 'MEDIA_NOT_FOUND');
    expectProblem(await call(t.url, 'GET', '/v1/media/not-an-id'), 404, 'MEDIA_NOT_FOUND');
    const asset = await settled((await upload(await png(30, 30), 'v.png')).body.id);
    expectProblem(await call(t.url, 'GET', `/v1/media/${asset.id}/huge`), 404, 'MEDIA_NOT_FOUND');
  }, 30_000);

  it("a product shows its image's medium URL once the media is READY (catalog learns it from the event)", async () => {
    const slug = `media-${Date.now().toString(36)}`;
    await call(t.url, 'POST', '/v1/admin/categories', { token: admin, body: { slug, name: 'Media' } });
    const media = await upload(await jpeg(1000, 500), 'product.jpg');
    const created = await call(t.url, 'POST', '/v1/admin/products', {
      token: admin,
      body: {
        sku: `IMG-${Date.now().toString(36)}`,
        name: 'Pictured',
        description: '',
        priceCents: 100,
        currency: 'EUR',
        categorySlug: slug,
        stock: 1,
        imageMediaId: media.body.id,
      },
    });
    expect(created.status).toBe(201);
    await settled(media.body.id);
    const until = Date.now() + 15_000;
    let product = created.body;
    while (product.imageUrl === null && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      product = (await call(t.url, 'GET', `/v1/products/${created.body.id}`)).body;
    }
    expect(product.imageUrl).toBe(`/v1/media/${media.body.id}/medium`);
    const listed = await call(t.url, 'GET', `/v1/products?category=${slug}`);
    expect(listed.body.items[0].imageUrl).toBe(`/v1/media/${media.body.id}/medium`);
    // Attaching a media already READY shows it at once; null removes it.
    const other = await call(t.url, 'PATCH', `/v1/admin/products/${created.body.id}`, {
      token: admin,
      body: { imageMediaId: null },
    });
    expect(other.body.imageUrl).toBeNull();
    const again = await call(t.url, 'PATCH', `/v1/admin/products/${created.body.id}`, {
      token: admin,
      body: { imageMediaId: media.body.id },
    });
    expect(again.body.imageUrl).toBe(`/v1/media/${media.body.id}/medium`);
  }, 60_000);
});
