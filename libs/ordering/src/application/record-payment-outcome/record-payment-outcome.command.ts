import { Command } from '@nestjs/cqrs';
import type { CallMeta } from '@ficus/contracts';

export type PaymentOutcome = { type: 'succeeded' } | { type: 'failed'; reason: 'DECLINED' | 'UNAVAILABLE' };

/** Payments decided an order's charge (`payments.payment-succeeded.v1` / `payments.payment-failed.v1`). */
export class RecordPaymentOutcomeCommand extends Command<void> {
  constructor(
    readonly orderId: string,
    readonly outcome: PaymentOutcome,
    readonly eventId: string,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
