import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { type BlobStorage, LocalDiskBlobStorage, readAll } from '@ficus/platform';
import { S3BlobStorage } from '../src/storage/s3.blob-storage.js';

/**
 * The contract every BlobStorage adapter keeps, run against each: the local disk, and an S3-compatible
 * service: the one given in the environment,
 *
 *   S3_TEST_ENDPOINT=http://127.0.0.1:9000 S3_TEST_BUCKET=ficus-test \
 *   S3_TEST_ACCESS_KEY_ID=… S3_TEST_SECRET_ACCESS_KEY=… npm run test:int -- --testPathPatterns blob-storage
 *
 * (S3_TEST_REGION defaults to us-east-1; the bucket is created when missing), or else moto's S3 server
 * (`moto_server`, the Python AWS fake) started on a free port when it is installed, as it is on the CI
 * machine. Only without either is the S3 adapter left out, with a printed reason.
 */
interface Adapter {
  name: string;
  create(): Promise<{ storage: BlobStorage; leftovers(): Promise<string[]>; close(): Promise<void> }>;
}

const configuredS3 = process.env.S3_TEST_ENDPOINT;
const motoServer = configuredS3 ? undefined : onPath('moto_server');
const s3Endpoint = configuredS3 ?? (motoServer ? 'moto_server (started by this test)' : undefined);

function onPath(command: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** Starts moto's S3 server on a free port; resolves with its URL once it answers. */
async function startMoto(): Promise<{ endpoint: string; stop(): void }> {
  const port = await new Promise<number>((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
  const child = spawn(motoServer!, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
    if (
      await fetch(endpoint).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { endpoint, stop: () => child.kill() };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill();
  throw new Error(`moto_server did not answer on ${endpoint} within 20 s`);
}

const adapters: Adapter[] = [
  {
    name: 'local disk',
    async create() {
      const dir = await mkdtemp(join(tmpdir(), 'ficus-blobs-'));
      const storage = new LocalDiskBlobStorage(join(dir, 'nested', 'root'));
      await storage.start();
      return {
        storage,
        leftovers: async () =>
          (await readdir(storage.root, { recursive: true, withFileTypes: true }))
            .filter((e) => e.isFile())
            .map((e) => e.name),
        close: () => rm(dir, { recursive: true, force: true }),
      };
    },
  },
];

if (s3Endpoint) {
  adapters.push({
    name: `S3 at ${s3Endpoint}`,
    async create() {
      const moto = configuredS3 ? undefined : await startMoto();
      const options = {
        endpoint: moto?.endpoint ?? configuredS3,
        region: process.env.S3_TEST_REGION ?? 'us-east-1',
        bucket: process.env.S3_TEST_BUCKET ?? 'ficus-test',
        accessKeyId: process.env.S3_TEST_ACCESS_KEY_ID ?? (moto ? 'moto' : undefined),
        secretAccessKey: process.env.S3_TEST_SECRET_ACCESS_KEY ?? (moto ? 'moto' : undefined),
        forcePathStyle: true,
      };
      const admin = new S3Client({
        endpoint: options.endpoint,
        region: options.region,
        forcePathStyle: true,
        ...(options.accessKeyId && options.secretAccessKey
          ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }
          : {}),
      });
      await admin.send(new CreateBucketCommand({ Bucket: options.bucket })).catch((error: { name?: string }) => {
        if (!['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes(error.name ?? '')) throw error;
      });
      const storage = new S3BlobStorage(options);
      return {
        storage,
        // Keys are unique per test, so what S3 holds under them is checked directly in the tests.
        leftovers: async () => [],
        close: async () => {
          storage.close();
          admin.destroy();
          moto?.stop();
        },
      };
    },
  });
} else {
  // The S3 adapter is then not tested at all, and the run says so (no silent gap).
  process.stdout.write(
    'blob-storage contract: the S3 adapter is NOT tested (no S3_TEST_ENDPOINT and no moto_server on PATH); ' +
      'install moto (pip install "moto[server]") or set S3_TEST_ENDPOINT, S3_TEST_BUCKET, ' +
      'S3_TEST_ACCESS_KEY_ID and S3_TEST_SECRET_ACCESS_KEY to run it against MinIO or AWS\n',
  );
}

/** A stream of `chunks` chunks of 64 KiB that errors after them, like a refused upload. */
function failingAfter(chunks: number, error: Error): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent++ < chunks) this.push(randomBytes(64 * 1024));
      else this.destroy(error);
    },
  });
}

describe.each(adapters)('blob storage contract ($name)', (adapter) => {
  let t: Awaited<ReturnType<Adapter['create']>>;
  const prefix = `contract/${randomUUID()}`;
  beforeAll(async () => {
    t = await adapter.create();
  }, 30_000);
  afterAll(async () => {
    await t?.close();
  });

  it('stores a stream and reads it back whole, with its size and first bytes', async () => {
    const bytes = randomBytes(6 * 1024 * 1024 + 123); // past one S3 part: a real multipart upload
    const key = `${prefix}/big.bin`;
    expect(
      await t.storage.put(
        key,
        Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]),
        'application/octet-stream',
      ),
    ).toEqual({
      size: bytes.length,
    });
    expect(await t.storage.stat(key)).toEqual({ size: bytes.length });
    expect((await t.storage.readHead(key, 16))!.equals(bytes.subarray(0, 16))).toBe(true);
    expect((await readAll((await t.storage.get(key))!, bytes.length)).equals(bytes)).toBe(true);
    await t.storage.delete(key);
  }, 60_000);

  it('answers null for what is not there, and deleting it is fine', async () => {
    const key = `${prefix}/missing.bin`;
    expect(await t.storage.get(key)).toBeNull();
    expect(await t.storage.stat(key)).toBeNull();
    expect(await t.storage.readHead(key, 10)).toBeNull();
    await expect(t.storage.delete(key)).resolves.toBeUndefined();
  });

  it('reads the head of a blob shorter than asked, and of an empty one', async () => {
    await t.storage.put(`${prefix}/short`, Readable.from([Buffer.from('abc')]), 'text/plain');
    expect((await t.storage.readHead(`${prefix}/short`, 4100))!.toString()).toBe('abc');
    await t.storage.put(`${prefix}/empty`, Readable.from([]), 'text/plain');
    expect(await t.storage.readHead(`${prefix}/empty`, 10)).toEqual(Buffer.alloc(0));
    expect(await t.storage.stat(`${prefix}/empty`)).toEqual({ size: 0 });
  }, 30_000);

  it('leaves nothing behind when the body fails half-way (a refused upload)', async () => {
    const key = `${prefix}/refused.bin`;
    const before = await t.leftovers();
    await expect(t.storage.put(key, failingAfter(100, new Error('too large')), 'image/jpeg')).rejects.toThrow(
      'too large',
    );
    expect(await t.storage.stat(key)).toBeNull();
    expect(await t.leftovers()).toEqual(before);
  }, 30_000);

  it('lists the blobs under a prefix, nested ones too, with when they were written', async () => {
    const started = Date.now() - 2000; // file systems and S3 may round times down to the second
    for (const key of ['list/a', 'list/sub/b', 'listed-not/c']) {
      await t.storage.put(`${prefix}/${key}`, Readable.from([Buffer.from(key)]), 'text/plain');
    }
    const listed = [];
    for await (const blob of t.storage.list(`${prefix}/list/`)) listed.push(blob);
    expect(listed.map((b) => b.key).sort()).toEqual([`${prefix}/list/a`, `${prefix}/list/sub/b`]);
    for (const blob of listed) {
      expect(blob.modifiedAt.getTime()).toBeGreaterThanOrEqual(started);
      expect(blob.modifiedAt.getTime()).toBeLessThanOrEqual(Date.now() + 2000);
    }
    const none = [];
    for await (const blob of t.storage.list(`${prefix}/nothing-here/`)) none.push(blob);
    expect(none).toEqual([]);
  }, 30_000);

  it('refuses keys that would leave its space', async () => {
    for (const key of ['../escape', '/absolute', 'a/../../b', 'a//b', '']) {
      await expect(t.storage.put(key, Readable.from([Buffer.from('x')]), 'text/plain')).rejects.toThrow(
        'Invalid blob key',
      );
    }
  });
});
