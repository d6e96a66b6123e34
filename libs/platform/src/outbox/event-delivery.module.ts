import {
  Global,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type FicusConfig, ficusConfig } from '../config/ficus.config.js';
import { QueueRegistry } from '../jobs/queue-registry.js';
import { InProcessServer } from '../messaging/in-process.server.js';
import { EventQueues } from './event-queues.js';

/** Starts one queue worker per context in this process that consumes integration events. */
@Injectable()
class EventWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly queues: EventQueues,
    private readonly server: InProcessServer,
    @Inject(ficusConfig.KEY) private readonly config: FicusConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.outbox.relayEnabled) return;
    this.server.whenListening(() => {
      for (const consumer of this.server.consumers()) {
        this.queues.startWorker(consumer, (event) => this.server.deliver(event, consumer));
      }
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queues.close();
  }
}

/**
 * Durable, cross-process delivery of integration events (BullMQ), shared by every relay of the process;
 * also the process's `QueueRegistry` of BullMQ queues.
 */
@Global()
@Module({
  providers: [
    { provide: QueueRegistry, useFactory: () => new QueueRegistry() },
    {
      provide: EventQueues,
      inject: [ficusConfig.KEY, QueueRegistry],
      useFactory: (config: FicusConfig, registry: QueueRegistry) =>
        new EventQueues({
          redisUrl: config.redis.url,
          prefix: `${config.redis.keyPrefix}:bull`,
          maxAttempts: config.outbox.maxAttempts,
          backoffBaseMs: config.outbox.backoffBaseMs,
          workerConcurrency: config.outbox.workerConcurrency,
          leaseMs: config.outbox.leaseMs,
          registry,
        }),
    },
    EventWorkers,
  ],
  exports: [EventQueues, QueueRegistry],
})
export class EventDeliveryModule {}
