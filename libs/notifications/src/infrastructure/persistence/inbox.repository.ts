import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { NotificationType, NotificationView } from '@ficus/contracts';
import type { InboxCursorKey } from '../../domain/inbox-cursor.value-object.js';
import type { PlannedInboxItem } from '../../domain/notification-plan.js';

interface InboxRow {
  id: string;
  type: NotificationType;
  title: string;
  body: string;
  data: Record<string, string>;
  read_at: Date | null;
  created_at: Date;
}

const toView = (row: InboxRow): NotificationView => ({
  id: row.id,
  type: row.type,
  title: row.title,
  body: row.body,
  data: row.data,
  readAt: row.read_at?.toISOString() ?? null,
  createdAt: row.created_at.toISOString(),
});

/** The in-app inbox: items by user, newest first. */
@Injectable()
export class InboxRepository {
  constructor(@InjectDataSource('notifications') private readonly dataSource: DataSource) {}

  /** Writes the item unless this event already wrote one for the user. Milliseconds, so cursors compare exactly. */
  async add(manager: EntityManager, userId: string, eventId: string, item: PlannedInboxItem, now: Date) {
    await manager.query(
      `INSERT INTO notifications.inbox_items (id, user_id, type, title, body, data, source_event_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, date_trunc('milliseconds', $8::timestamptz))
       ON CONFLICT (source_event_id, user_id) DO NOTHING`,
      [uuidv7(), userId, item.type, item.title, item.body, JSON.stringify(item.data), eventId, now],
    );
  }

  async list(userId: string, limit: number, after: InboxCursorKey | null): Promise<NotificationView[]> {
    const rows: InboxRow[] = await this.dataSource.query(
      `SELECT id, type, title, body, data, read_at, created_at FROM notifications.inbox_items
       WHERE user_id = $1 AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $2`,
      [userId, limit, after?.createdAt ?? null, after?.id ?? null],
    );
    return rows.map(toView);
  }

  async unreadCount(userId: string): Promise<number> {
    const rows: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM notifications.inbox_items WHERE user_id = $1 AND read_at IS NULL`,
      [userId],
    );
    return rows[0].n;
  }

  /** Keeps the first read time; false when the item is unknown or another user's. */
  async markRead(userId: string, id: string, now: Date): Promise<boolean> {
    const [, count] = (await this.dataSource.query(
      `UPDATE notifications.inbox_items SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND user_id = $2`,
      [id, userId, now],
    )) as [unknown, number];
    return count > 0;
  }
}
