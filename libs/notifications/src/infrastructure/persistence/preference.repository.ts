import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { NotificationPreferencesView } from '@ficus/contracts';

/** Until a user says otherwise, every channel is on. */
export const DEFAULT_PREFERENCES: NotificationPreferencesView = { email: true, push: true, sms: true };

@Injectable()
export class PreferenceRepository {
  constructor(@InjectDataSource('notifications') private readonly dataSource: DataSource) {}

  async get(userId: string): Promise<NotificationPreferencesView> {
    const rows: NotificationPreferencesView[] = await this.dataSource.query(
      `SELECT email, push, sms FROM notifications.preferences WHERE user_id = $1`,
      [userId],
    );
    return rows[0] ?? { ...DEFAULT_PREFERENCES };
  }

  async put(userId: string, prefs: NotificationPreferencesView, now: Date): Promise<NotificationPreferencesView> {
    const rows: NotificationPreferencesView[] = await this.dataSource.query(
      `INSERT INTO notifications.preferences (user_id, email, push, sms, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email, push = EXCLUDED.push, sms = EXCLUDED.sms,
         updated_at = EXCLUDED.updated_at
       RETURNING email, push, sms`,
      [userId, prefs.email, prefs.push, prefs.sms, now],
    );
    return rows[0];
  }
}
