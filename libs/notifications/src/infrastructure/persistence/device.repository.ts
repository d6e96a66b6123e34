import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { DevicePlatform, DeviceView } from '@ficus/contracts';

interface DeviceRow {
  id: string;
  token: string;
  platform: DevicePlatform;
  created_at: Date;
}

const toView = (row: DeviceRow): DeviceView => ({
  id: row.id,
  platform: row.platform,
  token: row.token,
  createdAt: row.created_at.toISOString(),
});

/** Push devices: one row per token, owned by the user who registered it last. */
@Injectable()
export class DeviceRepository {
  constructor(@InjectDataSource('notifications') private readonly dataSource: DataSource) {}

  /**
   * Idempotent upsert in one statement (concurrent registrations of a token cannot both insert). A token
   * that moves to another user gets a new id and creation time: the old owner's device is gone.
   */
  async upsert(userId: string, token: string, platform: DevicePlatform, now: Date): Promise<DeviceView> {
    const rows: DeviceRow[] = await this.dataSource.query(
      `INSERT INTO notifications.devices AS d (id, token, user_id, platform, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $5)
       ON CONFLICT (token) DO UPDATE SET
         id = CASE WHEN d.user_id = EXCLUDED.user_id THEN d.id ELSE EXCLUDED.id END,
         created_at = CASE WHEN d.user_id = EXCLUDED.user_id THEN d.created_at ELSE EXCLUDED.created_at END,
         user_id = EXCLUDED.user_id, platform = EXCLUDED.platform, updated_at = EXCLUDED.updated_at
       RETURNING id, token, platform, created_at`,
      [uuidv7(), token, userId, platform, now],
    );
    return toView(rows[0]);
  }

  /** Deletes the user's own device; false when the token is unknown or another user's. */
  async removeOwned(userId: string, token: string): Promise<boolean> {
    const [, count] = (await this.dataSource.query(
      `DELETE FROM notifications.devices WHERE token = $1 AND user_id = $2`,
      [token, userId],
    )) as [unknown, number];
    return count > 0;
  }

  /** The provider reported the token dead. Only this device row: the token may have been re-registered since. */
  async removeById(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM notifications.devices WHERE id = $1`, [id]);
  }
}
