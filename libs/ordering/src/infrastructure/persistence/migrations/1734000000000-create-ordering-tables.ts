import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orders, their lines (the price and name snapshot), and the saga: the persisted process manager that
 * drives each order from PENDING to CONFIRMED or CANCELLED. Product ids are catalog's, stored without a
 * foreign key (no reference crosses schemas).
 */
export class CreateOrderingTables1734000000000 implements MigrationInterface {
  name = 'CreateOrderingTables1734000000000';

  async up(q: QueryRunner): Promise<void> {
    // created_at keeps milliseconds only: the newest-first cursor carries it as an exact ISO string.
    await q.query(`CREATE TABLE ordering.orders (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL,
      idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
      status text NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED')),
      cancellation_reason text
        CHECK (cancellation_reason IN ('OUT_OF_STOCK', 'PAYMENT_DECLINED', 'PAYMENT_UNAVAILABLE', 'USER_CANCELLED')),
      total_cents bigint NOT NULL CHECK (total_cents >= 0),
      currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
      created_at timestamptz(3) NOT NULL,
      updated_at timestamptz(3) NOT NULL,
      CONSTRAINT orders_user_idempotency_key UNIQUE (user_id, idempotency_key),
      CHECK ((status = 'CANCELLED') = (cancellation_reason IS NOT NULL))
    )`);
    await q.query(`CREATE INDEX orders_user_newest_idx ON ordering.orders (user_id, created_at DESC, id DESC)`);
    await q.query(`CREATE TABLE ordering.order_lines (
      order_id uuid NOT NULL REFERENCES ordering.orders (id) ON DELETE CASCADE,
      position smallint NOT NULL CHECK (position >= 0),
      product_id uuid NOT NULL,
      name text NOT NULL,
      unit_price_cents integer NOT NULL CHECK (unit_price_cents >= 0),
      quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 100),
      PRIMARY KEY (order_id, position),
      UNIQUE (order_id, product_id)
    )`);
    await q.query(`CREATE TABLE ordering.order_sagas (
      order_id uuid PRIMARY KEY REFERENCES ordering.orders (id) ON DELETE CASCADE,
      step text NOT NULL CHECK (step IN
        ('PENDING', 'STOCK_RESERVED', 'AWAITING_PAYMENT', 'CONFIRMED', 'COMPENSATING', 'CANCELLED')),
      payment_token text,
      charge_requested boolean NOT NULL,
      release_pending boolean NOT NULL,
      refund_pending boolean NOT NULL,
      attempts integer NOT NULL CHECK (attempts >= 0),
      next_attempt_at timestamptz,
      deadline_at timestamptz NOT NULL,
      last_error text,
      CHECK ((step IN ('CONFIRMED', 'CANCELLED')) = (next_attempt_at IS NULL))
    )`);
    await q.query(
      `CREATE INDEX order_sagas_due_idx ON ordering.order_sagas (next_attempt_at) WHERE next_attempt_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ordering.order_sagas`);
    await q.query(`DROP TABLE ordering.order_lines`);
    await q.query(`DROP TABLE ordering.orders`);
  }
}
