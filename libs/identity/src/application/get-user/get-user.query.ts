import { Query } from '@nestjs/cqrs';
import type { CallMeta, GetUserRequest, UserView } from '@ficus/contracts';

export class GetUserQuery extends Query<UserView> {
  constructor(
    readonly data: GetUserRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
