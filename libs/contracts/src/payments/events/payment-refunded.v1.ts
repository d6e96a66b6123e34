import { defineEvent } from '../../messaging/integration-event.js';

/** Payload of `payments.payment-refunded.v1`: an order's captured money went back to the payer. */
export interface PaymentRefundedV1 {
  paymentId: string;
  orderId: string;
  /** Minor units. */
  amountCents: number;
  /** ISO 4217 code. */
  currency: string;
}

/** Published once per refunded charge. */
export const PaymentRefundedV1 = defineEvent<PaymentRefundedV1>('payments', 'payments.payment-refunded.v1');
