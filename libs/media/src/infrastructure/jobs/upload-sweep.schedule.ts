import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type FicusConfig, ficusConfig, QueueRegistry, RecurringJob } from '@ficus/platform';
import { UploadSweeper } from '../../application/sweep-uploads/upload-sweeper.js';

/** BullMQ queue and job-scheduler id of the sweep (BullMQ ids may not contain `:`). */
export const MEDIA_UPLOAD_SWEEP_JOB = 'media-upload-sweep';

/**
 * Runs the `UploadSweeper` every `MEDIA_UPLOAD_SWEEP_INTERVAL_MS` on a BullMQ job scheduler shared by every
 * process hosting media, so the deployment sweeps once per interval, not once per replica.
 */
@Injectable()
export class UploadSweepSchedule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private job?: RecurringJob;

  constructor(
    private readonly sweeper: UploadSweeper,
    private readonly registry: QueueRegistry,
    @Inject(ficusConfig.KEY) private readonly config: FicusConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { uploadSweepIntervalMs, orphanUploadAgeMs } = this.config.media;
    if (uploadSweepIntervalMs === 0) return;
    this.job = new RecurringJob({
      name: MEDIA_UPLOAD_SWEEP_JOB,
      everyMs: uploadSweepIntervalMs,
      redisUrl: this.config.redis.url,
      prefix: `${this.config.redis.keyPrefix}:bull`,
      run: () => this.sweeper.sweep(orphanUploadAgeMs),
      registry: this.registry,
    });
    this.job.start();
  }

  /** Before the DataSource closes, so no run is cut off mid-query. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.job?.close();
  }
}
