import { defineEvent } from '../../messaging/integration-event.js';
import type { PaymentFailureReason } from '../payments.types.js';

/** Payload of `payments.payment-failed.v1`: an order's charge will not be captured. */
export interface PaymentFailedV1 {
  paymentId: string;
  orderId: string;
  /** `DECLINED` by the provider, or `UNAVAILABLE` (provider error, timeout, or its breaker open). */
  reason: PaymentFailureReason;
}

/** Published once per failed charge; nothing was captured. */
export const PaymentFailedV1 = defineEvent<PaymentFailedV1>('payments', 'payments.payment-failed.v1');
