import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import type { Queue, RedisOptions } from 'bullmq';
import { type FicusConfig, ficusConfig, ServiceUnavailable } from '@ficus/platform';
import type { VariantJobs } from '../../domain/ports.js';

/** BullMQ queue of variant jobs (job id = asset id: BullMQ keeps one job per asset, however often queued). */
export const MEDIA_VARIANTS_QUEUE = 'media-variants';

/** Longest wait for Redis when queueing; BullMQ would otherwise wait for a Redis that is away forever. */
const ENQUEUE_TIMEOUT_MS = 5000;

/** BullMQ's connection to `REDIS_URL`; its blocking reads need `maxRetriesPerRequest: null`. */
export function bullConnection(url: string): RedisOptions {
  return { url, maxRetriesPerRequest: null, connectionName: 'ficus-media-jobs' };
}

export class BullMqVariantJobs implements VariantJobs {
  private readonly logger = new Logger('MediaVariants');

  constructor(
    @InjectQueue(MEDIA_VARIANTS_QUEUE) private readonly queue: Queue,
    @Inject(ficusConfig.KEY) private readonly config: FicusConfig,
  ) {
    // Without a listener BullMQ prints every Redis connection error to the console; it reconnects itself.
    queue.on('error', (error) => this.logger.warn({ event: 'media.queue-error', err: error.message }));
  }

  async enqueue(assetId: string): Promise<void> {
    const { jobAttempts, jobBackoffMs } = this.config.media;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new ServiceUnavailable('Image processing is unavailable; retry the upload later.', 5)),
        ENQUEUE_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([
        this.queue.add(
          'render-variants',
          { assetId },
          {
            jobId: assetId,
            attempts: jobAttempts,
            backoff: { type: 'exponential', delay: jobBackoffMs },
            removeOnComplete: { count: 1000 },
            removeOnFail: { count: 1000 },
          },
        ),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
