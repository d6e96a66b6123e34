import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { CacheInvalidationBus } from './cache/cache-invalidation.bus.js';
import { AuthKeysModule } from './auth/auth-keys.module.js';
import { ficusConfig } from './config/ficus.config.js';
import { AllExceptionsFilter } from './http/all-exceptions.filter.js';
import { JobQueuesModule } from './jobs/job-queues.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { RpcLoggingInterceptor } from './logging/rpc-logging.interceptor.js';
import { MessagingModule } from './messaging/messaging.module.js';
import { EventDeliveryModule } from './outbox/event-delivery.module.js';
import { RedisModule } from './redis/redis.module.js';
import { ResilienceModule } from './resilience/breaker-registry.js';
import { StorageModule } from './storage/storage.module.js';

/**
 * What every Ficus process needs before any context loads: validated configuration, logs, the command
 * and query buses, messaging, Redis, the shared BullMQ settings for context job queues, JWT keys, the
 * breaker registry, blob storage, and the one error filter (HTTP and RPC
 * alike).
 */
@Global()
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, cache: true, load: [ficusConfig], envFilePath: ['.env'] }),
    LoggingModule,
    CqrsModule.forRoot(),
    MessagingModule,
    EventDeliveryModule,
    RedisModule,
    JobQueuesModule,
    AuthKeysModule,
    ResilienceModule,
    StorageModule,
  ],
  providers: [
    CacheInvalidationBus,
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    { provide: APP_INTERCEPTOR, useClass: RpcLoggingInterceptor },
  ],
  exports: [CacheInvalidationBus],
})
export class PlatformModule {}
