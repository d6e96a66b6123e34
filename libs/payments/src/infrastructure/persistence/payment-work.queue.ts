import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { OutboxWriter, type PendingEvent, runPrepared } from '@ficus/platform';
import type { PaymentIntent } from '../../domain/payment-intent.aggregate.js';
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
  constructor(
    @InjectDataSource('payments') private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

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

  async recordCharge(
    settled: PaymentIntent,
    refundHoldMs: number,
    announce: { correlationId: string; event: PendingEvent<unknown> },
  ): Promise<PaymentIntent | null> {
    const s = settled.snapshot();
    const outbox = this.outbox.cte(announce, [announce.event], { firstParam: 7, onlyIfRowsIn: 'settled' });
    // One statement (atomic on its own, no transaction) for the outcome and its event. Only the charge's
    // outcome is written, and only over a PENDING intent: a refund may have been asked for since the claim
    // (refund_requested is read back, not overwritten), and another worker may have settled it first (then
    // nothing is written). The claim ends here, unless a refund must follow at once.
    const { rows } = await runPrepared<PaymentIntentRow>(
      this.dataSource,
      `WITH settled AS (
         UPDATE payments.payment_intents
            SET status = $2, failure_reason = $3, provider_charge_id = $4, payment_token = NULL, updated_at = $5,
                attempts = 0,
                lease_until = CASE WHEN $2 = 'SUCCEEDED' AND refund_requested
                                THEN clock_timestamp() + $6::int * interval '1 millisecond' END
          WHERE id = $1 AND status = 'PENDING'
         RETURNING *
       ), ${outbox.sql}
       SELECT * FROM settled`,
      [s.id, s.status, s.failureReason, s.providerChargeId, s.updatedAt, refundHoldMs, ...outbox.params],
    );
    return rows.length ? PaymentIntentMapper.fromRow(rows[0]) : null;
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
