import { Query } from '@nestjs/cqrs';
import type { CallMeta, GetProductRequest, ProductView } from '@ficus/contracts';

export class GetProductQuery extends Query<ProductView> {
  constructor(
    readonly data: GetProductRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
