import { Query } from '@nestjs/cqrs';
import type { CallMeta, GetAvailabilityRequest, PaymentsAvailability } from '@ficus/contracts';

export class GetAvailabilityQuery extends Query<PaymentsAvailability> {
  constructor(
    readonly data: GetAvailabilityRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
