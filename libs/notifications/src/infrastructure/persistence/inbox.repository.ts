import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { NotificationType, NotificationView } from '@ficus/contracts';
import type { InboxCursorKey } from '../../domain/inbox-cursor.value-object.js';

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
