import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type CallMeta, PAYMENTS_API, type PaymentsApi } from '@ficus/contracts';
import { call, type RunningApp, startTestApp } from './e2e-harness.js';

/**
 * Payments has no route of its own; what HTTP shows of it is operational: its provider breaker in the
 * readiness of the process that hosts it (degraded, never down) and in /metrics. In both modes.
 */
describe.each([
  { name: 'in-process', extracted: [] as 'payments'[] },
  { name: 'extracted over Redis', extracted: ['payments'] as 'payments'[] },
])('the payment provider breaker over HTTP ($name)', ({ extracted }) => {
  let t: RunningApp;
  let payments: PaymentsApi;
  /** The process that hosts payments: the monolith, or the extracted host. */
  let hostUrl: string;
  const meta = (): CallMeta => ({ correlationId: `e2e-${randomUUID()}`, actor: null });

  beforeAll(async () => {
    t = await startTestApp(
      'payments',
      { PAYMENTS_BREAKER_THRESHOLD: '2', PAYMENTS_BREAKER_COOLDOWN_S: '60', PAYMENTS_POLL_INTERVAL_MS: '100' },
      extracted,
    );
    payments = t.app.get<PaymentsApi>(PAYMENTS_API);
    hostUrl = extracted.length ? await t.hosts.get('payments')!.getUrl() : t.url;
  }, 30_000);
  afterAll(async () => {
    await t?.close();
  });

  const breakerGauge = async () => {
    const res = await fetch(`${hostUrl}/metrics`);
    return /^ficus_circuit_breaker_state\{breaker="payments.provider"\} (\d)$/m.exec(await res.text())?.[1];
  };

  it('reports the closed breaker as up, with gauge 0', async () => {
    const ready = await call(hostUrl, 'GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.details['payments.provider']).toEqual({ status: 'up', breaker: 'closed' });
    expect(await breakerGauge()).toBe('0');
  });

  it('reports the open breaker as degraded with the seconds left, readiness still 200, gauge 2', async () => {
    for (let i = 0; i < 2; i++) {
      const orderId = randomUUID();
      await payments.charge(
        {
          orderId,
          userId: randomUUID(),
          amountCents: 100,
          currency: 'EUR',
          paymentToken: 'tok_error',
          idempotencyKey: `charge-${orderId}`,
        },
        meta(),
      );
    }
    const until = Date.now() + 10_000;
    while ((await payments.getAvailability({}, meta())).available && Date.now() < until) await sleep(50);
    const ready = await call(hostUrl, 'GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('degraded');
    expect(ready.body.details['payments.provider']).toEqual({
      status: 'degraded',
      breaker: 'open',
      retryAfterSeconds: expect.any(Number),
    });
    expect(ready.body.details['payments.provider'].retryAfterSeconds).toBeGreaterThan(50);
    expect(await breakerGauge()).toBe('2');
  }, 20_000);
});
