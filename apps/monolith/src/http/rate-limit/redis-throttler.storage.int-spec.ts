import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadConfig } from '@ficus/platform';
import { LocalHitBatcher } from './local-hit-batcher.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

// The local pre-check in front of the Redis limiter: fewer Redis calls, and the limit still holds across
// replicas within the documented tolerance, (replicas − 1) × (batch − 1) per window.

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function replica(redis: Redis, prefix: string, batch: number): RedisThrottlerStorage {
  const config = loadConfig({ REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix, RATE_LIMIT_LOCAL_BATCH: String(batch) });
  return new RedisThrottlerStorage(redis, config);
}

describe('RedisThrottlerStorage with the local pre-check', () => {
  let redis: Redis;
  const prefix = `ficus-test:${process.pid}:${randomBytes(4).toString('hex')}`;

  beforeAll(() => {
    redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('calls Redis once per batch far from the limit', async () => {
    const counting = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    let calls = 0;
    const original = counting.eval.bind(counting) as (...args: unknown[]) => Promise<unknown>;
    (counting as unknown as { eval: unknown }).eval = (...args: unknown[]) => {
      calls++;
      return original(...args);
    };
    const storage = replica(counting, prefix, 10);
    try {
      for (let i = 0; i < 50; i++) await storage.increment('far', 60_000, 1000, 60_000, 'default');
      expect(calls).toBe(5);
    } finally {
      await counting.quit();
    }
  });

  it.each([
    [1, 2],
    [10, 2],
    [10, 3],
  ])('holds the limit across replicas within (R − 1) × (batch − 1) (batch %i, %i replicas)', async (batch, count) => {
    const limit = 100;
    const replicas = Array.from({ length: count }, () => replica(redis, prefix, batch));
    const key = `shared-${batch}-${count}`;
    let allowed = 0;
    // Round robin, as a load balancer spreads one caller's requests, well past the limit.
    for (let i = 0; i < limit * 3; i++) {
      const answer = await replicas[i % count].increment(key, 60_000, limit, 60_000, 'default');
      if (!answer.isBlocked) allowed++;
    }
    expect(allowed).toBeGreaterThanOrEqual(limit - (count - 1) * (batch - 1));
    expect(allowed).toBeLessThanOrEqual(limit + (count - 1) * (batch - 1));
    if (batch === 1) expect(allowed).toBe(limit);
  });

  it('fails open while Redis is away', async () => {
    const broken = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
    });
    const storage = replica(broken, prefix, 10);
    const answer = await storage.increment('away', 60_000, 5, 60_000, 'default');
    expect(answer.isBlocked).toBe(false);
    broken.disconnect();
  });
});

describe('LocalHitBatcher', () => {
  it('goes to Redis on the first hit, then every batch, then at every hit near the limit', () => {
    const b = new LocalHitBatcher(10);
    const kinds: string[] = [];
    let total = 0;
    for (let i = 0; i < 100; i++) {
      const d = b.hit('k', 50, 1000);
      kinds.push(d.kind);
      if (d.kind === 'sync') {
        total += d.hits;
        b.synced('k', { totalHits: total, ttlMs: 60_000, blockedForMs: total > 50 ? 60_000 : 0 }, 1000);
      }
    }
    expect(kinds[0]).toBe('sync');
    expect(kinds.slice(1, 10)).toEqual(Array(9).fill('local'));
    // Blocked once Redis counted past the limit; refused locally afterwards, not counted.
    expect(total).toBe(51);
    const d = b.hit('k', 50, 2000);
    expect(d).toMatchObject({ kind: 'local' });
    expect(d.kind === 'local' && d.blockedForMs).toBeGreaterThan(0);
  });

  it('starts a new window when the known one ended', () => {
    const b = new LocalHitBatcher(10);
    expect(b.hit('k', 50, 0).kind).toBe('sync');
    b.synced('k', { totalHits: 1, ttlMs: 1000, blockedForMs: 0 }, 0);
    expect(b.hit('k', 50, 500).kind).toBe('local');
    expect(b.hit('k', 50, 1500)).toEqual({ kind: 'sync', hits: 1 });
  });
});
