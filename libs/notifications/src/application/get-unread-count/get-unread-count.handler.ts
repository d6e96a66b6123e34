import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { UnreadCountView } from '@ficus/contracts';
import { InboxRepository } from '../../infrastructure/persistence/inbox.repository.js';
import { GetUnreadCountQuery } from './get-unread-count.query.js';

/** The home screen's badge: one indexed count (partial index on unread items). */
@QueryHandler(GetUnreadCountQuery)
export class GetUnreadCountHandler implements IQueryHandler<GetUnreadCountQuery> {
  constructor(private readonly items: InboxRepository) {}

  async execute({ data }: GetUnreadCountQuery): Promise<UnreadCountView> {
    return { unreadCount: await this.items.unreadCount(data.userId.toLowerCase()) };
  }
}
