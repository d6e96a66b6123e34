import {
  type ChargeResult,
  PaymentFailedV1,
  PaymentRefundedV1,
  PaymentSucceededV1,
  type PaymentView,
  type RefundResult,
} from '@ficus/contracts';
import type { PendingEvent } from '@ficus/platform';
import type { PaymentIntent } from '../domain/payment-intent.aggregate.js';

/** How payment intents look in contract answers and events: plain JSON, ISO dates. */
export const PaymentViews = {
  charge(intent: PaymentIntent): ChargeResult {
    return { paymentId: intent.id, orderId: intent.orderId, status: intent.status };
  },

  refund(intent: PaymentIntent): RefundResult {
    const s = intent.snapshot();
    return { paymentId: s.id, orderId: s.orderId, status: s.status, refundRequested: s.refundRequested };
  },

  /** A refund of an order that was never charged. */
  nothingToRefund(orderId: string): RefundResult {
    return { paymentId: null, orderId, status: 'NONE', refundRequested: true };
  },

  payment(intent: PaymentIntent): PaymentView {
    const s = intent.snapshot();
    return {
      paymentId: s.id,
      orderId: s.orderId,
      userId: s.userId,
      amountCents: s.amountCents,
      currency: s.currency,
      status: s.status,
      failureReason: s.failureReason,
      refundRequested: s.refundRequested,
      createdAt: s.createdAt.toISOString(),
      updatedAt: s.updatedAt.toISOString(),
    };
  },
};

/** The event announcing a settled charge: succeeded, or failed with its reason. */
export function chargeSettledEvent(intent: PaymentIntent): PendingEvent<unknown> {
  const s = intent.snapshot();
  if (s.status === 'FAILED') {
    return {
      definition: PaymentFailedV1,
      aggregateId: s.id,
      payload: { paymentId: s.id, orderId: s.orderId, reason: s.failureReason! } satisfies PaymentFailedV1,
    };
  }
  return {
    definition: PaymentSucceededV1,
    aggregateId: s.id,
    payload: {
      paymentId: s.id,
      orderId: s.orderId,
      amountCents: s.amountCents,
      currency: s.currency,
    } satisfies PaymentSucceededV1,
  };
}

export function refundedEvent(intent: PaymentIntent): PendingEvent<PaymentRefundedV1> {
  const s = intent.snapshot();
  return {
    definition: PaymentRefundedV1,
    aggregateId: s.id,
    payload: { paymentId: s.id, orderId: s.orderId, amountCents: s.amountCents, currency: s.currency },
  };
}
