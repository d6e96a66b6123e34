import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { type FicusConfig, ficusConfig } from '@ficus/platform';
import type { PaymentWork, PaymentWorkQueue } from '../../domain/ports.js';
import { PAYMENT_WORK_QUEUE } from '../../payments.di-tokens.js';
import { PaymentSettler } from './payment-settler.js';

/**
 * Runs the provider calls payment intents owe, off every request path. Woken right after a charge or
 * refund commits in this process, and by a poll (`PAYMENTS_POLL_INTERVAL_MS`) for work another replica
 * left or a crash interrupted; claims are leased in Postgres, so any number of replicas can run it. Runs
 * where the outbox relay runs (not in the CLI).
 */
@Injectable()
export class PaymentWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('PaymentWorker');
  private readonly inFlight = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private running = false;
  private filling = false;
  private again = false;

  constructor(
    @Inject(PAYMENT_WORK_QUEUE) private readonly queue: PaymentWorkQueue,
    private readonly settler: PaymentSettler,
    @Inject(ficusConfig.KEY) private readonly config: FicusConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.outbox.relayEnabled) return;
    this.running = true;
    this.timer = setInterval(() => this.kick(), this.config.payments.pollIntervalMs);
    this.kick();
  }

  /** Looks for due work now. Cheap to call often: concurrent kicks fold into one claim round. */
  kick(): void {
    if (!this.running) return;
    if (this.filling) {
      this.again = true;
      return;
    }
    void this.fill();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    // Calls in flight end within the provider timeout; their outcomes are written before the pool closes.
    await Promise.allSettled([...this.inFlight]);
  }

  private async fill(): Promise<void> {
    this.filling = true;
    try {
      do {
        this.again = false;
        const free = this.config.payments.workerConcurrency - this.inFlight.size;
        if (free <= 0) break;
        const claimed = await this.queue.claimDue(free, PaymentSettler.leaseMs(this.config.payments.providerTimeoutMs));
        for (const work of claimed) this.start(work);
        if (claimed.length === free) this.again = true;
      } while (this.again && this.running);
    } catch (error) {
      this.logger.error({ event: 'payments.worker.claim-failed', err: error }, 'claiming payment work failed');
    } finally {
      this.filling = false;
    }
  }

  private start(work: PaymentWork): void {
    const run = this.settler
      .settle(work)
      .catch((error: unknown) => {
        // The claim's lease runs out and the work is claimed again; nothing is lost.
        this.logger.error(
          { event: 'payments.worker.settle-failed', paymentId: work.intent.id, err: error },
          'settling a payment failed; it will be retried after its lease',
        );
      })
      .finally(() => {
        this.inFlight.delete(run);
        this.kick();
      });
    this.inFlight.add(run);
  }
}
