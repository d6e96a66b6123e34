import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { type FicusConfig, ficusConfig } from '../config/ficus.config.js';

/** ioredis options from `REDIS_URL`; BullMQ then opens (and closes) its own connections. */
export function bullConnectionOptions(redisUrl: string) {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    // BullMQ workers block on Redis; they must wait for it rather than fail a command.
    maxRetriesPerRequest: null,
  };
}

/**
 * The shared `@nestjs/bullmq` configuration: every queue a context registers with `BullModule.registerQueue`
 * uses the process's Redis and the same key prefix as the event queues (`<REDIS_KEY_PREFIX>:bull`), so
 * operator tools (Bull Board) find them all and parallel deployments or test runs never share a queue.
 */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [ficusConfig.KEY],
      useFactory: (config: FicusConfig) => ({
        connection: bullConnectionOptions(config.redis.url),
        prefix: `${config.redis.keyPrefix}:bull`,
      }),
    }),
  ],
  exports: [BullModule],
})
export class JobQueuesModule {}
