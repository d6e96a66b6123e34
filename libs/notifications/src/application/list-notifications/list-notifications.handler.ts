import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type NotificationPage, NotificationsLimits } from '@ficus/contracts';
import { InboxCursor } from '../../domain/inbox-cursor.value-object.js';
import { InboxRepository } from '../../infrastructure/persistence/inbox.repository.js';
import { ListNotificationsQuery } from './list-notifications.query.js';

/** The user's inbox, newest first, by keyset (pages never shift when new items arrive), with the unread count. */
@QueryHandler(ListNotificationsQuery)
export class ListNotificationsHandler implements IQueryHandler<ListNotificationsQuery> {
  constructor(private readonly items: InboxRepository) {}

  async execute({ data }: ListNotificationsQuery): Promise<NotificationPage> {
    const userId = data.userId.toLowerCase();
    const limit = data.limit ?? NotificationsLimits.defaultPageSize;
    const after = data.cursor ? InboxCursor.decode(data.cursor) : null;
    const [found, unreadCount] = await Promise.all([
      this.items.list(userId, limit + 1, after),
      this.items.unreadCount(userId),
    ]);
    const page = found.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page,
      nextCursor: found.length > limit && last ? InboxCursor.encode({ createdAt: last.createdAt, id: last.id }) : null,
      unreadCount,
    };
  }
}
