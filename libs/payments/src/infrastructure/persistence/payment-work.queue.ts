import { Inject } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  type FicusConfig,
  ficusConfig,
  GroupCommit,
  OutboxWriter,
  type PendingEvent,
  runPrepared,
} from '@ficus/platform';
import type { PaymentIntent } from '../../domain/payment-intent.aggregate.js';
import type { PaymentWork, PaymentWorkQueue, Tx } from '../../domain/ports.js';
import { PAYMENTS_FLUSHES } from './payment-intent.repository.js';
import { PaymentIntentMapper, type PaymentIntentRow } from './payment-intent.mapper.js';
import { asManager } from './typeorm-transaction.runner.js';

/** Intents that owe a provider call: a charge not yet answered, or captured money asked back. */
const OWES_A_CALL = `(status = 'PENDING' OR (status = 'SUCCEEDED' AND refund_requested))`;

/** A charge's outcome to record, with the event that announces it. */
interface Outcome {
  settled: PaymentIntent;
  refundHoldMs: number;
  announce: { correlationId: string; event: PendingEvent<unknown> };
}

/**
 * The provider work queue is the intents table itself: claims are one UPDATE over rows picked with
 * FOR UPDATE SKIP LOCKED, leased, so replicas never claim the same intent and a worker that dies
 * mid-call leaves the intent to be claimed again when its lease runs out. Outcomes recorded at the same
 * moment (the worker's calls in flight answering together) go out as one statement (`GroupCommit`).
 */
export class SqlPaymentWorkQueue implements PaymentWorkQueue {
  private readonly outcomes: GroupCommit<Outcome, PaymentIntent | null>;

  constructor(
    @InjectDataSource('payments') private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    @Inject(ficusConfig.KEY) config: FicusConfig,
  ) {
    this.outcomes = new GroupCommit<Outcome, PaymentIntent | null>(
      {
        batch: (outcomes) => this.recordCharges(outcomes),
        alone: async (outcome) => (await this.recordCharges([outcome]))[0],
      },
      { batchMax: config.payments.batchMax, flushes: PAYMENTS_FLUSHES },
    );
  }

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

  recordCharge(
    settled: PaymentIntent,
    refundHoldMs: number,
    announce: { correlationId: string; event: PendingEvent<unknown> },
  ): Promise<PaymentIntent | null> {
    return this.outcomes.submit({ settled, refundHoldMs, announce });
  }

  /**
   * Charges' outcomes and their events, in one statement (atomic on its own, no transaction; a lone outcome
   * is a batch of one). Only the charge's outcome is written, and only over an intent still PENDING: a
   * refund may have been asked for since the claim (refund_requested is read back, not overwritten), and
   * another worker may have settled it first (then nothing is written, and no event). The claim ends here,
   * unless a refund must follow at once.
   */
  private async recordCharges(outcomes: Outcome[]): Promise<(PaymentIntent | null)[]> {
    const snapshots = outcomes.map((o) => o.settled.snapshot());
    // An intent settled twice in one batch cannot happen with one claim per intent; should it, each goes alone.
    if (new Set(snapshots.map((s) => s.id)).size !== snapshots.length) throw new Error('an intent twice in a batch');
    const outbox = this.outbox.announcementsCte(
      outcomes.map((o) => ({ correlationId: o.announce.correlationId, events: [o.announce.event] })),
      { firstParam: 7, onlyForIdsIn: 'settled' },
    );
    const { rows } = await runPrepared<PaymentIntentRow>(
      this.dataSource,
      `WITH v AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::int[])
           AS v (id, status, failure_reason, provider_charge_id, updated_at, refund_hold_ms)
       ), settled AS (
         UPDATE payments.payment_intents p
            SET status = v.status, failure_reason = v.failure_reason, provider_charge_id = v.provider_charge_id,
                payment_token = NULL, updated_at = v.updated_at, attempts = 0,
                lease_until = CASE WHEN v.status = 'SUCCEEDED' AND p.refund_requested
                                THEN clock_timestamp() + v.refund_hold_ms * interval '1 millisecond' END
           FROM v WHERE p.id = v.id AND p.status = 'PENDING'
         RETURNING p.*
       ), ${outbox.sql}
       SELECT * FROM settled`,
      [
        snapshots.map((s) => s.id),
        snapshots.map((s) => s.status),
        snapshots.map((s) => s.failureReason),
        snapshots.map((s) => s.providerChargeId),
        snapshots.map((s) => s.updatedAt),
        outcomes.map((o) => o.refundHoldMs),
        ...outbox.params,
      ],
    );
    const byId = new Map(rows.map((row) => [row.id, PaymentIntentMapper.fromRow(row)]));
    return snapshots.map((s) => byId.get(s.id) ?? null);
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
