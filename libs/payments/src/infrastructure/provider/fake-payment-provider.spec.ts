import { randomUUID } from 'node:crypto';
import { ProviderFailure } from '../../domain/ports.js';
import { FakePaymentProvider } from './fake-payment-provider.js';

const never = new AbortController().signal;
const charge = (provider: FakePaymentProvider, paymentToken: string, idempotencyKey = randomUUID()) =>
  provider.charge({ paymentToken, amountCents: 500, currency: 'EUR', idempotencyKey }, never);

describe('FakePaymentProvider', () => {
  const provider = new FakePaymentProvider();

  it('approves tok_ok, declines tok_declined and unknown tokens, and fails tok_error like a 5xx', async () => {
    expect(await charge(provider, 'tok_ok')).toEqual({ approved: true, chargeId: expect.stringMatching(/^ch_/) });
    expect(await charge(provider, 'tok_declined')).toEqual({ approved: false, declineCode: 'card_declined' });
    expect(await charge(provider, 'tok_unknown')).toEqual({ approved: false, declineCode: 'invalid_token' });
    await expect(charge(provider, 'tok_error')).rejects.toBeInstanceOf(ProviderFailure);
  });

  it('stops answering tok_slow when the caller aborts', async () => {
    const caller = new AbortController();
    const answer = provider.charge(
      { paymentToken: 'tok_slow', amountCents: 1, currency: 'EUR', idempotencyKey: randomUUID() },
      caller.signal,
    );
    caller.abort();
    await expect(answer).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('answers a repeated idempotency key with its first answer, and records every call', async () => {
    const key = randomUUID();
    const first = await charge(provider, 'tok_ok', key);
    expect(await charge(provider, 'tok_ok', key)).toEqual(first);
    expect(FakePaymentProvider.callsWith(key)).toEqual([
      { operation: 'charge', idempotencyKey: key },
      { operation: 'charge', idempotencyKey: key },
    ]);
  });

  it('remembers a bounded number of calls and answers', async () => {
    const oldest = randomUUID();
    const first = await charge(provider, 'tok_ok', oldest);
    for (let i = 0; i < FakePaymentProvider.MEMORY; i++) await charge(provider, 'tok_declined');
    expect(FakePaymentProvider.callsWith(oldest)).toEqual([]);
    // Its answer is forgotten too: the same key now gets a fresh charge id.
    const again = await charge(provider, 'tok_ok', oldest);
    expect(again).toEqual({ approved: true, chargeId: expect.stringMatching(/^ch_/) });
    expect(again).not.toEqual(first);
  });
});
