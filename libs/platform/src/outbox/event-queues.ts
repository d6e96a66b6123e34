import { Logger } from '@nestjs/common';
import { type Job, type JobState, Queue, Worker } from 'bullmq';
import { CompletionStream } from './completion-stream.js';
import { Redis } from 'ioredis';
import type { IntegrationEvent } from '@ficus/contracts';
import type { QueueRegistry } from '../jobs/queue-registry.js';

/** How long a graceful worker close may wait for running jobs before it is forced. */
const WORKER_CLOSE_GRACE_MS = 5000;
type CompletionListener = (jobIds: string[]) => void;

export interface EventQueueOptions {
  redisUrl: string;
  /** BullMQ key prefix, so parallel deployments (and test runs) on one Redis never share queues. */
  prefix: string;
  maxAttempts: number;
  backoffBaseMs: number;
  workerConcurrency: number;
  /**
   * How long a job taken by a worker that died (crash, SIGKILL) stays claimed: the job lock's lifetime and
   * the interval of the stalled-job check that hands such jobs to a live worker (the consumer-side twin of
   * the relay's lease, OUTBOX_LEASE_MS; 30 s, as BullMQ's own defaults).
   */
  leaseMs: number;
  /** Told of every queue this process produces to or consumes (operator tooling lists them). */
  registry?: QueueRegistry;
}

/** `ie.<subscriber>`: one durable queue per consuming context. */
export const eventQueueName = (subscriber: string) => `ie.${subscriber}`;
/** BullMQ job ids may not contain `:`, hence the dot. */
export const eventJobId = (eventId: string, subscriber: string) => `${eventId}.${subscriber}`;

/**
 * Cross-process delivery of integration events: the producing relay enqueues into the subscriber's BullMQ
 * queue, a worker in the process that hosts the subscriber runs its `@EventPattern` handler. BullMQ retries
 * with exponential backoff and keeps failed jobs; the relay's reconciler reads their state back into the
 * outbox (Postgres stays the source of truth: Redis may lose everything).
 */
export class EventQueues {
  private readonly logger = new Logger(EventQueues.name);
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  private readonly workerConnections = new Map<Worker, Redis>();
  private connection?: Redis;
  private readonly completionListeners = new Map<string, Set<CompletionListener>>();
  private readonly completionStreams: CompletionStream[] = [];

  constructor(private readonly options: EventQueueOptions) {}

  private queue(subscriber: string): Queue {
    let queue = this.queues.get(subscriber);
    if (!queue) {
      this.connection ??= new Redis(this.options.redisUrl, {
        maxRetriesPerRequest: null,
        connectionName: 'ficus-events',
      });
      queue = new Queue(eventQueueName(subscriber), { connection: this.connection, prefix: this.options.prefix });
      queue.on('error', (error) =>
        this.logger.warn({ event: 'events.queue-error', err: error.message }, 'queue error'),
      );
      this.queues.set(subscriber, queue);
      this.options.registry?.add(eventQueueName(subscriber), this.options.prefix);
    }
    return queue;
  }

  /**
   * Adds the job unless the queue already has it. A job that failed for good (parked, now replayed) or that
   * finished but was not yet reconciled is removed first, so the same job id can run again.
   */
  async enqueue(event: IntegrationEvent, subscriber: string): Promise<void> {
    const queue = this.queue(subscriber);
    const jobId = eventJobId(event.id, subscriber);
    const state = await queue.getJobState(jobId);
    if (state === 'failed') await queue.remove(jobId);
    else if (state !== 'unknown') return;
    await queue.add(event.name, event, this.jobOptions(event.id, subscriber));
  }

  /** Adds jobs for deliveries that were just created, so no job can exist for them yet. */
  async enqueueNew(items: { event: IntegrationEvent; subscriber: string }[]): Promise<void> {
    const bySubscriber = new Map<string, IntegrationEvent[]>();
    for (const { event, subscriber } of items) {
      const events = bySubscriber.get(subscriber);
      if (events) events.push(event);
      else bySubscriber.set(subscriber, [event]);
    }
    await Promise.all(
      [...bySubscriber].map(([subscriber, events]) =>
        this.queue(subscriber).addBulk(
          events.map((event) => ({ name: event.name, data: event, opts: this.jobOptions(event.id, subscriber) })),
        ),
      ),
    );
  }

  private jobOptions(eventId: string, subscriber: string) {
    return {
      jobId: eventJobId(eventId, subscriber),
      attempts: this.options.maxAttempts,
      backoff: { type: 'exponential', delay: this.options.backoffBaseMs },
      removeOnComplete: { age: 3600, count: 100_000 },
      removeOnFail: false,
    };
  }

  state(eventId: string, subscriber: string): Promise<JobState | 'unknown'> {
    return this.queue(subscriber).getJobState(eventJobId(eventId, subscriber));
  }

  async failedReason(eventId: string, subscriber: string): Promise<string> {
    const job = await this.queue(subscriber).getJob(eventJobId(eventId, subscriber));
    return job?.failedReason ?? 'failed in the subscriber queue';
  }

  /**
   * Calls `listener` with the ids of `subscriber`'s jobs as they complete (from BullMQ's events stream,
   * the one `QueueEvents` reads, in batches), so relays learn of deliveries without asking Redis per job. Events that happen while
   * nobody reads the stream (this process starting or Redis away) are not replayed: the periodic
   * reconciler still finds those. Returns the unsubscribe.
   */
  onCompleted(subscriber: string, listener: CompletionListener): () => void {
    let listeners = this.completionListeners.get(subscriber);
    if (!listeners) {
      listeners = new Set();
      this.completionListeners.set(subscriber, listeners);
      this.readCompletions(subscriber, listeners);
    }
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  private readCompletions(subscriber: string, listeners: Set<CompletionListener>): void {
    const stream = new CompletionStream(
      this.options.redisUrl,
      this.queue(subscriber).keys.events,
      (jobIds) => {
        for (const listener of listeners) listener(jobIds);
      },
      (error) => this.logger.warn({ event: 'events.completions-error', err: error.message }, 'completion stream error'),
    );
    stream.start();
    this.completionStreams.push(stream);
  }

  /** Consumes `subscriber`'s queue in this process with `deliver`; closed by `close`. */
  startWorker(subscriber: string, deliver: (event: IntegrationEvent) => Promise<void>): Worker {
    const processJob = (job: Job) =>
      deliver(job.data as IntegrationEvent).catch((error: unknown) => {
        throw asError(error);
      });
    const connection = new Redis(this.options.redisUrl, {
      maxRetriesPerRequest: null,
      connectionName: `ficus-worker-${subscriber}`,
    });
    const worker = new Worker(eventQueueName(subscriber), processJob, {
      connection,
      prefix: this.options.prefix,
      concurrency: this.options.workerConcurrency,
      lockDuration: this.options.leaseMs,
      stalledInterval: this.options.leaseMs,
    });
    worker.on('error', (error) =>
      this.logger.warn({ event: 'events.worker-error', err: error.message }, 'worker error'),
    );
    worker.on('failed', (job, error) =>
      this.logger.warn(
        {
          event: 'events.job-failed',
          correlationId: job?.data?.correlationId,
          eventId: job?.data?.id,
          subscriber,
          attempt: job?.attemptsMade,
          error: error.message,
        },
        `event delivery to ${subscriber} failed`,
      ),
    );
    this.workers.push(worker);
    this.workerConnections.set(worker, connection);
    this.options.registry?.add(eventQueueName(subscriber), this.options.prefix);
    return worker;
  }

  /**
   * Graceful when Redis answers (running jobs finish), forced when it does not: BullMQ's graceful close
   * waits for Redis for ever, and a job cut short is only a stalled job, re-delivered later and absorbed
   * by the consumer's inbox.
   */
  private async closeWorker(worker: Worker): Promise<void> {
    const forced = () => worker.close(true).catch(() => undefined);
    if (this.workerConnections.get(worker)?.status !== 'ready') return forced();
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, WORKER_CLOSE_GRACE_MS, 'timeout')));
    const outcome = await Promise.race([worker.close().catch(() => undefined), gaveUp]);
    clearTimeout(timer);
    if (outcome === 'timeout') await forced();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => this.closeWorker(w)));
    await Promise.all(this.completionStreams.map((stream) => stream.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    // BullMQ leaves connections it was handed open, and its own disconnect() waits for a Redis that may be
    // away: drop them directly.
    for (const connection of this.workerConnections.values()) connection.disconnect();
    this.connection?.disconnect();
  }
}

/**
 * BullMQ keeps only `error.message` as a job's failed reason (which the reconciler copies into the parked
 * delivery's `last_error`), but a handler rejects with the plain contract error body that the RPC exception
 * filter makes of any error: without this, a parked delivery's reason read "null". Same text as the
 * in-process path records.
 */
function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  if (typeof error === 'object' && error && 'detail' in error) return new Error(String(error.detail));
  return new Error(String(error));
}
