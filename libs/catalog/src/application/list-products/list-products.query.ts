import { Query } from '@nestjs/cqrs';
import type { CallMeta, ListProductsRequest, ProductPage } from '@ficus/contracts';

export class ListProductsQuery extends Query<ProductPage> {
  constructor(
    readonly data: ListProductsRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
