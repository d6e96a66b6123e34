import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportPKCS8, exportSPKI, generateKeyPair } from 'jose';

let keys: Promise<{ privateKey: string; publicKey: string }> | undefined;

/** One ES256 key pair per test process, passed through the environment like production keys. */
function testKeys() {
  keys ??= generateKeyPair('ES256', { extractable: true }).then(async (pair) => ({
    privateKey: await exportPKCS8(pair.privateKey),
    publicKey: await exportSPKI(pair.publicKey),
  }));
  return keys;
}

/**
 * Points the process's configuration at a test database and a unique Redis key prefix, with quiet logs and
 * a fast relay. Returns the prefix so a test can clean its keys.
 */
export async function useTestEnv(databaseUrl: string, overrides: Record<string, string> = {}): Promise<string> {
  const { privateKey, publicKey } = await testKeys();
  const redisPrefix = `ficus-test:${process.pid}:${randomBytes(4).toString('hex')}`;
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: redisPrefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    JWT_PRIVATE_KEY: privateKey,
    JWT_PUBLIC_KEY: publicKey,
    SEED_ON_START: 'false',
    OUTBOX_POLL_INTERVAL_MS: '100',
    OUTBOX_BACKOFF_BASE_MS: '20',
    OUTBOX_BACKOFF_MAX_MS: '200',
    FICUS_REMOTE_CONTEXTS: '',
    // Blobs of a test go to a directory of its own, never into the checkout's var/.
    STORAGE_DRIVER: 'local',
    STORAGE_DIR: join(tmpdir(), 'ficus-test-storage', redisPrefix.replace(/:/g, '-')),
    ...overrides,
  });
  return redisPrefix;
}
