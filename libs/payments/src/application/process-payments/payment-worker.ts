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
  /** The claim round under way, if any. */
  private filling?: Promise<void>;
  private again = false;
  /** Slots promised to charges being stored in this process (`offerSlot`). */
  private reservedSlots = 0;
  /** Work may be due that found no free slot (a full claim, a full worker, or a refused `offerSlot`). */
  private backlogged = false;

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

  /**
   * Reserves a slot for a charge this process has just stored, so that it is inserted already claimed and
   * started at once after commit — no claim round trip. Answers the lease to store, or `null` when the
   * worker is off or full (then the intent is stored unclaimed and claimed like any other). Every lease
   * answered must be followed by `startClaimed` or `cancelSlot`.
   */
  offerSlot(): number | null {
    if (!this.running) return null;
    if (this.inFlight.size + this.reservedSlots >= this.config.payments.workerConcurrency) {
      this.backlogged = true;
      return null;
    }
    this.reservedSlots++;
    return PaymentSettler.leaseMs(this.config.payments.providerTimeoutMs);
  }

  /** Starts work stored already claimed under a slot from `offerSlot`. */
  startClaimed(work: PaymentWork): void {
    this.reservedSlots--;
    if (this.running) this.start(work);
    // Stopping: the lease runs out and another worker (or this one after a restart) claims it.
  }

  /** Gives back a slot from `offerSlot` that was not used (the charge stored nothing new). */
  cancelSlot(): void {
    this.reservedSlots--;
  }

  /** Looks for due work now. Cheap to call often: concurrent kicks fold into one claim round. */
  kick(): void {
    if (!this.running) return;
    if (this.filling) {
      this.again = true;
      return;
    }
    this.filling = this.fill().finally(() => {
      this.filling = undefined;
      // A kick that arrived after the round's last look: look again.
      if (this.again) this.kick();
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    // Calls in flight end within the provider timeout; their outcomes are written before the pool closes.
    await this.filling;
    await Promise.allSettled([...this.inFlight]);
  }

  private async fill(): Promise<void> {
    try {
      do {
        this.again = false;
        const free = this.config.payments.workerConcurrency - this.inFlight.size - this.reservedSlots;
        if (free <= 0) {
          this.backlogged = true;
          break;
        }
        const claimed = await this.queue.claimDue(free, PaymentSettler.leaseMs(this.config.payments.providerTimeoutMs));
        for (const work of claimed) this.start(work);
        this.backlogged = claimed.length === free;
        if (this.backlogged) this.again = true;
      } while (this.again && this.running);
    } catch (error) {
      this.logger.error({ event: 'payments.worker.claim-failed', err: error }, 'claiming payment work failed');
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
        // A freed slot looks for work only if some was left waiting for one (else a claim per settled
        // payment would find nothing: new charges start without a claim, retries come with the poll).
        if (this.backlogged) this.kick();
      });
    this.inFlight.add(run);
  }
}
