import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import sharp from 'sharp';
import {
  type CallMeta,
  type MediaAssetView,
  MediaPatterns,
  type MediaVariantLocation,
  type RegisteredUpload,
} from '@ficus/contracts';
import { LocalDiskBlobStorage, readAll } from '@ficus/platform';
import {
  CONTRACT_MODES,
  contractFailure as failure,
  type ContractHarness,
  startContractHarness,
} from '@ficus/platform/testing';
import { MediaModule } from '../src/index.js';

let n = 0;
const owner = randomUUID();
const meta = (actor: CallMeta['actor'] = { userId: owner, roles: ['customer'] }): CallMeta => ({
  correlationId: `media-contract-${n++}`,
  actor,
});

const image = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 90 } } })
    .png()
    .toBuffer();

describe.each(CONTRACT_MODES)('media contract (%s)', (mode) => {
  let h: ContractHarness;
  let storage: LocalDiskBlobStorage;
  let sql: pg.Pool;

  beforeAll(async () => {
    h = await startContractHarness('media', MediaModule, mode);
    // The same directory the context uses (useTestEnv gives each suite its own): the caller's side of
    // the storage port, as the facade uses it.
    storage = new LocalDiskBlobStorage(process.env.STORAGE_DIR!);
    sql = new pg.Pool({ connectionString: h.databaseUrl, max: 2 });
  }, 30_000);
  afterAll(async () => {
    await sql?.end();
    await h?.close();
  });

  async function uploaded(bytes: Buffer): Promise<string> {
    const key = `media/uploads/${randomUUID()}`;
    await storage.put(key, Readable.from([bytes]), 'application/octet-stream');
    return key;
  }
  const register = (uploadKey: string, m = meta()) =>
    h.client.send<RegisteredUpload>(MediaPatterns.registerUpload, { uploadKey }, m);
  const getAsset = (mediaId: string) => h.client.send<MediaAssetView>(MediaPatterns.getAsset, { mediaId }, meta());
  const getVariant = (mediaId: string, variant: string) =>
    h.client.send<MediaVariantLocation>(MediaPatterns.getVariant, { mediaId, variant }, meta());

  async function settled(id: string): Promise<MediaAssetView> {
    for (let i = 0; i < 300; i++) {
      const asset = await getAsset(id);
      if (asset.status !== 'PROCESSING') return asset;
      await sleep(50);
    }
    throw new Error(`asset ${id} still PROCESSING`);
  }

  it('registers an upload PROCESSING, renders it READY, and names where each variant is stored', async () => {
    const bytes = await image(900, 300);
    const key = await uploaded(bytes);
    const registered = await register(key);
    expect(registered).toEqual({
      id: expect.any(String),
      status: 'PROCESSING',
      contentType: 'image/png',
      size: bytes.length,
    });
    const asset = await settled(registered.id);
    expect(asset.variants).toEqual({
      original: { url: `/v1/media/${registered.id}/original`, width: 900, height: 300 },
      thumb: { url: `/v1/media/${registered.id}/thumb`, width: 200, height: 67 },
      medium: { url: `/v1/media/${registered.id}/medium`, width: 800, height: 267 },
    });
    const thumb = await getVariant(registered.id, 'thumb');
    expect(thumb).toMatchObject({ storageKey: `media/${registered.id}/thumb.png`, contentType: 'image/png' });
    const stored = await readAll((await storage.get(thumb.storageKey))!, 10 * 1024 * 1024);
    expect(stored.length).toBe(thumb.size);
    expect(thumb.etag).toBe(`"${createHash('sha256').update(stored).digest('base64url')}"`);
    // The raw upload is gone once the asset settled; only re-encoded variants remain.
    expect(await storage.stat(key)).toBeNull();
  }, 30_000);

  it('announces media.asset-ready.v1 with the owner and every variant, in the same commit as READY', async () => {
    const { id } = await register(await uploaded(await image(50, 40)));
    await settled(id);
    const { rows } = await sql.query('SELECT name, payload FROM media.outbox WHERE aggregate_id = $1', [id]);
    expect(rows).toEqual([
      {
        name: 'media.asset-ready.v1',
        payload: {
          mediaId: id,
          ownerId: owner,
          contentType: 'image/png',
          variants: {
            original: { url: `/v1/media/${id}/original`, width: 50, height: 40 },
            thumb: { url: `/v1/media/${id}/thumb`, width: 50, height: 40 },
            medium: { url: `/v1/media/${id}/medium`, width: 50, height: 40 },
          },
        },
      },
    ]);
  }, 30_000);

  it('an image it cannot decode ends FAILED, announces nothing, and has no variant to serve', async () => {
    const png = await image(400, 400);
    const { id } = await register(await uploaded(png.subarray(0, 200)));
    expect(await settled(id)).toMatchObject({
      status: 'FAILED',
      variants: { original: null, thumb: null, medium: null },
    });
    expect(await failure(getVariant(id, 'thumb'))).toMatchObject({ status: 404, code: 'MEDIA_NOT_FOUND' });
    const { rows } = await sql.query('SELECT count(*)::int AS n FROM media.outbox WHERE aggregate_id = $1', [id]);
    expect(rows[0].n).toBe(0);
  }, 30_000);

  it('registers one upload once: the same key again is 409 UPLOAD_ALREADY_REGISTERED', async () => {
    const key = await uploaded(await image(10, 10));
    const first = await register(key);
    expect(await failure(register(key))).toMatchObject({ status: 409, code: 'UPLOAD_ALREADY_REGISTERED' });
    await settled(first.id);
  }, 30_000);

  it('checks what it adopts again: nothing uploaded, no image, no owner, a foreign key', async () => {
    expect(await failure(register(`media/uploads/${randomUUID()}`))).toMatchObject({
      status: 400,
      code: 'UPLOAD_NOT_FOUND',
    });
    expect(await failure(register(await uploaded(Buffer.from('%PDF-1.4 not an image'))))).toMatchObject({
      status: 400,
      code: 'UPLOAD_NOT_AN_IMAGE',
    });
    expect(await failure(register(await uploaded(await image(5, 5)), meta(null)))).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    for (const uploadKey of [
      'media/0193a0c4-6b7e-7cc2-9f4e-2c1d5b3c8e10/thumb.png',
      '../etc/passwd',
      'media/uploads/x',
    ]) {
      expect(await failure(register(uploadKey))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    }
  });

  it('an asset still PROCESSING lists no variants and serves none (404)', async () => {
    // A row as registration leaves it, written directly: the worker never sees it, so it stays PROCESSING.
    const id = randomUUID();
    await sql.query(
      `INSERT INTO media.assets (id, owner_id, status, content_type, size, upload_key, created_at, updated_at)
       VALUES ($1, $2, 'PROCESSING', 'image/png', 10, $3, now(), now())`,
      [id, owner, `media/uploads/${randomUUID()}`],
    );
    expect(await getAsset(id)).toEqual({
      id,
      status: 'PROCESSING',
      contentType: 'image/png',
      size: 10,
      variants: { original: null, thumb: null, medium: null },
    });
    for (const variant of ['original', 'thumb', 'medium']) {
      expect(await failure(getVariant(id, variant))).toMatchObject({ status: 404, code: 'MEDIA_NOT_FOUND' });
    }
  });

  it('unknown assets and variants are 404 MEDIA_NOT_FOUND; a bad variant name is 400', async () => {
    expect(await failure(getAsset(randomUUID()))).toMatchObject({ status: 404, code: 'MEDIA_NOT_FOUND' });
    expect(await failure(getVariant(randomUUID(), 'thumb'))).toMatchObject({ status: 404, code: 'MEDIA_NOT_FOUND' });
    expect(await failure(getVariant(randomUUID(), 'huge'))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });
});
