import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Inbox } from '@ficus/platform';
import type { OrderRepository } from '../../domain/ports.js';
import { asTx } from '../../infrastructure/persistence/typeorm-transaction.runner.js';
import { ORDER_REPOSITORY } from '../../ordering.di-tokens.js';
import { OrderSaga } from '../saga/order.saga.js';
import { DriveSagaCommand } from './drive-saga.command.js';

/**
 * Takes the event in (inbox) by marking the saga due — so the sweeper resumes it should this process die
 * before the steps below finish — then drives the saga. A redelivered event drives it again, harmlessly:
 * the saga does only what its persisted state says is left.
 */
@CommandHandler(DriveSagaCommand)
export class DriveSagaHandler implements ICommandHandler<DriveSagaCommand> {
  constructor(
    @Inject(ORDER_REPOSITORY) private readonly orders: OrderRepository,
    private readonly inbox: Inbox,
    private readonly saga: OrderSaga,
  ) {}

  async execute({ orderId, eventId, meta }: DriveSagaCommand): Promise<void> {
    await this.inbox.runOnce({ id: eventId }, (manager) => this.orders.markDue(asTx(manager), orderId, new Date()));
    await this.saga.advance(orderId, meta);
  }
}
