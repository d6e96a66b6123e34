import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { ContextName } from '@ficus/contracts';

/**
 * The outbox, its per-subscriber deliveries and the inbox, in the context's own schema. Every context
 * lists this migration first, so the tables are the same everywhere and the relay can rely on them.
 */
export function messagingTablesMigration(schema: ContextName): new () => MigrationInterface {
  const s = `"${schema}"`;
  return class MessagingTables implements MigrationInterface {
    name = `MessagingTables${1_700_000_000_000}`;

    async up(q: QueryRunner): Promise<void> {
      await q.query(`CREATE TABLE ${s}.outbox (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        aggregate_id text NOT NULL,
        correlation_id text NOT NULL,
        payload jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        fanned_out_at timestamptz
      )`);
      await q.query(`CREATE INDEX outbox_unfanned_idx ON ${s}.outbox (created_at) WHERE fanned_out_at IS NULL`);
      await q.query(`CREATE TABLE ${s}.outbox_delivery (
        event_id uuid NOT NULL REFERENCES ${s}.outbox (id) ON DELETE CASCADE,
        subscriber text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'enqueued', 'delivered', 'parked')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        locked_until timestamptz,
        last_error text,
        delivered_at timestamptz,
        PRIMARY KEY (event_id, subscriber)
      )`);
      await q.query(
        `CREATE INDEX outbox_delivery_due_idx ON ${s}.outbox_delivery (status, next_attempt_at) WHERE status IN ('pending', 'enqueued')`,
      );
      await q.query(
        `CREATE INDEX outbox_delivery_parked_idx ON ${s}.outbox_delivery (event_id) WHERE status = 'parked'`,
      );
      await q.query(`CREATE TABLE ${s}.inbox (
        event_id uuid NOT NULL,
        consumer text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (event_id, consumer)
      )`);
    }

    async down(q: QueryRunner): Promise<void> {
      await q.query(`DROP TABLE ${s}.inbox`);
      await q.query(`DROP TABLE ${s}.outbox_delivery`);
      await q.query(`DROP TABLE ${s}.outbox`);
    }
  };
}
