import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { OrderView } from '@ficus/contracts';
import { OrderNotFound } from '../../domain/ordering.errors.js';
import type { OrderRepository, TransactionRunner } from '../../domain/ports.js';
import { OrderMapper } from '../../infrastructure/persistence/order.mapper.js';
import { ORDER_REPOSITORY, TRANSACTION_RUNNER } from '../../ordering.di-tokens.js';
import { OrderFactsPublisher } from '../saga/order-facts.publisher.js';
import { CancelOrderCommand } from './cancel-order.command.js';

/**
 * The user cancels: the order is `CANCELLED` / `USER_CANCELLED` at once, whatever the saga was doing (it
 * holds the row lock while it calls, so the two take turns). Compensation — stock back, charge refunded —
 * is owed by the saga and starts from the `ordering.order-cancelled.v1` this commits.
 */
@CommandHandler(CancelOrderCommand)
export class CancelOrderHandler implements ICommandHandler<CancelOrderCommand> {
  constructor(
    @Inject(ORDER_REPOSITORY) private readonly orders: OrderRepository,
    @Inject(TRANSACTION_RUNNER) private readonly transactions: TransactionRunner,
    private readonly facts: OrderFactsPublisher,
  ) {}

  async execute({ data, meta }: CancelOrderCommand): Promise<OrderView> {
    return this.transactions.run(async (tx) => {
      const order = await this.orders.findForUpdate(tx, data.orderId.toLowerCase());
      if (!order || order.userId !== data.userId.toLowerCase()) throw new OrderNotFound();
      order.cancelByUser(new Date());
      await this.orders.save(tx, order, this.facts.announcement(order, meta));
      return OrderMapper.toView(order);
    });
  }
}
