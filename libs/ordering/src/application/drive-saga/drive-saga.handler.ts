import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { OrderSaga } from '../saga/order.saga.js';
import { DriveSagaCommand } from './drive-saga.command.js';

/**
 * Takes the event in (inbox) and drives the saga in one transaction: the inbox row commits with the state
 * the steps reached, so a process that dies before the commit leaves the event undelivered and the relay
 * hands it over again. A redelivered event drives the saga again, harmlessly: the saga does only what its
 * persisted state says is left.
 */
@CommandHandler(DriveSagaCommand)
export class DriveSagaHandler implements ICommandHandler<DriveSagaCommand> {
  constructor(private readonly saga: OrderSaga) {}

  async execute({ orderId, eventId, meta }: DriveSagaCommand): Promise<void> {
    await this.saga.advance(orderId, meta, { event: { id: eventId } });
  }
}
