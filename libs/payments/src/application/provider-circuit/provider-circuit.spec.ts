import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { FakePaymentProvider } from '../../infrastructure/provider/fake-payment-provider.js';
import { ProviderCircuit, type ProviderCircuitOptions } from './provider-circuit.js';

// The real fake provider (tok_slow really takes 10 s; the timeout really aborts it). Cooldowns are short so
// the half-open step can be reached; no assertion here depends on how long anything took.

const options = (overrides: Partial<ProviderCircuitOptions> = {}): ProviderCircuitOptions => ({
  timeoutMs: 30,
  failureThreshold: 3,
  cooldownMs: 60_000,
  ...overrides,
});

const circuitWith = (overrides: Partial<ProviderCircuitOptions> = {}) =>
  new ProviderCircuit(new FakePaymentProvider(), options(overrides));

const charge = (circuit: ProviderCircuit, paymentToken: string, idempotencyKey = `charge-${randomUUID()}`) =>
  circuit.charge({ paymentToken, amountCents: 1000, currency: 'EUR', idempotencyKey });

async function chargeTimes(circuit: ProviderCircuit, token: string, times: number) {
  const outcomes = [];
  for (let i = 0; i < times; i++) outcomes.push((await charge(circuit, token)).result);
  return outcomes;
}

describe('ProviderCircuit', () => {
  it('passes approvals and declines through, and declines never open the breaker', async () => {
    const circuit = circuitWith();
    expect(await charge(circuit, 'tok_ok')).toEqual({ result: 'approved', chargeId: expect.stringMatching(/^ch_/) });
    expect(await chargeTimes(circuit, 'tok_declined', 10)).toEqual(Array(10).fill('declined'));
    expect(circuit.snapshot()).toEqual({ state: 'closed', retryAfterSeconds: 0 });
    expect(circuit.availability()).toEqual({ available: true, retryAfterSeconds: 0 });
  });

  it('opens after the threshold of consecutive provider errors (5xx), then fails fast without calling', async () => {
    const circuit = circuitWith({ cooldownMs: 30_000 });
    expect(await chargeTimes(circuit, 'tok_error', 3)).toEqual(Array(3).fill('unavailable'));
    const { state, retryAfterSeconds } = circuit.snapshot();
    expect(state).toBe('open');
    // The seconds left of the 30 s cooldown, rounded up.
    expect(retryAfterSeconds).toBeGreaterThanOrEqual(29);
    expect(retryAfterSeconds).toBeLessThanOrEqual(30);
    expect(circuit.availability()).toMatchObject({ available: false, retryAfterSeconds: expect.any(Number) });
    const key = `charge-${randomUUID()}`;
    expect(await charge(circuit, 'tok_ok', key)).toEqual({ result: 'unavailable' });
    expect(FakePaymentProvider.callsWith(key)).toEqual([]);
  });

  it('counts a timeout (the slow call is cut at the timeout) like an error', async () => {
    const circuit = circuitWith({ failureThreshold: 2 });
    expect(await chargeTimes(circuit, 'tok_slow', 2)).toEqual(['unavailable', 'unavailable']);
    expect(circuit.snapshot().state).toBe('open');
  });

  it('counts consecutive failures only: an answer in between (even a decline) starts the count again', async () => {
    const circuit = circuitWith();
    await chargeTimes(circuit, 'tok_error', 2);
    await charge(circuit, 'tok_declined');
    await chargeTimes(circuit, 'tok_error', 2);
    expect(circuit.snapshot().state).toBe('closed');
    await charge(circuit, 'tok_error');
    expect(circuit.snapshot().state).toBe('open');
  });

  it('half-opens after the cooldown: a successful trial closes it, a failed one opens it again', async () => {
    const circuit = circuitWith({ cooldownMs: 50, failureThreshold: 1 });
    await charge(circuit, 'tok_error');
    expect(circuit.snapshot().state).toBe('open');
    await sleep(80);
    expect(circuit.snapshot()).toEqual({ state: 'half-open', retryAfterSeconds: 0 });
    expect(circuit.availability().available).toBe(true);
    expect((await charge(circuit, 'tok_error')).result).toBe('unavailable');
    expect(circuit.snapshot()).toEqual({ state: 'open', retryAfterSeconds: 1 });
    await sleep(80);
    expect((await charge(circuit, 'tok_ok')).result).toBe('approved');
    expect(circuit.snapshot().state).toBe('closed');
  });

  it('guards refunds with the same breaker', async () => {
    const circuit = circuitWith({ failureThreshold: 1 });
    const refund = () =>
      circuit.refund({ chargeId: 'ch_1', amountCents: 1000, currency: 'EUR', idempotencyKey: `r-${randomUUID()}` });
    expect(await refund()).toEqual({ result: 'refunded', refundId: expect.stringMatching(/^re_/) });
    await charge(circuit, 'tok_error');
    expect(await refund()).toEqual({ result: 'unavailable' });
  });
});
