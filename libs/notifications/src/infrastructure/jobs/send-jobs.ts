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
   * Best effort after commit: a send whose enqueue fails (Redis away) stays QUEUED in Postgres and the
   * resend sweep enqueues it later.
   */
  async enqueue(sends: QueuedSend[]): Promise<void> {
    await Promise.all(
      sends.map(({ id, channel }) =>
        this.queues[channel].add(channel, { sendId: id }, { ...this.options, jobId: id }).catch((error: Error) => {
          this.logger.warn({ event: 'notifications.enqueue-failed', sendId: id, err: error.message });
        }),
      ),
    );
  }

  /** Enqueues a send again whose job is gone, or finished while the send is still owed. */
  async requeue({ id, channel }: QueuedSend): Promise<void> {
    const queue = this.queues[channel];
    const state = await queue.getJobState(id);
    if (state === 'completed' || state === 'failed') await queue.remove(id);
    else if (state !== 'unknown') return;
    await queue.add(channel, { sendId: id }, { ...this.options, jobId: id });
  }
}
