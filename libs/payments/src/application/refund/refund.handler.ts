import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RefundResult } from '@ficus/contracts';
import type { PaymentIntentRepository, TransactionRunner } from '../../domain/ports.js';
import { PAYMENT_INTENT_REPOSITORY, TRANSACTION_RUNNER } from '../../payments.di-tokens.js';
import { PaymentViews } from '../payment-views.js';
import { PaymentWorker } from '../process-payments/payment-worker.js';
import { RefundCommand } from './refund.command.js';

/**
 * Records that the order's money must go back, and leaves the provider call to the payment worker (so a
 * provider outage delays a refund instead of losing it). Captured → refunded shortly after; charge in
 * flight → refunded as soon as it succeeds; failed → nothing to do; never charged → a late charge is
 * refused. Idempotent: asking again changes nothing.
 */
@CommandHandler(RefundCommand)
export class RefundHandler implements ICommandHandler<RefundCommand> {
  constructor(
    @Inject(PAYMENT_INTENT_REPOSITORY) private readonly intents: PaymentIntentRepository,
    @Inject(TRANSACTION_RUNNER) private readonly transactions: TransactionRunner,
    private readonly worker: PaymentWorker,
  ) {}

  async execute({ data }: RefundCommand): Promise<RefundResult> {
    const orderId = data.orderId.toLowerCase();
    const now = new Date();
    // One statement when nothing was charged: the order's claim, which a late (or racing) charge then loses.
    if (await this.intents.claimVoid(orderId, now)) return PaymentViews.nothingToRefund(orderId);
    // Claimed before, and committed: by its charge (the intent is there), or voided by an earlier refund.
    const intent = await this.transactions.run(async (tx) => {
      const found = await this.intents.findByOrderForUpdate(tx, orderId);
      if (found?.requestRefund(now)) await this.intents.save(tx, found);
      return found;
    });
    if (!intent) return PaymentViews.nothingToRefund(orderId);
    if (intent.needsRefund) this.worker.kick();
    return PaymentViews.refund(intent);
  }
}
