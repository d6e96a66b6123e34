import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { runPrepared } from '@ficus/platform';
import type { PaymentIntent } from '../../domain/payment-intent.aggregate.js';
import type { OrderClaim, PaymentIntentRepository, Tx } from '../../domain/ports.js';
import { PaymentIntentMapper, type PaymentIntentRow } from './payment-intent.mapper.js';
import { PaymentIntentOrmEntity } from './payment-intent.orm-entity.js';
import { asManager } from './typeorm-transaction.runner.js';

export class TypeOrmPaymentIntentRepository implements PaymentIntentRepository {
  constructor(
    @InjectRepository(PaymentIntentOrmEntity, 'payments') private readonly intents: Repository<PaymentIntentOrmEntity>,
    @InjectDataSource('payments') private readonly dataSource: DataSource,
  ) {}

  private repo(tx: Tx): Repository<PaymentIntentOrmEntity> {
    return asManager(tx).getRepository(PaymentIntentOrmEntity);
  }

  async insertClaimingOrder(intent: PaymentIntent, claimForMs: number | null): Promise<boolean> {
    const s = intent.snapshot();
    // One round trip, atomic on its own. The claim's primary key decides a race with a void: a claim in
    // progress is waited for, and after its commit this one conflicts and inserts nothing (a NOT EXISTS
    // test would read its start-of-statement snapshot and miss it). The intent is inserted only with a
    // claim: due at once, and already claimed (leased, attempt 1) when this process's worker takes it.
    const { rows } = await runPrepared<{ inserted: boolean }>(
      this.dataSource,
      `WITH claim AS (
         INSERT INTO payments.order_claims (order_id, claimed_by, claimed_at) VALUES ($2, 'charge', $14)
         ON CONFLICT (order_id) DO NOTHING
         RETURNING order_id
       ), ins AS (
         INSERT INTO payments.payment_intents (id, order_id, user_id, amount_cents, currency, payment_token,
           idempotency_key, status, failure_reason, refund_requested, provider_charge_id, provider_refund_id,
           correlation_id, next_attempt_at, created_at, updated_at, attempts, lease_until)
         SELECT $1, order_id, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15,
           CASE WHEN $16::int IS NULL THEN 0 ELSE 1 END,
           clock_timestamp() + $16::int * interval '1 millisecond'
           FROM claim
       )
       SELECT EXISTS (SELECT 1 FROM claim) AS inserted`,
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
    return rows[0].inserted;
  }

  async claimVoid(orderId: string, now: Date): Promise<boolean> {
    const { affected } = await runPrepared(
      this.dataSource,
      `INSERT INTO payments.order_claims (order_id, claimed_by, claimed_at) VALUES ($1, 'void', $2)
       ON CONFLICT (order_id) DO NOTHING`,
      [orderId, now],
    );
    return affected === 1;
  }

  async findClaim(orderId: string): Promise<OrderClaim | null> {
    const { rows } = await runPrepared<PaymentIntentRow & { claimed_by: 'charge' | 'void' }>(
      this.dataSource,
      `SELECT c.claimed_by, p.* FROM payments.order_claims c
         LEFT JOIN payments.payment_intents p ON p.order_id = c.order_id
        WHERE c.order_id = $1`,
      [orderId],
    );
    if (!rows.length) return null;
    const [row] = rows;
    return row.claimed_by === 'void' ? { by: 'void' } : { by: 'charge', intent: PaymentIntentMapper.fromRow(row) };
  }

  async save(tx: Tx, intent: PaymentIntent): Promise<void> {
    const { id, ...rest } = PaymentIntentMapper.toOrm(intent);
    await this.repo(tx).update({ id }, rest);
  }

  async findByOrder(orderId: string): Promise<PaymentIntent | null> {
    const row = await this.intents.findOneBy({ orderId });
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
}
