import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** Users' e-mail addresses as identity published them at registration. */
@Injectable()
export class RecipientRepository {
  constructor(@InjectDataSource('notifications') private readonly dataSource: DataSource) {}

  async save(manager: EntityManager, userId: string, recipient: { email: string; name: string }, now: Date) {
    await manager.query(
      `INSERT INTO notifications.recipients (user_id, email, name, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name, updated_at = EXCLUDED.updated_at`,
      [userId, recipient.email, recipient.name, now],
    );
  }

  async emailOf(userId: string): Promise<string | null> {
    const rows: { email: string }[] = await this.dataSource.query(
      `SELECT email FROM notifications.recipients WHERE user_id = $1`,
      [userId],
    );
    return rows[0]?.email ?? null;
  }
}
