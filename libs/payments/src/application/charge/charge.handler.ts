import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import type { ChargeResult } from '@ficus/contracts';
import { PaymentIntent } from '../../domain/payment-intent.aggregate.js';
import { PaymentVoided } from '../../domain/payments.errors.js';
import type { PaymentIntentRepository } from '../../domain/ports.js';
import { PAYMENT_INTENT_REPOSITORY } from '../../payments.di-tokens.js';
import { PaymentViews } from '../payment-views.js';
import { PaymentWorker } from '../process-payments/payment-worker.js';
import { ChargeCommand } from './charge.command.js';

/**
 * Stores the order's payment intent and answers `PENDING` at once: the provider is called after commit,
 * off the caller's path, by the payment worker. Idempotent per order: a repeated charge answers the intent
 * the first one stored (its current status), and never calls the provider again.
 */
@CommandHandler(ChargeCommand)
export class ChargeHandler implements ICommandHandler<ChargeCommand> {
  constructor(
    @Inject(PAYMENT_INTENT_REPOSITORY) private readonly intents: PaymentIntentRepository,
    private readonly worker: PaymentWorker,
  ) {}

  async execute({ data, meta }: ChargeCommand): Promise<ChargeResult> {
    // This process's worker takes the new intent itself when it has room: stored claimed, started once stored.
    const claimForMs = this.worker.offerSlot();
    let stored: { intent: PaymentIntent; created: boolean };
    try {
      stored = await this.store(data, meta, claimForMs);
    } catch (error) {
      if (claimForMs !== null) this.worker.cancelSlot();
      throw error;
    }
    const { intent, created } = stored;
    if (claimForMs === null) {
      if (created) this.worker.kick();
    } else if (created) this.worker.startClaimed({ intent, attempts: 1 });
    else this.worker.cancelSlot();
    return PaymentViews.charge(intent);
  }

  /**
   * The order's intent: stored now (claimed for this worker with `claimForMs`), or the one stored before.
   * One statement in the common case; only a charge that lost the order's claim reads who won.
   */
  private async store(
    data: ChargeCommand['data'],
    meta: ChargeCommand['meta'],
    claimForMs: number | null,
  ): Promise<{ intent: PaymentIntent; created: boolean }> {
    const orderId = data.orderId.toLowerCase();
    const userId = data.userId.toLowerCase();
    const opened = PaymentIntent.open(
      {
        id: uuidv7(),
        orderId,
        userId,
        amountCents: data.amountCents,
        currency: data.currency,
        paymentToken: data.paymentToken,
        idempotencyKey: data.idempotencyKey,
        correlationId: meta.correlationId,
      },
      new Date(),
    );
    if (await this.intents.insertClaimingOrder(opened, claimForMs)) return { intent: opened, created: true };
    // Claims are never deleted, and the winner had committed before the insert above gave up.
    const claim = (await this.intents.findClaim(orderId))!;
    if (claim.by === 'void') throw new PaymentVoided(orderId);
    claim.intent.assertSameCharge({ userId, amountCents: data.amountCents, currency: data.currency });
    return { intent: claim.intent, created: false };
  }
}
