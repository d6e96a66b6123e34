import { CURRENCY_PATTERN, PaymentsLimits } from '@ficus/contracts';
import { ValidationFailed } from '@ficus/platform';
import { PaymentMismatch } from './payments.errors.js';

export type PaymentStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'REFUNDED';
export type FailureReason = 'DECLINED' | 'UNAVAILABLE';

/** The provider's answer to a charge, as the payment's state machine needs it. */
export type ChargeOutcome =
  | { result: 'approved'; chargeId: string }
  | { result: 'declined' }
  /** Provider error, timeout, or its breaker open: nothing was captured. */
  | { result: 'unavailable' };

export interface PaymentIntentProps {
  id: string;
  orderId: string;
  userId: string;
  amountCents: number;
  currency: string;
  /** Kept only until the provider has answered the charge. */
  paymentToken: string | null;
  /** Sent to the provider with the charge, so a repeated call cannot capture twice. */
  idempotencyKey: string;
  status: PaymentStatus;
  failureReason: FailureReason | null;
  /** Set by a refund request; a charge still in flight is refunded as soon as it succeeds. */
  refundRequested: boolean;
  providerChargeId: string | null;
  providerRefundId: string | null;
  /** Correlation id of the charge request; the outcome events carry it. */
  correlationId: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface OpenPaymentInput {
  id: string;
  orderId: string;
  userId: string;
  amountCents: number;
  currency: string;
  paymentToken: string;
  idempotencyKey: string;
  correlationId: string;
}

/**
 * One order's payment. `PENDING` until the provider answers the charge, then `SUCCEEDED` or `FAILED` —
 * decided once: a late or repeated answer changes nothing. A refund request is remembered in any state;
 * it moves money only from `SUCCEEDED` (to `REFUNDED`), so a refund that arrives while the charge is in
 * flight wins as soon as the charge succeeds.
 */
export class PaymentIntent {
  private constructor(private props: PaymentIntentProps) {}

  static open(input: OpenPaymentInput, now: Date): PaymentIntent {
    const problems: { field: string; message: string }[] = [];
    if (!Number.isSafeInteger(input.amountCents) || input.amountCents < 0) {
      problems.push({ field: 'amountCents', message: 'amountCents must be a whole number of minor units, ≥ 0' });
    }
    if (!CURRENCY_PATTERN.test(input.currency)) {
      problems.push({ field: 'currency', message: 'currency must be an ISO 4217 code such as EUR' });
    }
    if (!input.paymentToken || input.paymentToken.length > PaymentsLimits.paymentTokenMaxLength) {
      problems.push({ field: 'paymentToken', message: 'paymentToken must be 1 to 255 characters' });
    }
    if (problems.length) throw new ValidationFailed(problems);
    return new PaymentIntent({
      ...input,
      status: 'PENDING',
      failureReason: null,
      refundRequested: false,
      providerChargeId: null,
      providerRefundId: null,
      createdAt: now,
      updatedAt: now,
    });
  }

  static restore(props: PaymentIntentProps): PaymentIntent {
    return new PaymentIntent({ ...props });
  }

  /** A repeated charge of the order must ask for the same money from the same user. */
  assertSameCharge(request: { userId: string; amountCents: number; currency: string }): void {
    const p = this.props;
    if (p.userId !== request.userId || p.amountCents !== request.amountCents || p.currency !== request.currency) {
      throw new PaymentMismatch(p.orderId);
    }
  }

  /** Records the provider's answer; false (and nothing changes) when the charge was settled already. */
  settleCharge(outcome: ChargeOutcome, now: Date): boolean {
    if (this.props.status !== 'PENDING') return false;
    this.props = {
      ...this.props,
      status: outcome.result === 'approved' ? 'SUCCEEDED' : 'FAILED',
      failureReason: outcome.result === 'approved' ? null : outcome.result === 'declined' ? 'DECLINED' : 'UNAVAILABLE',
      providerChargeId: outcome.result === 'approved' ? outcome.chargeId : null,
      paymentToken: null,
      updatedAt: now,
    };
    return true;
  }

  /** Remembers that the money must go back; false when that was known already. */
  requestRefund(now: Date): boolean {
    if (this.props.refundRequested) return false;
    this.props = { ...this.props, refundRequested: true, updatedAt: now };
    return true;
  }

  /** Captured money that was asked back and has not gone back yet. */
  get needsRefund(): boolean {
    return this.props.status === 'SUCCEEDED' && this.props.refundRequested;
  }

  /** Records the provider's refund; false when there was nothing (left) to refund. */
  markRefunded(refundId: string, now: Date): boolean {
    if (!this.needsRefund) return false;
    this.props = { ...this.props, status: 'REFUNDED', providerRefundId: refundId, updatedAt: now };
    return true;
  }

  get id() {
    return this.props.id;
  }
  get orderId() {
    return this.props.orderId;
  }
  get status() {
    return this.props.status;
  }
  get refundRequested() {
    return this.props.refundRequested;
  }

  snapshot(): Readonly<PaymentIntentProps> {
    return { ...this.props };
  }
}
