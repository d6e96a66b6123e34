import { type FailureReason, PaymentIntent, type PaymentStatus } from '../../domain/payment-intent.aggregate.js';
import { PaymentIntentOrmEntity } from './payment-intent.orm-entity.js';

/** A row as raw SQL returns it (snake_case), for the work queue's claims. */
export interface PaymentIntentRow {
  id: string;
  order_id: string;
  user_id: string;
  amount_cents: string;
  currency: string;
  payment_token: string | null;
  idempotency_key: string;
  status: string;
  failure_reason: string | null;
  refund_requested: boolean;
  provider_charge_id: string | null;
  provider_refund_id: string | null;
  correlation_id: string;
  created_at: Date;
  updated_at: Date;
}

export const PaymentIntentMapper = {
  toDomain(row: PaymentIntentOrmEntity): PaymentIntent {
    return PaymentIntent.restore({
      id: row.id,
      orderId: row.orderId,
      userId: row.userId,
      amountCents: Number(row.amountCents),
      currency: row.currency,
      paymentToken: row.paymentToken,
      idempotencyKey: row.idempotencyKey,
      status: row.status as PaymentStatus,
      failureReason: row.failureReason as FailureReason | null,
      refundRequested: row.refundRequested,
      providerChargeId: row.providerChargeId,
      providerRefundId: row.providerRefundId,
      correlationId: row.correlationId,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    });
  },

  fromRow(row: PaymentIntentRow): PaymentIntent {
    return PaymentIntentMapper.toDomain(
      Object.assign(new PaymentIntentOrmEntity(), {
        id: row.id,
        orderId: row.order_id,
        userId: row.user_id,
        amountCents: row.amount_cents,
        currency: row.currency,
        paymentToken: row.payment_token,
        idempotencyKey: row.idempotency_key,
        status: row.status,
        failureReason: row.failure_reason,
        refundRequested: row.refund_requested,
        providerChargeId: row.provider_charge_id,
        providerRefundId: row.provider_refund_id,
        correlationId: row.correlation_id,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      }),
    );
  },

  /** Every business column; `nextAttemptAt` is set for inserts only (the work queue owns it afterwards). */
  toOrm(intent: PaymentIntent): Omit<PaymentIntentOrmEntity, 'nextAttemptAt'> {
    const s = intent.snapshot();
    return Object.assign(new PaymentIntentOrmEntity(), { ...s, amountCents: String(s.amountCents) });
  },
};
