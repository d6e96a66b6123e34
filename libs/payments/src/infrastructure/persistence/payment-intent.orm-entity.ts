import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Business columns only; the work-queue columns (lease, attempts) are SQL's business (payment-work.queue.ts). */
@Entity({ name: 'payment_intents', schema: 'payments' })
export class PaymentIntentOrmEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'order_id', unique: true })
  orderId: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  /** `bigint` arrives from pg as a string. */
  @Column('bigint', { name: 'amount_cents' })
  amountCents: string;

  @Column('char', { length: 3 })
  currency: string;

  @Column('text', { name: 'payment_token', nullable: true })
  paymentToken: string | null;

  @Column('text', { name: 'idempotency_key' })
  idempotencyKey: string;

  @Column('text')
  status: string;

  @Column('text', { name: 'failure_reason', nullable: true })
  failureReason: string | null;

  @Column('boolean', { name: 'refund_requested' })
  refundRequested: boolean;

  @Column('text', { name: 'provider_charge_id', nullable: true })
  providerChargeId: string | null;

  @Column('text', { name: 'provider_refund_id', nullable: true })
  providerRefundId: string | null;

  @Column('text', { name: 'correlation_id' })
  correlationId: string;

  @Column('timestamptz', { name: 'next_attempt_at' })
  nextAttemptAt: Date;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}
