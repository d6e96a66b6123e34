import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { PaymentWork, PaymentWorkQueue, Tx } from '../../domain/ports.js';
import { PaymentIntentMapper, type PaymentIntentRow } from './payment-intent.mapper.js';
import { asManager } from './typeorm-transaction.runner.js';

/** Intents that owe a provider call: a charge not yet answered, or captured money asked back. */
const OWES_A_CALL = `(status = 'PENDING' OR (status = 'SUCCEEDED' AND refund_requested))`;

/**
 * The provider work queue is the intents table itself: claims are one UPDATE over rows picked with
 * FOR UPDATE SKIP LOCKED, leased, so replicas never claim the same intent and a worker that dies
 * mid-call leaves the intent to be claimed again when its lease runs out.
 */
export class SqlPaymentWorkQueue implements PaymentWorkQueue {
  constructor(@InjectDataSource('payments') private readonly dataSource: DataSource) {}

  async claimDue(limit: number, leaseMs: number): Promise<PaymentWork[]> {
    // A structured result: TypeORM answers UPDATE … RETURNING with [rows, count] otherwise.
    const runner = this.dataSource.createQueryRunner();
    const result = await runner
      .query(
        `UPDATE payments.payment_intents p
          SET lease_until = clock_timestamp() + $2::int * interval '1 millisecond', attempts = p.attempts + 1
        WHERE p.id IN (
          SELECT id FROM payments.payment_intents
           WHERE ${OWES_A_CALL}
             AND next_attempt_at <= clock_timestamp()
             AND (lease_until IS NULL OR lease_until < clock_timestamp())
           ORDER BY next_attempt_at
           LIMIT $1
           FOR UPDATE SKIP LOCKED)
       RETURNING p.*`,
        [limit, leaseMs],
        true,
      )
      .finally(() => runner.release());
    const rows = result.records as (PaymentIntentRow & { attempts: number })[];
    return rows.map((row) => ({ intent: PaymentIntentMapper.fromRow(row), attempts: row.attempts }));
  }

  async release(tx: Tx, intentId: string, holdMs = 0): Promise<void> {
    await asManager(tx).query(
      `UPDATE payments.payment_intents
          SET lease_until = CASE WHEN $2::int > 0 THEN clock_timestamp() + $2::int * interval '1 millisecond' END,
              attempts = 0
        WHERE id = $1`,
      [intentId, holdMs],
    );
  }

  async retryLater(tx: Tx, intentId: string, delayMs: number): Promise<void> {
    await asManager(tx).query(
      `UPDATE payments.payment_intents
          SET lease_until = NULL, next_attempt_at = clock_timestamp() + $2::int * interval '1 millisecond'
        WHERE id = $1`,
      [intentId, delayMs],
    );
  }
}
