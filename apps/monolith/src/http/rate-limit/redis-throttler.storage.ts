import { Inject, Injectable, Logger, Module } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { type FicusConfig, ficusConfig, REDIS } from '@ficus/platform';
import { LocalHitBatcher } from './local-hit-batcher.js';

// Fixed window per key (ARGV[4] hits at once), plus a block key once the limit is passed. One round trip, atomic.
const INCREMENT = `
local hits = redis.call('INCRBY', KEYS[1], ARGV[4])
if hits == tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then return {hits, ttl, 1, blocked} end
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return {hits, ttl, 1, tonumber(ARGV[3])}
end
return {hits, ttl, 0, 0}`;

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Redis storage for @nestjs/throttler, so limits hold across replicas, with a local pre-check in front
 * (`LocalHitBatcher`, `RATE_LIMIT_LOCAL_BATCH`): a caller far from their limit reaches Redis once per
 * batch of hits. (@nest-lab/throttler-storage-redis does not declare Nest 12 support yet; this is the
 * same idea in one Lua script.) If Redis is away, the limiter fails open and says so in the log: an outage
 * of the limiter must not become an outage of the API.
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(RedisThrottlerStorage.name);
  private readonly local: LocalHitBatcher;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ficusConfig.KEY) private readonly config: FicusConfig,
  ) {
    this.local = new LocalHitBatcher(config.rateLimit.localBatch);
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, name: string) {
    const base = `${this.config.redis.keyPrefix}:rl:${name}:${key}`;
    const now = Date.now();
    const decision = this.local.hit(base, limit, now);
    if (decision.kind === 'local') {
      return {
        totalHits: decision.totalHits,
        timeToExpire: seconds(decision.timeToExpireMs),
        isBlocked: decision.blockedForMs > 0,
        timeToBlockExpire: seconds(decision.blockedForMs),
      };
    }
    try {
      const [hits, ttlMs, blocked, blockMs] = (await this.redis.eval(
        INCREMENT,
        2,
        base,
        `${base}:blocked`,
        String(ttl),
        String(limit),
        String(blockDuration),
        String(decision.hits),
      )) as number[];
      this.local.synced(base, { totalHits: hits, ttlMs, blockedForMs: blocked === 1 ? blockMs : 0 }, Date.now());
      return {
        totalHits: hits,
        timeToExpire: seconds(ttlMs),
        isBlocked: blocked === 1,
        timeToBlockExpire: seconds(blockMs),
      };
    } catch (error) {
      this.local.unsynced(base, decision.hits);
      this.logger.warn({ event: 'rate-limit.unavailable', err: (error as Error).message }, 'rate limiter fails open');
      return { totalHits: 0, timeToExpire: Math.ceil(ttl / 1000), isBlocked: false, timeToBlockExpire: 0 };
    }
  }
}

/** Lets `ThrottlerModule.forRootAsync` inject the storage. */
@Module({ providers: [RedisThrottlerStorage], exports: [RedisThrottlerStorage] })
export class RedisThrottlerStorageModule {}
