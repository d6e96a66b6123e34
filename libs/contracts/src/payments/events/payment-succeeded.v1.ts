import { defineEvent } from '../../messaging/integration-event.js';

/** Payload of `payments.payment-succeeded.v1`: the provider captured an order's money. */
export interface PaymentSucceededV1 {
  paymentId: string;
  orderId: string;
  /** Minor units. */
  amountCents: number;
  /** ISO 4217 code. */
  currency: string;
}

/** Published once per captured charge (also when a refund was already asked for: the refund follows). */
export const PaymentSucceededV1 = defineEvent<PaymentSucceededV1>('payments', 'payments.payment-succeeded.v1');
