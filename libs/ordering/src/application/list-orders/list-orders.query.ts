import { Query } from '@nestjs/cqrs';
import type { CallMeta, ListOrdersRequest, OrderPage } from '@ficus/contracts';

export class ListOrdersQuery extends Query<OrderPage> {
  constructor(
    readonly data: ListOrdersRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
