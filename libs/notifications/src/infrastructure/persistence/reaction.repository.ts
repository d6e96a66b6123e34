import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { DevicePlatform, NotificationChannel, NotificationPreferencesView } from '@ficus/contracts';
import type { PlannedInboxItem } from '../../domain/notification-plan.js';
import { DEFAULT_PREFERENCES } from './preference.repository.js';
import type { QueuedSend, SendMessage } from './send.repository.js';

/** How a user can be reached: their channel preferences and, when asked for, their push devices (oldest first). */
export interface Reach {
  preferences: NotificationPreferencesView;
  devices: { id: string; token: string; platform: DevicePlatform }[];
}

export interface NewSend {
  channel: NotificationChannel;
  /** User id for e-mail and SMS, device id for push: one send per (event, channel, recipient). */
  recipient: string;
  message: SendMessage;
}

/** Everything one event writes for one user. */
export interface Reaction {
  eventId: string;
  userId: string;
  recipient?: { email: string; name: string };
  inbox?: PlannedInboxItem;
  sends: NewSend[];
}

/**
 * What one integration event does to notifications' tables, in two statements on the inbox transaction: one
 * read of what decides the sends, one write of everything. The effects of a batch run one after the other on
 * its connection, so each round trip saved here is saved once per event.
 */
@Injectable()
export class ReactionRepository {
  /** Preferences (the defaults without a row) and, only when `withDevices`, the devices, in one read. */
  async reachOf(manager: EntityManager, userId: string, withDevices: boolean): Promise<Reach> {
    const [row]: { preferences: NotificationPreferencesView | null; devices: Reach['devices'] }[] = await manager.query(
      `SELECT
         (SELECT json_build_object('email', email, 'push', push, 'sms', sms)
          FROM notifications.preferences WHERE user_id = $1) AS preferences,
         COALESCE((SELECT json_agg(json_build_object('id', id, 'token', token, 'platform', platform) ORDER BY created_at)
                   FROM notifications.devices WHERE $2::boolean AND user_id = $1), '[]'::json) AS devices`,
      [userId, withDevices],
    );
    return { preferences: row.preferences ?? { ...DEFAULT_PREFERENCES }, devices: row.devices };
  }

  /**
   * The recipient's address (upserted), the inbox item and the sends in one statement. Each keeps its own
   * uniqueness: one inbox item per (event, user), one send per (event, channel, recipient) — a duplicate
   * writes nothing. Returns the sends that are new. The inbox item's time is cut to milliseconds, so cursors
   * compare exactly.
   */
  async record(manager: EntityManager, reaction: Reaction, now: Date): Promise<QueuedSend[]> {
    const { eventId, userId, recipient, inbox } = reaction;
    const sends = reaction.sends.map((send) => ({ id: uuidv7(), ...send }));
    // Data-modifying CTEs run whether or not the outer statement reads them; a `WHERE` on a null
    // parameter skips the part the plan does not have.
    return manager.query(
      `WITH recipient AS (
         INSERT INTO notifications.recipients (user_id, email, name, updated_at)
         SELECT $1::uuid, $3::text, $4::text, $2::timestamptz WHERE $3::text IS NOT NULL
         ON CONFLICT (user_id) DO UPDATE
           SET email = EXCLUDED.email, name = EXCLUDED.name, updated_at = EXCLUDED.updated_at
       ), item AS (
         INSERT INTO notifications.inbox_items (id, user_id, type, title, body, data, source_event_id, created_at)
         SELECT $5::uuid, $1::uuid, i.type, i.title, i.body, i.data, $6::uuid, date_trunc('milliseconds', $2::timestamptz)
         FROM jsonb_to_record($7::jsonb) AS i(type text, title text, body text, data jsonb)
         WHERE $7::jsonb IS NOT NULL
         ON CONFLICT (source_event_id, user_id) DO NOTHING
       )
       INSERT INTO notifications.sends (id, event_id, channel, recipient, user_id, message, status, created_at)
       SELECT s.id, $6::uuid, s.channel, s.recipient, $1::uuid, s.message, 'QUEUED', $2::timestamptz
       FROM jsonb_to_recordset($8::jsonb) AS s(id uuid, channel text, recipient text, message jsonb)
       ON CONFLICT (event_id, channel, recipient) DO NOTHING
       RETURNING id, channel`,
      [
        userId,
        now,
        recipient?.email ?? null,
        recipient?.name ?? null,
        uuidv7(),
        eventId,
        inbox ? JSON.stringify(inbox) : null,
        JSON.stringify(sends),
      ],
    );
  }
}
