import { Inject, Injectable, Logger } from '@nestjs/common';
import { OutboxWriter } from '@ficus/platform';
import { PaymentIntent } from '../../domain/payment-intent.aggregate.js';
import type { PaymentIntentRepository, PaymentWork, PaymentWorkQueue, TransactionRunner } from '../../domain/ports.js';
import { asManager } from '../../infrastructure/persistence/typeorm-transaction.runner.js';
import { PAYMENT_INTENT_REPOSITORY, PAYMENT_WORK_QUEUE, TRANSACTION_RUNNER } from '../../payments.di-tokens.js';
import { chargeSettledEvent, refundedEvent } from '../payment-views.js';
import { ProviderCircuit } from '../provider-circuit/provider-circuit.js';

/** A charge claimed this often without an outcome (its worker kept dying mid-call) fails as UNAVAILABLE. */
export const MAX_CHARGE_CLAIMS = 5;
const REFUND_RETRY_MAX_MS = 5 * 60_000;

/**
 * Makes the provider call one claimed intent owes and records the outcome with its event in one
 * transaction: a charge becomes SUCCEEDED or FAILED (`payments.payment-succeeded.v1` / `-failed.v1`); a
 * success that was asked back is refunded at once (`payments.payment-refunded.v1`). A refund the provider
 * cannot take now is retried later with backoff: money owed back is never dropped.
 */
@Injectable()
export class PaymentSettler {
  private readonly logger = new Logger('Payments');

  constructor(
    private readonly circuit: ProviderCircuit,
    @Inject(PAYMENT_INTENT_REPOSITORY) private readonly intents: PaymentIntentRepository,
    @Inject(PAYMENT_WORK_QUEUE) private readonly queue: PaymentWorkQueue,
    @Inject(TRANSACTION_RUNNER) private readonly transactions: TransactionRunner,
    private readonly outbox: OutboxWriter,
  ) {}

  /** How long the worker may hold a claim: a call waits at most two timeouts (a half-open trial, then its own). */
  static leaseMs(timeoutMs: number): number {
    return 2 * timeoutMs + 10_000;
  }

  async settle(work: PaymentWork): Promise<void> {
    if (work.intent.status === 'PENDING') await this.charge(work);
    else await this.refund(work.intent, work.attempts);
  }

  private async charge({ intent, attempts }: PaymentWork): Promise<void> {
    const s = intent.snapshot();
    const outcome =
      attempts > MAX_CHARGE_CLAIMS || !s.paymentToken
        ? ({ result: 'unavailable' } as const)
        : await this.circuit.charge({
            paymentToken: s.paymentToken,
            amountCents: s.amountCents,
            currency: s.currency,
            idempotencyKey: s.idempotencyKey,
          });
    const answered = PaymentIntent.restore(s);
    answered.settleCharge(outcome, new Date());
    // null: another worker claimed it after this one's lease ran out, and answered first. A refund asked
    // for while the charge was in flight follows below, under the same claim.
    const settled = await this.queue.recordCharge(answered, this.leaseMs, {
      correlationId: s.correlationId,
      event: chargeSettledEvent(answered),
    });
    if (settled) {
      const { status, failureReason, orderId } = settled.snapshot();
      this.logger.log(
        {
          event: 'payments.charge.settled',
          correlationId: s.correlationId,
          paymentId: s.id,
          orderId,
          status,
          failureReason,
        },
        `payment ${s.id} ${status.toLowerCase()}${failureReason ? ` (${failureReason})` : ''}`,
      );
    }
    if (settled?.needsRefund) await this.refund(settled, 1);
  }

  private async refund(intent: PaymentIntent, attempts: number): Promise<void> {
    const s = intent.snapshot();
    const outcome = await this.circuit.refund({
      chargeId: s.providerChargeId!,
      amountCents: s.amountCents,
      currency: s.currency,
      idempotencyKey: `refund-${s.id}`,
    });
    const delayMs = Math.min(REFUND_RETRY_MAX_MS, 1000 * 2 ** Math.min(attempts, 20));
    const refunded = await this.transactions.run(async (tx) => {
      const current = await this.intents.findByIdForUpdate(tx, s.id);
      if (!current) return false;
      if (outcome.result === 'unavailable') {
        await this.queue.retryLater(tx, s.id, delayMs);
        return false;
      }
      const changed = current.markRefunded(outcome.refundId, new Date());
      if (changed) {
        await this.intents.save(tx, current);
        await this.outbox.append(asManager(tx), { correlationId: s.correlationId }, refundedEvent(current));
      }
      await this.queue.release(tx, s.id);
      return changed;
    });
    const log = { correlationId: s.correlationId, paymentId: s.id, orderId: s.orderId };
    if (outcome.result === 'unavailable') {
      this.logger.warn(
        { event: 'payments.refund.deferred', ...log, delayMs },
        `refund of payment ${s.id} deferred: the provider is unavailable`,
      );
    } else if (refunded) {
      this.logger.log({ event: 'payments.refunded', ...log }, `payment ${s.id} refunded`);
    }
  }

  private get leaseMs(): number {
    return PaymentSettler.leaseMs(this.circuit.timeoutMs);
  }
}
