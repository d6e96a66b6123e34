import { Query } from '@nestjs/cqrs';
import type { CallMeta, ConditionalRead, GetUserConditionalRequest, UserView } from '@ficus/contracts';

export class GetUserConditionalQuery extends Query<ConditionalRead<UserView>> {
  constructor(
    readonly data: GetUserConditionalRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
