import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Logger, Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import type { NotificationChannel } from '@ficus/contracts';
import { type FicusConfig, ficusConfig } from '@ficus/platform';
import type { QueuedSend } from '../persistence/send.repository.js';
import { SEND_QUEUES } from './send-queues.js';

/** Puts sends on their channel's queue: job id = send id, so a send is never queued twice at once. */
@Injectable()
export class SendJobs {
  private readonly logger = new Logger('NotificationSendJobs');
  private readonly queues: Record<NotificationChannel, Queue>;
  private readonly options: JobsOptions;

  constructor(
    @InjectQueue(SEND_QUEUES.email) email: Queue,
    @InjectQueue(SEND_QUEUES.push) push: Queue,
    @InjectQueue(SEND_QUEUES.sms) sms: Queue,
    @Inject(ficusConfig.KEY) config: FicusConfig,
  ) {
    this.queues = { email, push, sms };
    // Without a listener an unreachable Redis is reported on the console for every reconnect attempt.
    for (const queue of [email, push, sms]) {
      queue.on('error', (error: Error) => this.logger.warn({ event: 'notifications.queue-error', err: error.message }));
    }
    const { sendAttempts, sendBackoffMs } = config.notifications;
    this.options = {
      attempts: sendAttempts,
      backoff: { type: 'exponential', delay: sendBackoffMs },
      removeOnComplete: { count: 1000 },
      // Failed jobs stay, with their error and stack, for operators (Bull Board); the send row says FAILED too.
      removeOnFail: false,
    };
  }

  /**
   * Best effort after commit, and bounded: while Redis is away BullMQ's commands wait for it, and an event
   * handler must not. A send whose enqueue fails or takes too long stays QUEUED in Postgres; the add may still
   * land once Redis is back, else the resend sweep enqueues it (same job id either way).
   */
  async enqueue(sends: QueuedSend[]): Promise<void> {
    await Promise.all(
      sends.map(({ id, channel }) =>
        bounded(this.queues[channel].add(channel, { sendId: id }, { ...this.options, jobId: id })).catch(
          (error: Error) => this.logger.warn({ event: 'notifications.enqueue-failed', sendId: id, err: error.message }),
        ),
      ),
    );
  }

  /** Enqueues a send again whose job is gone, or finished while the send is still owed. */
  async requeue({ id, channel }: QueuedSend): Promise<void> {
    const queue = this.queues[channel];
    const state = await bounded(queue.getJobState(id));
    if (state === 'completed' || state === 'failed') await bounded(queue.remove(id));
    else if (state !== 'unknown') return;
    await bounded(queue.add(channel, { sendId: id }, { ...this.options, jobId: id }));
  }
}

/** How long a queue command may wait for Redis before the caller moves on (the send stays owed in Postgres). */
const REDIS_WAIT_MS = 2000;

function bounded<T>(command: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${REDIS_WAIT_MS} ms`)), REDIS_WAIT_MS);
  });
  command.catch(() => undefined); // a late failure after the timeout is not unhandled
  return Promise.race([command, timeout]).finally(() => clearTimeout(timer));
}
