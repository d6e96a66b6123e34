import { Logger } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { QueueRegistry } from './queue-registry.js';

export interface RecurringJobOptions {
  /** Queue name and job-scheduler id (BullMQ: no `:` allowed), e.g. `idempotency-prune`. */
  name: string;
  everyMs: number;
  redisUrl: string;
  /** BullMQ key prefix, shared with the event queues (`<REDIS_KEY_PREFIX>:bull`). */
  prefix: string;
  run: () => Promise<unknown>;
  /** Told of the job's queue (operator tooling lists it). */
  registry?: QueueRegistry;
}

/**
 * Housekeeping that must run every so often across the whole deployment, not once per replica: a BullMQ job
 * scheduler (`upsertJobScheduler`, idempotent, so every replica may declare it at start) creates one job per
 * interval and whichever replica's worker takes it runs it. Redis losing the scheduler costs one interval:
 * the next start declares it again. A failed run is not retried; the next one does the same work.
 */
export class RecurringJob {
  private readonly logger = new Logger(RecurringJob.name);
  private queue?: Queue;
  private worker?: Worker;
  private readonly connections: Redis[] = [];

  constructor(private readonly options: RecurringJobOptions) {}

  /** Declares the schedule and starts this process's worker; never blocks start-up on Redis. */
  start(): void {
    const { name, everyMs, redisUrl, prefix } = this.options;
    const connection = (role: string) => {
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: null, connectionName: `ficus-job-${name}-${role}` });
      this.connections.push(redis);
      return redis;
    };
    this.queue = new Queue(name, { connection: connection('queue'), prefix });
    this.queue.on('error', (error) => this.warn('jobs.queue-error', error));
    this.queue
      .upsertJobScheduler(
        name,
        { every: everyMs },
        { name, opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } },
      )
      .catch((error: Error) => this.warn('jobs.schedule-failed', error));
    this.worker = new Worker(name, () => this.options.run(), { connection: connection('worker'), prefix });
    this.worker.on('error', (error) => this.warn('jobs.worker-error', error));
    this.worker.on('failed', (_job, error) => this.warn('jobs.failed', error));
    this.options.registry?.add(name, prefix);
  }

  async close(): Promise<void> {
    // Forced: a graceful close waits for Redis, forever while it is away; a run cut short is harmless, since
    // the next one does the same work.
    await this.worker?.close(true).catch(() => undefined);
    await this.queue?.close().catch(() => undefined);
    // BullMQ leaves connections it was handed open.
    for (const redis of this.connections) redis.disconnect();
  }

  private warn(event: string, error: Error): void {
    this.logger.warn({ event, job: this.options.name, err: error.message }, `${this.options.name}: ${error.message}`);
  }
}
