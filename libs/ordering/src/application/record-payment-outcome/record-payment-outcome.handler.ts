import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { OrderSaga } from '../saga/order.saga.js';
import { RecordPaymentOutcomeCommand } from './record-payment-outcome.command.js';

/**
 * Applies a payment's outcome to its order once (inbox and state change in one transaction): success
 * confirms a pending order, or — the order was cancelled first — makes the saga owe a refund; failure
 * cancels a pending order. The saga's next steps (stock release, refund) run in the same transaction.
 */
@CommandHandler(RecordPaymentOutcomeCommand)
export class RecordPaymentOutcomeHandler implements ICommandHandler<RecordPaymentOutcomeCommand> {
  constructor(private readonly saga: OrderSaga) {}

  async execute({ orderId, outcome, eventId, meta }: RecordPaymentOutcomeCommand): Promise<void> {
    await this.saga.advance(orderId, meta, {
      event: {
        id: eventId,
        apply: (order, now) => {
          if (outcome.type === 'succeeded') order.paymentSucceeded(now);
          else order.paymentFailed(outcome.reason, now);
        },
      },
    });
  }
}
