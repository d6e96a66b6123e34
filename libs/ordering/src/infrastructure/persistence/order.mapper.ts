import type { OrderView } from '@ficus/contracts';
import type { Order, OrderLine } from '../../domain/order.aggregate.js';
import type { SagaStep } from '../../domain/saga/order-saga.js';
import { Order as OrderAggregate } from '../../domain/order.aggregate.js';

/** Columns of an order with its saga and lines, as `ORDER_SELECT` reads them. */
export interface OrderRow {
  id: string;
  user_id: string;
  idempotency_key: string;
  status: OrderView['status'];
  cancellation_reason: OrderView['cancellationReason'];
  total_cents: string | number;
  currency: string;
  created_at: Date;
  updated_at: Date;
  step: SagaStep;
  payment_token: string | null;
  charge_requested: boolean;
  release_pending: boolean;
  refund_pending: boolean;
  attempts: number;
  next_attempt_at: Date | null;
  deadline_at: Date;
  last_error: string | null;
  lines: OrderLine[];
}

/** One order, its saga and its lines (in the client's order) in one row. */
export const ORDER_SELECT = `
  SELECT o.id, o.user_id, o.idempotency_key, o.status, o.cancellation_reason, o.total_cents, o.currency,
         o.created_at, o.updated_at, s.step, s.payment_token, s.charge_requested, s.release_pending,
         s.refund_pending, s.attempts, s.next_attempt_at, s.deadline_at, s.last_error,
         (SELECT json_agg(json_build_object('productId', l.product_id, 'name', l.name,
                  'unitPriceCents', l.unit_price_cents, 'quantity', l.quantity) ORDER BY l.position)
            FROM ordering.order_lines l WHERE l.order_id = o.id) AS lines
  FROM ordering.orders o JOIN ordering.order_sagas s ON s.order_id = o.id`;

export const OrderMapper = {
  fromRow(row: OrderRow): Order {
    return OrderAggregate.restore({
      id: row.id,
      userId: row.user_id,
      idempotencyKey: row.idempotency_key,
      lines: row.lines ?? [],
      totalCents: Number(row.total_cents),
      currency: row.currency,
      status: row.status,
      cancellationReason: row.cancellation_reason,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      saga: {
        step: row.step,
        paymentToken: row.payment_token,
        chargeRequested: row.charge_requested,
        releasePending: row.release_pending,
        refundPending: row.refund_pending,
        attempts: row.attempts,
        nextAttemptAt: row.next_attempt_at,
        deadlineAt: row.deadline_at,
        lastError: row.last_error,
      },
    });
  },

  toView(order: Order): OrderView {
    const o = order.snapshot();
    return {
      id: o.id,
      status: o.status,
      items: o.lines.map((l) => ({
        productId: l.productId,
        name: l.name,
        unitPriceCents: l.unitPriceCents,
        quantity: l.quantity,
      })),
      totalCents: o.totalCents,
      currency: o.currency,
      cancellationReason: o.cancellationReason,
      createdAt: o.createdAt.toISOString(),
      updatedAt: o.updatedAt.toISOString(),
    };
  },
};
