import { Command } from '@nestjs/cqrs';
import type { CallMeta, OrderView, PlaceOrderRequest } from '@ficus/contracts';

export class PlaceOrderCommand extends Command<OrderView> {
  constructor(
    readonly data: PlaceOrderRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
