import { Query } from '@nestjs/cqrs';
import type { CallMeta, ConditionalRead, GetProductConditionalRequest, ProductView } from '@ficus/contracts';

export class GetProductConditionalQuery extends Query<ConditionalRead<ProductView>> {
  constructor(
    readonly data: GetProductConditionalRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
