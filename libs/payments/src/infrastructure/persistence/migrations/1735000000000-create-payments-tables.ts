import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePaymentsTables1735000000000 implements MigrationInterface {
  name = 'CreatePaymentsTables1735000000000';

  async up(q: QueryRunner): Promise<void> {
    // One intent per order. lease_until / next_attempt_at / attempts are the provider work queue: Postgres
    // is the record of which calls are still owed, so a crash between commit and call loses nothing.
    await q.query(`CREATE TABLE payments.payment_intents (
      id uuid PRIMARY KEY,
      order_id uuid NOT NULL CONSTRAINT payment_intents_order_key UNIQUE,
      user_id uuid NOT NULL,
      amount_cents bigint NOT NULL CHECK (amount_cents >= 0),
      currency char(3) NOT NULL,
      payment_token text,
      idempotency_key text NOT NULL,
      status text NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED', 'REFUNDED')),
      failure_reason text CHECK (failure_reason IN ('DECLINED', 'UNAVAILABLE')),
      refund_requested boolean NOT NULL DEFAULT false,
      provider_charge_id text,
      provider_refund_id text,
      correlation_id text NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      lease_until timestamptz,
      next_attempt_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX payment_intents_due_idx ON payments.payment_intents (next_attempt_at)
      WHERE status = 'PENDING' OR (status = 'SUCCEEDED' AND refund_requested)`);
    // Orders refunded before any charge: a late charge of one is refused.
    await q.query(`CREATE TABLE payments.voided_orders (
      order_id uuid PRIMARY KEY,
      voided_at timestamptz NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE payments.voided_orders`);
    await q.query(`DROP TABLE payments.payment_intents`);
  }
}
