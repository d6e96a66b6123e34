import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { type BeforeApplicationShutdown, Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Job } from 'bullmq';
import { type FicusConfig, ficusConfig } from '@ficus/platform';
import { MEDIA_VARIANTS_QUEUE } from '../../infrastructure/jobs/media-variants.queue.js';
import { ProcessAssetCommand } from './process-asset.command.js';

/**
 * The BullMQ worker of variant jobs, in the process hosting media. It starts after init (CQRS registers
 * the command handler during init) and stops first on shutdown, without waiting for Redis: a job cut short
 * is taken again after BullMQ's stall check, and processing an asset twice is harmless.
 */
@Processor(MEDIA_VARIANTS_QUEUE, { autorun: false })
export class MediaVariantsProcessor extends WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('MediaVariants');

  constructor(
    private readonly commands: CommandBus,
    @Inject(ficusConfig.KEY) private readonly config: FicusConfig,
  ) {
    super();
  }

  async process(job: Job<{ assetId: string }>): Promise<void> {
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await this.commands.execute(new ProcessAssetCommand(job.data.assetId, finalAttempt));
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.media.workerConcurrency;
    void this.worker
      .run()
      .catch((error: Error) => this.logger.warn({ event: 'media.worker-stopped', err: error.message }));
  }

  /** Registered with the worker as it is created: Redis errors (it reconnects by itself) go to the log. */
  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.logger.warn({ event: 'media.worker-error', err: error.message }, `Variants worker: ${error.message}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close(true).catch(() => undefined);
  }
}
