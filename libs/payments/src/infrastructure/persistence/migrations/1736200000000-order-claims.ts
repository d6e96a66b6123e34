import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One claim per order, taken by whichever comes first: its charge (with the intent, in one statement) or
 * a refund before any charge (the order is void). The primary key decides a race between the two — the
 * loser's insert waits on the index for the winner's commit and then conflicts, which a read-then-insert
 * under READ COMMITTED cannot see — so neither needs a transaction or an advisory lock. Replaces
 * `voided_orders`: every order with an intent, or voided before, starts claimed.
 */
export class OrderClaims1736200000000 implements MigrationInterface {
  name = 'OrderClaims1736200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE payments.order_claims (
      order_id uuid PRIMARY KEY,
      claimed_by text NOT NULL CHECK (claimed_by IN ('charge', 'void')),
      claimed_at timestamptz NOT NULL
    )`);
    // Charges and refunds of a replica still on the previous version wait until this commits, so none is
    // left out of the copy (after it, theirs fail on the missing table and their saga steps are retried).
    await q.query('LOCK TABLE payments.payment_intents, payments.voided_orders IN SHARE MODE');
    await q.query(`INSERT INTO payments.order_claims (order_id, claimed_by, claimed_at)
      SELECT order_id, 'charge', created_at FROM payments.payment_intents`);
    // The advisory lock kept an order from having both; if one ever did, its charge stands.
    await q.query(`INSERT INTO payments.order_claims (order_id, claimed_by, claimed_at)
      SELECT order_id, 'void', voided_at FROM payments.voided_orders
      ON CONFLICT (order_id) DO NOTHING`);
    await q.query('DROP TABLE payments.voided_orders');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE payments.voided_orders (
      order_id uuid PRIMARY KEY,
      voided_at timestamptz NOT NULL
    )`);
    await q.query(`INSERT INTO payments.voided_orders (order_id, voided_at)
      SELECT order_id, claimed_at FROM payments.order_claims WHERE claimed_by = 'void'`);
    await q.query('DROP TABLE payments.order_claims');
  }
}
