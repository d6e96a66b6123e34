import { Query } from '@nestjs/cqrs';
import type { CallMeta, GetPreferencesRequest, NotificationPreferencesView } from '@ficus/contracts';

export class GetPreferencesQuery extends Query<NotificationPreferencesView> {
  constructor(
    readonly data: GetPreferencesRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
