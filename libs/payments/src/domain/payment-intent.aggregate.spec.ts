import { ValidationFailed } from '@ficus/platform';
import { type OpenPaymentInput, PaymentIntent } from './payment-intent.aggregate.js';
import { PaymentMismatch } from './payments.errors.js';

const t0 = new Date('2030-01-01T00:00:00Z');
const t1 = new Date('2030-01-01T00:00:01Z');
const t2 = new Date('2030-01-01T00:00:02Z');

const input = (overrides: Partial<OpenPaymentInput> = {}): OpenPaymentInput => ({
  id: '0190a000-0000-7000-8000-000000000001',
  orderId: '0190a000-0000-7000-8000-0000000000aa',
  userId: '0190a000-0000-7000-8000-0000000000bb',
  amountCents: 2599,
  currency: 'EUR',
  paymentToken: 'tok_ok',
  idempotencyKey: 'charge-0190a000-0000-7000-8000-0000000000aa',
  correlationId: 'corr-1',
  ...overrides,
});

const open = () => PaymentIntent.open(input(), t0);

describe('PaymentIntent', () => {
  it('opens PENDING with nothing decided and nothing asked back', () => {
    expect(open().snapshot()).toMatchObject({
      status: 'PENDING',
      failureReason: null,
      refundRequested: false,
      providerChargeId: null,
      paymentToken: 'tok_ok',
      createdAt: t0,
    });
  });

  it('refuses a negative or fractional amount, a currency that is not ISO 4217, and an empty token', () => {
    expect(() => PaymentIntent.open(input({ amountCents: -1, currency: 'eur', paymentToken: '' }), t0)).toThrow(
      ValidationFailed,
    );
    expect(() => PaymentIntent.open(input({ amountCents: 1.5 }), t0)).toThrow(ValidationFailed);
    expect(PaymentIntent.open(input({ amountCents: 0 }), t0).status).toBe('PENDING');
  });

  it('succeeds on an approval, keeping the charge id and forgetting the token', () => {
    const intent = open();
    expect(intent.settleCharge({ result: 'approved', chargeId: 'ch_1' }, t1)).toBe(true);
    expect(intent.snapshot()).toMatchObject({
      status: 'SUCCEEDED',
      providerChargeId: 'ch_1',
      paymentToken: null,
      updatedAt: t1,
    });
  });

  it('fails DECLINED on a decline and UNAVAILABLE when the provider could not answer', () => {
    const declined = open();
    declined.settleCharge({ result: 'declined' }, t1);
    expect(declined.snapshot()).toMatchObject({ status: 'FAILED', failureReason: 'DECLINED', paymentToken: null });
    const unavailable = open();
    unavailable.settleCharge({ result: 'unavailable' }, t1);
    expect(unavailable.snapshot()).toMatchObject({ status: 'FAILED', failureReason: 'UNAVAILABLE' });
  });

  it('is settled once: a late or repeated answer changes nothing', () => {
    const intent = open();
    intent.settleCharge({ result: 'declined' }, t1);
    expect(intent.settleCharge({ result: 'approved', chargeId: 'ch_late' }, t2)).toBe(false);
    expect(intent.snapshot()).toMatchObject({ status: 'FAILED', providerChargeId: null, updatedAt: t1 });
  });

  it('remembers a refund asked for while the charge is in flight, and owes it once the charge succeeds', () => {
    const intent = open();
    expect(intent.requestRefund(t1)).toBe(true);
    expect(intent.status).toBe('PENDING');
    expect(intent.needsRefund).toBe(false);
    intent.settleCharge({ result: 'approved', chargeId: 'ch_1' }, t2);
    expect(intent.needsRefund).toBe(true);
    expect(intent.markRefunded('re_1', t2)).toBe(true);
    expect(intent.snapshot()).toMatchObject({ status: 'REFUNDED', providerRefundId: 're_1' });
    expect(intent.needsRefund).toBe(false);
  });

  it('refunds captured money once: asking again or recording another refund changes nothing', () => {
    const intent = open();
    intent.settleCharge({ result: 'approved', chargeId: 'ch_1' }, t1);
    expect(intent.requestRefund(t1)).toBe(true);
    expect(intent.requestRefund(t2)).toBe(false);
    intent.markRefunded('re_1', t2);
    expect(intent.markRefunded('re_2', t2)).toBe(false);
    expect(intent.snapshot().providerRefundId).toBe('re_1');
  });

  it('owes no refund for a failed charge, whenever the refund was asked for', () => {
    const intent = open();
    intent.requestRefund(t1);
    intent.settleCharge({ result: 'declined' }, t2);
    expect(intent.needsRefund).toBe(false);
    expect(intent.markRefunded('re_1', t2)).toBe(false);
    expect(intent.status).toBe('FAILED');
  });

  it('accepts a repeated charge of the same money and refuses another amount, currency or user', () => {
    const intent = open();
    const same = { userId: input().userId, amountCents: 2599, currency: 'EUR' };
    expect(() => intent.assertSameCharge(same)).not.toThrow();
    expect(() => intent.assertSameCharge({ ...same, amountCents: 2600 })).toThrow(PaymentMismatch);
    expect(() => intent.assertSameCharge({ ...same, currency: 'USD' })).toThrow(PaymentMismatch);
    expect(() => intent.assertSameCharge({ ...same, userId: input().id })).toThrow(PaymentMismatch);
  });
});
