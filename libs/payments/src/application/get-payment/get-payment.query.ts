import { Query } from '@nestjs/cqrs';
import type { CallMeta, GetPaymentRequest, PaymentView } from '@ficus/contracts';

export class GetPaymentQuery extends Query<PaymentView | null> {
  constructor(
    readonly data: GetPaymentRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
