import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { type FicusConfig, ficusConfig } from '../config/ficus.config.js';

/** Injection token of the process's shared ioredis connection. */
export const REDIS = Symbol.for('ficus.redis');

/**
 * Commands fail fast while Redis is away (no offline queue, one retry per request) so that callers such
 * as the rate limiter can decide to fail open instead of hanging a request.
 */
export function createRedis(url: string, name: string): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  const logger = new Logger('Redis');
  let warned = false;
  redis.on('error', (error: Error) => {
    if (!warned) logger.warn({ event: 'redis.error', err: error.message }, 'Redis connection error');
    warned = true;
  });
  redis.on('ready', () => {
    warned = false;
  });
  return redis;
}

class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [ficusConfig.KEY],
      useFactory: (config: FicusConfig) => createRedis(config.redis.url, 'ficus'),
    },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}
