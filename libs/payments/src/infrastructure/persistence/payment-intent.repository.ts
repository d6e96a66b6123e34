import { Inject } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { type FicusConfig, ficusConfig, GroupCommit, runPrepared } from '@ficus/platform';
import type { PaymentIntent } from '../../domain/payment-intent.aggregate.js';
import type { OrderClaim, PaymentIntentRepository, Tx } from '../../domain/ports.js';
import { PaymentIntentMapper, type PaymentIntentRow } from './payment-intent.mapper.js';
import { PaymentIntentOrmEntity } from './payment-intent.orm-entity.js';
import { asManager } from './typeorm-transaction.runner.js';

/** A charge to store: its intent, and the lease when this process's worker takes it itself. */
interface NewCharge {
  intent: PaymentIntent;
  claimForMs: number | null;
}

/** Statements of one kind running at once; what arrives meanwhile queues and goes out as the next batch. */
export const PAYMENTS_FLUSHES = 4;

/**
 * Payment intents and the orders' claims. Charges stored at the same moment (the saga reserving and
 * charging a batch of orders) go out as one statement (`GroupCommit`, PAYMENTS_BATCH_MAX).
 */
export class TypeOrmPaymentIntentRepository implements PaymentIntentRepository {
  private readonly charges: GroupCommit<NewCharge, boolean>;

  constructor(
    @InjectRepository(PaymentIntentOrmEntity, 'payments') private readonly intents: Repository<PaymentIntentOrmEntity>,
    @InjectDataSource('payments') private readonly dataSource: DataSource,
    @Inject(ficusConfig.KEY) config: FicusConfig,
  ) {
    this.charges = new GroupCommit<NewCharge, boolean>(
      {
        batch: (charges) => this.insertManyClaimingOrders(charges),
        alone: async (charge) => (await this.insertManyClaimingOrders([charge]))[0],
      },
      { batchMax: config.payments.batchMax, flushes: PAYMENTS_FLUSHES },
    );
  }

  private repo(tx: Tx): Repository<PaymentIntentOrmEntity> {
    return asManager(tx).getRepository(PaymentIntentOrmEntity);
  }

  insertClaimingOrder(intent: PaymentIntent, claimForMs: number | null): Promise<boolean> {
    return this.charges.submit({ intent, claimForMs });
  }

  /**
   * Charges in one statement, atomic on its own (a lone charge is a batch of one). Each order's claim
   * decides a race with a void: a claim in progress is waited for, and after its commit this one conflicts
   * and inserts nothing (a NOT EXISTS test would read its start-of-statement snapshot and miss it). An
   * intent is inserted only with its claim: due at once, and already claimed (leased, attempt 1) when this
   * process's worker takes it. A second charge of an order in the same batch is answered `false` without
   * being sent (it then reads the claim the first one made, once committed).
   */
  private async insertManyClaimingOrders(charges: NewCharge[]): Promise<boolean[]> {
    const seen = new Set<string>();
    const first = charges.map(({ intent }) => {
      const orderId = intent.snapshot().orderId;
      if (seen.has(orderId)) return false;
      seen.add(orderId);
      return true;
    });
    const sent = charges.filter((_, i) => first[i]);
    const snapshots = sent.map((c) => c.intent.snapshot());
    const column = <T>(pick: (s: (typeof snapshots)[number]) => T) => snapshots.map(pick);
    const { rows } = await runPrepared<{ order_id: string }>(
      this.dataSource,
      `WITH v AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::bigint[], $5::text[], $6::text[], $7::text[],
           $8::text[], $9::text[], $10::boolean[], $11::text[], $12::text[], $13::text[], $14::timestamptz[],
           $15::timestamptz[], $16::int[])
           AS v (id, order_id, user_id, amount_cents, currency, payment_token, idempotency_key, status,
             failure_reason, refund_requested, provider_charge_id, provider_refund_id, correlation_id, created_at,
             updated_at, claim_for_ms)
       ), claim AS (
         INSERT INTO payments.order_claims (order_id, claimed_by, claimed_at)
         SELECT order_id, 'charge', created_at FROM v ORDER BY order_id
         ON CONFLICT (order_id) DO NOTHING
         RETURNING order_id
       ), ins AS (
         INSERT INTO payments.payment_intents (id, order_id, user_id, amount_cents, currency, payment_token,
           idempotency_key, status, failure_reason, refund_requested, provider_charge_id, provider_refund_id,
           correlation_id, next_attempt_at, created_at, updated_at, attempts, lease_until)
         SELECT v.id, v.order_id, v.user_id, v.amount_cents, v.currency, v.payment_token, v.idempotency_key,
           v.status, v.failure_reason, v.refund_requested, v.provider_charge_id, v.provider_refund_id,
           v.correlation_id, v.created_at, v.created_at, v.updated_at,
           CASE WHEN v.claim_for_ms IS NULL THEN 0 ELSE 1 END,
           clock_timestamp() + v.claim_for_ms * interval '1 millisecond'
         FROM v JOIN claim USING (order_id)
       )
       SELECT order_id FROM claim`,
      [
        column((s) => s.id),
        column((s) => s.orderId),
        column((s) => s.userId),
        column((s) => s.amountCents),
        column((s) => s.currency),
        column((s) => s.paymentToken),
        column((s) => s.idempotencyKey),
        column((s) => s.status),
        column((s) => s.failureReason),
        column((s) => s.refundRequested),
        column((s) => s.providerChargeId),
        column((s) => s.providerRefundId),
        column((s) => s.correlationId),
        column((s) => s.createdAt),
        column((s) => s.updatedAt),
        sent.map((c) => c.claimForMs),
      ],
    );
    const claimed = new Set(rows.map((r) => r.order_id));
    return charges.map((c, i) => first[i] && claimed.has(c.intent.snapshot().orderId));
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
