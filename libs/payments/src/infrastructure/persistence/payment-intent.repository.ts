import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { runPrepared } from '@ficus/platform';
import type { PaymentIntent } from '../../domain/payment-intent.aggregate.js';
import type { PaymentIntentRepository, Tx } from '../../domain/ports.js';
import { PaymentIntentMapper } from './payment-intent.mapper.js';
import { PaymentIntentOrmEntity } from './payment-intent.orm-entity.js';
import { asManager } from './typeorm-transaction.runner.js';

export class TypeOrmPaymentIntentRepository implements PaymentIntentRepository {
  constructor(
    @InjectRepository(PaymentIntentOrmEntity, 'payments') private readonly intents: Repository<PaymentIntentOrmEntity>,
  ) {}

  private repo(tx?: Tx): Repository<PaymentIntentOrmEntity> {
    return tx ? asManager(tx).getRepository(PaymentIntentOrmEntity) : this.intents;
  }

  async lockOrder(tx: Tx, orderId: string): Promise<void> {
    await runPrepared(asManager(tx), 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `payments.order:${orderId}`,
    ]);
  }

  async insert(tx: Tx, intent: PaymentIntent): Promise<void> {
    // Due at once: the worker claims it as soon as the transaction commits.
    await this.repo(tx).insert({ ...PaymentIntentMapper.toOrm(intent), nextAttemptAt: intent.snapshot().createdAt });
  }

  async insertUnlessVoided(
    tx: Tx,
    intent: PaymentIntent,
    claimForMs: number | null,
  ): Promise<'inserted' | 'exists' | 'voided'> {
    const s = intent.snapshot();
    // One round trip for the common case: insert unless the order has an intent or was voided already.
    // Due at once; inserted already claimed (leased, attempt 1) when this process's worker takes it itself.
    const { rows } = await runPrepared<{ inserted: boolean; voided: boolean }>(
      asManager(tx),
      `WITH ins AS (
         INSERT INTO payments.payment_intents (id, order_id, user_id, amount_cents, currency, payment_token,
           idempotency_key, status, failure_reason, refund_requested, provider_charge_id, provider_refund_id,
           correlation_id, next_attempt_at, created_at, updated_at, attempts, lease_until)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15,
           CASE WHEN $16::int IS NULL THEN 0 ELSE 1 END,
           clock_timestamp() + $16::int * interval '1 millisecond'
         WHERE NOT EXISTS (SELECT 1 FROM payments.voided_orders WHERE order_id = $2)
         ON CONFLICT ON CONSTRAINT payment_intents_order_key DO NOTHING
         RETURNING 1
       )
       SELECT EXISTS (SELECT 1 FROM ins) AS inserted,
              EXISTS (SELECT 1 FROM payments.voided_orders WHERE order_id = $2) AS voided`,
      [
        s.id,
        s.orderId,
        s.userId,
        s.amountCents,
        s.currency,
        s.paymentToken,
        s.idempotencyKey,
        s.status,
        s.failureReason,
        s.refundRequested,
        s.providerChargeId,
        s.providerRefundId,
        s.correlationId,
        s.createdAt,
        s.updatedAt,
        claimForMs,
      ],
    );
    const [{ inserted, voided }] = rows;
    return inserted ? 'inserted' : voided ? 'voided' : 'exists';
  }

  async save(tx: Tx, intent: PaymentIntent): Promise<void> {
    const { id, ...rest } = PaymentIntentMapper.toOrm(intent);
    await this.repo(tx).update({ id }, rest);
  }

  async findByOrder(orderId: string, tx?: Tx): Promise<PaymentIntent | null> {
    const row = await this.repo(tx).findOneBy({ orderId });
    return row ? PaymentIntentMapper.toDomain(row) : null;
  }

  async findByOrderForUpdate(tx: Tx, orderId: string): Promise<PaymentIntent | null> {
    const row = await this.repo(tx).findOne({ where: { orderId }, lock: { mode: 'pessimistic_write' } });
    return row ? PaymentIntentMapper.toDomain(row) : null;
  }

  async findByIdForUpdate(tx: Tx, id: string): Promise<PaymentIntent | null> {
    const row = await this.repo(tx).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    return row ? PaymentIntentMapper.toDomain(row) : null;
  }

  async markVoided(tx: Tx, orderId: string, now: Date): Promise<void> {
    await asManager(tx).query(
      'INSERT INTO payments.voided_orders (order_id, voided_at) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [orderId, now],
    );
  }

  async isVoided(tx: Tx, orderId: string): Promise<boolean> {
    const rows: unknown[] = await asManager(tx).query('SELECT 1 FROM payments.voided_orders WHERE order_id = $1', [
      orderId,
    ]);
    return rows.length > 0;
  }
}
