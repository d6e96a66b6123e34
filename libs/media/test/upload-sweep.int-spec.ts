import { randomUUID } from 'node:crypto';
import { utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { LocalDiskBlobStorage } from '@ficus/platform';
import { type ContractHarness, startContractHarness } from '@ficus/platform/testing';
import { UploadSweeper } from '../src/application/sweep-uploads/upload-sweeper.js';
import { TypeOrmMediaAssetRepository } from '../src/infrastructure/persistence/media-asset.repository.js';
import { MediaModule } from '../src/index.js';

const HOUR = 3_600_000;

/**
 * The sweep of raw uploads nothing needs, on the real schema (migrated by the hosted context) and the real
 * local-disk storage. Assets are written with SQL in the states a crash or a failed removal leaves behind.
 */
describe('media upload sweep (real Postgres, local disk)', () => {
  let h: ContractHarness;
  let storage: LocalDiskBlobStorage;
  let dataSource: DataSource;
  let sweeper: UploadSweeper;

  beforeAll(async () => {
    // The schedule is off: this suite runs the sweep itself.
    h = await startContractHarness('media', MediaModule, 'in-process', {
      env: { MEDIA_UPLOAD_SWEEP_INTERVAL_MS: '0' },
    });
    storage = new LocalDiskBlobStorage(process.env.STORAGE_DIR!);
    dataSource = await new DataSource({ type: 'postgres', url: h.databaseUrl }).initialize();
    sweeper = new UploadSweeper(storage, new TypeOrmMediaAssetRepository(dataSource));
  }, 30_000);
  afterAll(async () => {
    await dataSource?.destroy();
    await h?.close();
  });

  /** A blob under `key`, last written `ageMs` ago. */
  async function blob(key: string, ageMs: number): Promise<string> {
    await storage.put(key, Readable.from([Buffer.from(key)]), 'application/octet-stream');
    const when = new Date(Date.now() - ageMs);
    await utimes(join(storage.root, key), when, when);
    return key;
  }
  const upload = (ageMs: number) => blob(`media/uploads/${randomUUID()}`, ageMs);
  async function asset(uploadKey: string, status: 'PROCESSING' | 'FAILED'): Promise<void> {
    await dataSource.query(
      `INSERT INTO media.assets (id, owner_id, status, content_type, size, upload_key, failure_reason, created_at, updated_at)
       VALUES ($1, $2, $3, 'image/png', 10, $4, $5, now(), now())`,
      [randomUUID(), randomUUID(), status, uploadKey, status === 'FAILED' ? 'unreadable' : null],
    );
  }
  const exists = async (key: string) => (await storage.stat(key)) !== null;

  it('deletes old uploads no processing asset needs, and keeps everything else', async () => {
    const orphan = await upload(2 * HOUR); // streamed, then the process died before registering it
    const settled = await upload(2 * HOUR); // its asset failed, removing the upload did not
    await asset(settled, 'FAILED');
    const processing = await upload(2 * HOUR); // its variants job has not run yet
    await asset(processing, 'PROCESSING');
    const young = await upload(60_000); // being registered right now
    const partial = await blob(`media/uploads/${randomUUID()}.${randomUUID()}.partial`, 2 * HOUR); // a cut-off write
    const variant = await blob(`media/variants/${randomUUID()}/thumb`, 2 * HOUR); // not an upload

    expect(await sweeper.sweep(HOUR)).toBe(3);

    expect(await exists(orphan)).toBe(false);
    expect(await exists(settled)).toBe(false);
    expect(await exists(partial)).toBe(false);
    expect(await exists(processing)).toBe(true);
    expect(await exists(young)).toBe(true);
    expect(await exists(variant)).toBe(true);
    // The assets' rows are not the sweep's business.
    const { length } = await dataSource.query('SELECT 1 FROM media.assets WHERE upload_key = ANY($1)', [
      [settled, processing],
    ]);
    expect(length).toBe(2);
  });

  it('is safe to run on several replicas at once, and a second run finds nothing', async () => {
    const orphans = await Promise.all(Array.from({ length: 250 }, () => upload(2 * HOUR))); // > one batch
    const counts = await Promise.all([sweeper.sweep(HOUR), sweeper.sweep(HOUR)]);
    expect(counts.every((n) => n <= orphans.length)).toBe(true);
    expect((await Promise.all(orphans.map(exists))).some(Boolean)).toBe(false);
    expect(await sweeper.sweep(HOUR)).toBe(0);
  }, 30_000);

  it('does nothing when the uploads folder does not exist yet', async () => {
    const empty = new UploadSweeper(
      new LocalDiskBlobStorage(join(storage.root, 'never-written', randomUUID())),
      new TypeOrmMediaAssetRepository(dataSource),
    );
    expect(await empty.sweep(HOUR)).toBe(0);
  });
});
