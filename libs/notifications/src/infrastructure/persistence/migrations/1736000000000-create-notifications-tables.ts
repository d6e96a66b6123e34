import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateNotificationsTables1736000000000 implements MigrationInterface {
  name = 'CreateNotificationsTables1736000000000';

  async up(q: QueryRunner): Promise<void> {
    // A push token belongs to one user at a time: re-registering it elsewhere moves it (the phone changed hands).
    await q.query(`CREATE TABLE notifications.devices (
      id uuid PRIMARY KEY,
      token text NOT NULL CONSTRAINT devices_token_key UNIQUE,
      user_id uuid NOT NULL,
      platform text NOT NULL CHECK (platform IN ('ios', 'android', 'web')),
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX devices_user_idx ON notifications.devices (user_id)`);

    // The in-app inbox; one item per (event, user), so a redelivered event cannot write a second one.
    await q.query(`CREATE TABLE notifications.inbox_items (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL,
      type text NOT NULL,
      title text NOT NULL,
      body text NOT NULL,
      data jsonb NOT NULL,
      source_event_id uuid NOT NULL,
      read_at timestamptz,
      created_at timestamptz NOT NULL,
      CONSTRAINT inbox_items_event_user_key UNIQUE (source_event_id, user_id)
    )`);
    await q.query(
      `CREATE INDEX inbox_items_listing_idx ON notifications.inbox_items (user_id, created_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX inbox_items_unread_idx ON notifications.inbox_items (user_id) WHERE read_at IS NULL`);

    // No row: every channel on.
    await q.query(`CREATE TABLE notifications.preferences (
      user_id uuid PRIMARY KEY,
      email boolean NOT NULL,
      push boolean NOT NULL,
      sms boolean NOT NULL,
      updated_at timestamptz NOT NULL
    )`);

    // Where to mail a user, learnt from identity.user-registered.v1 (no call back to identity per send).
    await q.query(`CREATE TABLE notifications.recipients (
      user_id uuid PRIMARY KEY,
      email text NOT NULL,
      name text NOT NULL,
      updated_at timestamptz NOT NULL
    )`);

    // One row per (event, channel, recipient): the send's idempotency record. A job sends only after it
    // claimed the row (QUEUED → SENDING with a lease) and marks it SENT right after the provider accepted.
    await q.query(`CREATE TABLE notifications.sends (
      id uuid PRIMARY KEY,
      event_id uuid NOT NULL,
      channel text NOT NULL CHECK (channel IN ('email', 'push', 'sms')),
      recipient text NOT NULL,
      user_id uuid NOT NULL,
      message jsonb NOT NULL,
      status text NOT NULL CHECK (status IN ('QUEUED', 'SENDING', 'SENT', 'FAILED', 'DROPPED')),
      lease_until timestamptz,
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      created_at timestamptz NOT NULL,
      finished_at timestamptz,
      CONSTRAINT sends_event_channel_recipient_key UNIQUE (event_id, channel, recipient)
    )`);
    await q.query(
      `CREATE INDEX sends_queued_idx ON notifications.sends (created_at) WHERE status IN ('QUEUED', 'SENDING')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['sends', 'recipients', 'preferences', 'inbox_items', 'devices']) {
      await q.query(`DROP TABLE notifications.${table}`);
    }
  }
}
