import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type PaymentProvider,
  type ProviderChargeAnswer,
  type ProviderChargeRequest,
  ProviderFailure,
  type ProviderRefundRequest,
} from '../../domain/ports.js';

/** The test cards of API.md. Any other token is declined, as a real provider declines an unknown card. */
export const FAKE_TOKENS = {
  approved: 'tok_ok',
  declined: 'tok_declined',
  /** Answers (approved) only after `FAKE_SLOW_ANSWER_MS`: every sane timeout cuts it. */
  slow: 'tok_slow',
  /** The provider answers 500. */
  error: 'tok_error',
} as const;

export const FAKE_SLOW_ANSWER_MS = 10_000;

/** One call the fake provider received. */
export interface FakeProviderCall {
  operation: 'charge' | 'refund';
  idempotencyKey: string;
}

/**
 * The built-in fake payment provider. Like a real one, it is a separate system: it keeps its own record of
 * the calls it received (process-wide, as a real provider's dashboard outlives any one client), which
 * tests read to prove a charge reached it once. Like a real one, it answers a repeated idempotency key
 * with the first answer.
 */
export class FakePaymentProvider implements PaymentProvider {
  private static readonly received: FakeProviderCall[] = [];
  private static readonly answers = new Map<string, unknown>();

  /** The calls received with this idempotency key, oldest first. */
  static callsWith(idempotencyKey: string): FakeProviderCall[] {
    return FakePaymentProvider.received.filter((call) => call.idempotencyKey === idempotencyKey);
  }

  /** @param latencyMs how long every answer takes, as a network round trip to a real provider would. */
  constructor(private readonly latencyMs = 0) {}

  async charge(request: ProviderChargeRequest, signal: AbortSignal): Promise<ProviderChargeAnswer> {
    FakePaymentProvider.received.push({ operation: 'charge', idempotencyKey: request.idempotencyKey });
    await this.roundTrip(signal);
    const known = FakePaymentProvider.answers.get(request.idempotencyKey) as ProviderChargeAnswer | undefined;
    if (known) return known;
    let answer: ProviderChargeAnswer;
    switch (request.paymentToken) {
      case FAKE_TOKENS.approved:
        answer = { approved: true, chargeId: `ch_${randomUUID()}` };
        break;
      case FAKE_TOKENS.slow:
        await sleep(FAKE_SLOW_ANSWER_MS, undefined, { signal });
        answer = { approved: true, chargeId: `ch_${randomUUID()}` };
        break;
      case FAKE_TOKENS.error:
        throw new ProviderFailure('payment provider answered 500');
      case FAKE_TOKENS.declined:
        answer = { approved: false, declineCode: 'card_declined' };
        break;
      default:
        answer = { approved: false, declineCode: 'invalid_token' };
    }
    FakePaymentProvider.answers.set(request.idempotencyKey, answer);
    return answer;
  }

  async refund(request: ProviderRefundRequest, signal: AbortSignal): Promise<{ refundId: string }> {
    FakePaymentProvider.received.push({ operation: 'refund', idempotencyKey: request.idempotencyKey });
    await this.roundTrip(signal);
    const known = FakePaymentProvider.answers.get(request.idempotencyKey) as { refundId: string } | undefined;
    if (known) return known;
    const answer = { refundId: `re_${randomUUID()}` };
    FakePaymentProvider.answers.set(request.idempotencyKey, answer);
    return answer;
  }

  private async roundTrip(signal: AbortSignal): Promise<void> {
    if (this.latencyMs > 0) await sleep(this.latencyMs, undefined, { signal });
  }
}
