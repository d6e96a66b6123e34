import { Query } from '@nestjs/cqrs';
import type { CallMeta, GetOrderRequest, OrderView } from '@ficus/contracts';

export class GetOrderQuery extends Query<OrderView> {
  constructor(
    readonly data: GetOrderRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
