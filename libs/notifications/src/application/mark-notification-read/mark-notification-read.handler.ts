import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { NotificationNotFound } from '../../domain/notifications.errors.js';
import { InboxRepository } from '../../infrastructure/persistence/inbox.repository.js';
import { MarkNotificationReadCommand } from './mark-notification-read.command.js';

/** Idempotent: the first read time is kept. Another user's item is `NOTIFICATION_NOT_FOUND`, as an unknown one. */
@CommandHandler(MarkNotificationReadCommand)
export class MarkNotificationReadHandler implements ICommandHandler<MarkNotificationReadCommand> {
  constructor(private readonly items: InboxRepository) {}

  async execute({ data }: MarkNotificationReadCommand): Promise<void> {
    const found = await this.items.markRead(data.userId.toLowerCase(), data.notificationId.toLowerCase(), new Date());
    if (!found) throw new NotificationNotFound();
  }
}
