import { Inject, Injectable, Logger, Module } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { type FicusConfig, ficusConfig, REDIS } from '@ficus/platform';

// Fixed window per key, plus a block key once the limit is passed. One round trip, atomic.
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then return {hits, ttl, 1, blocked} end
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return {hits, ttl, 1, tonumber(ARGV[3])}
end
return {hits, ttl, 0, 0}`;

/**
 * Redis storage for @nestjs/throttler, so limits hold across replicas. (@nest-lab/throttler-storage-redis
 * does not declare Nest 12 support yet; this is the same idea in one Lua script.) If Redis is away, the
 * limiter fails open and says so in the log: an outage of the limiter must not become an outage of the API.
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(RedisThrottlerStorage.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ficusConfig.KEY) private readonly config: FicusConfig,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, name: string) {
    const base = `${this.config.redis.keyPrefix}:rl:${name}:${key}`;
    try {
      const [hits, ttlMs, blocked, blockMs] = (await this.redis.eval(
        INCREMENT,
        2,
        base,
        `${base}:blocked`,
        String(ttl),
        String(limit),
        String(blockDuration),
      )) as number[];
      return {
        totalHits: hits,
        timeToExpire: Math.max(1, Math.ceil(ttlMs / 1000)),
        isBlocked: blocked === 1,
        timeToBlockExpire: Math.max(1, Math.ceil(blockMs / 1000)),
      };
    } catch (error) {
      this.logger.warn({ event: 'rate-limit.unavailable', err: (error as Error).message }, 'rate limiter fails open');
      return { totalHits: 0, timeToExpire: Math.ceil(ttl / 1000), isBlocked: false, timeToBlockExpire: 0 };
    }
  }
}

/** Lets `ThrottlerModule.forRootAsync` inject the storage. */
@Module({ providers: [RedisThrottlerStorage], exports: [RedisThrottlerStorage] })
export class RedisThrottlerStorageModule {}
