import { Query } from '@nestjs/cqrs';
import type { CallMeta, GetUnreadCountRequest, UnreadCountView } from '@ficus/contracts';

export class GetUnreadCountQuery extends Query<UnreadCountView> {
  constructor(
    readonly data: GetUnreadCountRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
