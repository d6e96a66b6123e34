import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** Users' e-mail addresses as identity published them at registration. */
@Injectable()
export class RecipientRepository {
  constructor(@InjectDataSource('notifications') private readonly dataSource: DataSource) {}

  async emailOf(userId: string): Promise<string | null> {
    const rows: { email: string }[] = await this.dataSource.query(
      `SELECT email FROM notifications.recipients WHERE user_id = $1`,
      [userId],
    );
    return rows[0]?.email ?? null;
  }
}
