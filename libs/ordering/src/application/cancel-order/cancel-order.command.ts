import { Command } from '@nestjs/cqrs';
import type { CallMeta, CancelOrderRequest, OrderView } from '@ficus/contracts';

export class CancelOrderCommand extends Command<OrderView> {
  constructor(
    readonly data: CancelOrderRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
