import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { type BeforeApplicationShutdown, Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { type FicusConfig, ficusConfig } from '@ficus/platform';
import { SendDispatcher } from '../../application/deliver-send/send.dispatcher.js';
import { SEND_QUEUES } from './send-queues.js';

export interface SendJobData {
  sendId: string;
}

/**
 * One worker per channel queue. Workers start only after the application is up (autorun off), with the
 * configured concurrency. A failed try throws: BullMQ retries with exponential backoff and, after the
 * last, keeps the job failed.
 */
abstract class SendProcessor extends WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('NotificationSendWorker');

  constructor(
    private readonly dispatcher: SendDispatcher,
    private readonly config: FicusConfig,
  ) {
    super();
  }

  /** Attached as the worker is created (an unreachable Redis would otherwise be printed on the console). */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn({ event: 'notifications.worker-error', queue: this.worker.name, err: error.message });
  }

  /**
   * Forced before @nestjs/bullmq's graceful close, which waits for running jobs and, while Redis is away, for
   * ever; a send cut short is retried from its QUEUED/SENDING row (lease) by the next try or the resend sweep.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close(true).catch(() => undefined);
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.notifications.workerConcurrency;
    void this.worker
      .run()
      .catch((error: Error) => this.logger.error({ event: 'notifications.worker-stopped', err: error.message }));
  }

  /** Every failed try, whatever failed (the provider, Postgres, …): the job keeps the error too. */
  @OnWorkerEvent('failed')
  onFailed(job: Job<SendJobData> | undefined, error: Error): void {
    this.logger.warn({
      event: 'notifications.job-failed',
      queue: this.worker.name,
      jobId: job?.id,
      attempt: job?.attemptsMade,
      err: error.message,
    });
  }

  async process(job: Job<SendJobData>): Promise<void> {
    const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await this.dispatcher.deliver(job.data.sendId, final);
  }
}

@Processor(SEND_QUEUES.email, { autorun: false })
export class EmailSendProcessor extends SendProcessor {
  constructor(dispatcher: SendDispatcher, @Inject(ficusConfig.KEY) config: FicusConfig) {
    super(dispatcher, config);
  }
}

@Processor(SEND_QUEUES.push, { autorun: false })
export class PushSendProcessor extends SendProcessor {
  constructor(dispatcher: SendDispatcher, @Inject(ficusConfig.KEY) config: FicusConfig) {
    super(dispatcher, config);
  }
}

@Processor(SEND_QUEUES.sms, { autorun: false })
export class SmsSendProcessor extends SendProcessor {
  constructor(dispatcher: SendDispatcher, @Inject(ficusConfig.KEY) config: FicusConfig) {
    super(dispatcher, config);
  }
}
