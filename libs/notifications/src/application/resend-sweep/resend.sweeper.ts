import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { type FicusConfig, ficusConfig } from '@ficus/platform';
import { SendJobs } from '../../infrastructure/jobs/send-jobs.js';
import { SendRepository } from '../../infrastructure/persistence/send.repository.js';

/**
 * Postgres is the record of which sends are owed; Redis may lose their jobs (it keeps nothing on disk), and
 * a crash between commit and enqueue leaves a send without one. Every so often, sends still owed long
 * after they were recorded are enqueued again (job id = send id, so a live job is left alone).
 */
@Injectable()
export class ResendSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('NotificationResend');
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly sends: SendRepository,
    private readonly jobs: SendJobs,
    @Inject(ficusConfig.KEY) private readonly config: FicusConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = Math.min(this.config.notifications.resendAfterMs, 30_000);
    this.timer = setInterval(() => void this.sweep(), every);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const stale = await this.sends.stale(this.config.notifications.resendAfterMs, 500);
      for (const send of stale) await this.jobs.requeue(send);
      if (stale.length) this.logger.warn({ event: 'notifications.requeued', count: stale.length });
      return stale.length;
    } catch (error) {
      this.logger.warn({ event: 'notifications.resend-failed', err: (error as Error).message });
      return 0;
    } finally {
      this.running = false;
    }
  }
}
