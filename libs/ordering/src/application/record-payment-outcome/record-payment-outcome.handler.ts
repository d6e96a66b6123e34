import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Inbox } from '@ficus/platform';
import type { OrderRepository } from '../../domain/ports.js';
import { asTx } from '../../infrastructure/persistence/typeorm-transaction.runner.js';
import { ORDER_REPOSITORY } from '../../ordering.di-tokens.js';
import { OrderFactsPublisher } from '../saga/order-facts.publisher.js';
import { OrderSaga } from '../saga/order.saga.js';
import { RecordPaymentOutcomeCommand } from './record-payment-outcome.command.js';

/**
 * Applies a payment's outcome to its order once (inbox and state change in one transaction): success
 * confirms a pending order, or — the order was cancelled first — makes the saga owe a refund; failure
 * cancels a pending order. Then drives the saga (stock release, refund).
 */
@CommandHandler(RecordPaymentOutcomeCommand)
export class RecordPaymentOutcomeHandler implements ICommandHandler<RecordPaymentOutcomeCommand> {
  private readonly logger = new Logger('RecordPaymentOutcome');

  constructor(
    @Inject(ORDER_REPOSITORY) private readonly orders: OrderRepository,
    private readonly inbox: Inbox,
    private readonly facts: OrderFactsPublisher,
    private readonly saga: OrderSaga,
  ) {}

  async execute({ orderId, outcome, eventId, meta }: RecordPaymentOutcomeCommand): Promise<void> {
    await this.inbox.runOnce({ id: eventId }, async (manager) => {
      const tx = asTx(manager);
      const order = await this.orders.findForUpdate(tx, orderId);
      if (!order) {
        this.logger.warn({ event: 'saga.unknown-order', correlationId: meta.correlationId, orderId, eventId });
        return;
      }
      if (outcome.type === 'succeeded') order.paymentSucceeded(new Date());
      else order.paymentFailed(outcome.reason, new Date());
      await this.orders.save(tx, order);
      await this.facts.publish(tx, order, meta);
    });
    await this.saga.advance(orderId, meta);
  }
}
