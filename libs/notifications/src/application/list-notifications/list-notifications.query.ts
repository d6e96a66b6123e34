import { Query } from '@nestjs/cqrs';
import type { CallMeta, ListNotificationsRequest, NotificationPage } from '@ficus/contracts';

export class ListNotificationsQuery extends Query<NotificationPage> {
  constructor(
    readonly data: ListNotificationsRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
