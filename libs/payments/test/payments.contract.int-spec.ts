import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import {
  type CallMeta,
  type ChargeRequest,
  type ChargeResult,
  PaymentsPatterns,
  type PaymentsAvailability,
  type PaymentView,
  type RefundResult,
} from '@ficus/contracts';
import {
  CONTRACT_MODES,
  contractFailure as failure,
  type ContractHarness,
  startContractHarness,
} from '@ficus/platform/testing';
import { PaymentsModule } from '../src/index.js';
import { FakePaymentProvider } from '../src/infrastructure/provider/fake-payment-provider.js';

// The fake provider takes 250 ms per answer (so a refund can overtake a charge in flight); a call is cut
// after 1 s (tok_slow's 10 s never finishes); three provider failures in a row open the breaker for 2 s.
const SETTINGS = {
  PAYMENTS_FAKE_LATENCY_MS: '250',
  PAYMENTS_PROVIDER_TIMEOUT_MS: '1000',
  PAYMENTS_BREAKER_THRESHOLD: '3',
  PAYMENTS_BREAKER_COOLDOWN_S: '2',
  PAYMENTS_POLL_INTERVAL_MS: '100',
};

/** For tests that wait for the worker: several provider round trips on a busy machine. */
const WAITS = 15_000;

let n = 0;
const meta = (): CallMeta => ({ correlationId: `contract-${n++}`, actor: null });

describe.each(CONTRACT_MODES)('payments contract (%s)', (mode) => {
  let h: ContractHarness;
  let sql: pg.Pool;
  beforeAll(async () => {
    Object.assign(process.env, SETTINGS);
    h = await startContractHarness('payments', PaymentsModule, mode);
    sql = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  }, 30_000);
  afterAll(async () => {
    await sql?.end();
    await h?.close();
    for (const key of Object.keys(SETTINGS)) delete process.env[key];
  });

  const chargeRequest = (overrides: Partial<ChargeRequest> = {}): ChargeRequest => {
    const orderId = overrides.orderId ?? randomUUID();
    return {
      orderId,
      userId: randomUUID(),
      amountCents: 4599,
      currency: 'EUR',
      paymentToken: 'tok_ok',
      idempotencyKey: `charge-${orderId}`,
      ...overrides,
    };
  };
  const charge = (request: ChargeRequest) => h.client.send<ChargeResult>(PaymentsPatterns.charge, request, meta());
  const refund = (orderId: string) =>
    h.client.send<RefundResult>(PaymentsPatterns.refund, { orderId, idempotencyKey: `refund-${orderId}` }, meta());
  const payment = (orderId: string) =>
    h.client.send<PaymentView | null>(PaymentsPatterns.getPayment, { orderId }, meta());
  const availability = () => h.client.send<PaymentsAvailability>(PaymentsPatterns.getAvailability, {}, meta());

  /** Polls the payment until `done` holds (the provider call runs after the charge answered). */
  async function paymentWhen(orderId: string, done: (p: PaymentView) => boolean, timeoutMs = 12_000) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const current = await payment(orderId);
      if (current && done(current)) return current;
      if (Date.now() > until) throw new Error(`payment of ${orderId} is still ${JSON.stringify(current)}`);
      await sleep(50);
    }
  }
  const settled = (orderId: string) => paymentWhen(orderId, (p) => p.status !== 'PENDING');

  /** Every event payments published about an order, oldest first. */
  async function eventsOf(orderId: string) {
    const { rows } = await sql.query<{ name: string; payload: Record<string, unknown>; correlation_id: string }>(
      `SELECT name, payload, correlation_id FROM payments.outbox WHERE payload->>'orderId' = $1 ORDER BY occurred_at`,
      [orderId],
    );
    return rows;
  }
  const providerCalls = (key: string) => FakePaymentProvider.callsWith(key).length;

  it(
    'answers PENDING at once, then captures tok_ok and publishes payments.payment-succeeded.v1',
    async () => {
      const request = chargeRequest();
      const callMeta = meta();
      const pending = await h.client.send<ChargeResult>(PaymentsPatterns.charge, request, callMeta);
      expect(pending).toEqual({ paymentId: expect.any(String), orderId: request.orderId, status: 'PENDING' });
      const done = await settled(request.orderId);
      expect(done).toEqual({
        paymentId: pending.paymentId,
        orderId: request.orderId,
        userId: request.userId,
        amountCents: 4599,
        currency: 'EUR',
        status: 'SUCCEEDED',
        failureReason: null,
        refundRequested: false,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(Object.getPrototypeOf(done)).toBe(Object.prototype);
      expect(await eventsOf(request.orderId)).toEqual([
        {
          name: 'payments.payment-succeeded.v1',
          payload: { paymentId: pending.paymentId, orderId: request.orderId, amountCents: 4599, currency: 'EUR' },
          correlation_id: callMeta.correlationId,
        },
      ]);
      expect(providerCalls(request.idempotencyKey)).toBe(1);
    },
    WAITS,
  );

  it(
    'fails a tok_declined charge as DECLINED and publishes payments.payment-failed.v1',
    async () => {
      const request = chargeRequest({ paymentToken: 'tok_declined' });
      const { paymentId } = await charge(request);
      expect(await settled(request.orderId)).toMatchObject({ status: 'FAILED', failureReason: 'DECLINED' });
      const events = await eventsOf(request.orderId);
      expect(events.map((e) => [e.name, e.payload])).toEqual([
        ['payments.payment-failed.v1', { paymentId, orderId: request.orderId, reason: 'DECLINED' }],
      ]);
    },
    WAITS,
  );

  it(
    'cuts tok_slow (10 s) at the provider timeout and fails it as UNAVAILABLE',
    async () => {
      const request = chargeRequest({ paymentToken: 'tok_slow' });
      await charge(request);
      expect(await settled(request.orderId)).toMatchObject({ status: 'FAILED', failureReason: 'UNAVAILABLE' });
      expect((await eventsOf(request.orderId)).map((e) => e.payload.reason)).toEqual(['UNAVAILABLE']);
    },
    WAITS,
  );

  it(
    'charges an order once however often (and however concurrently) it is asked',
    async () => {
      const request = chargeRequest();
      const answers = await Promise.all([charge(request), charge(request), charge(request)]);
      expect(new Set(answers.map((a) => a.paymentId)).size).toBe(1);
      await settled(request.orderId);
      const again = await charge(request);
      expect(again).toEqual({ paymentId: answers[0].paymentId, orderId: request.orderId, status: 'SUCCEEDED' });
      expect(providerCalls(request.idempotencyKey)).toBe(1);
      expect(await eventsOf(request.orderId)).toHaveLength(1);
      const { rows } = await sql.query('SELECT 1 FROM payments.payment_intents WHERE order_id = $1', [request.orderId]);
      expect(rows).toHaveLength(1);
    },
    WAITS,
  );

  it('refuses to charge an order again with other money: PAYMENT_MISMATCH (409)', async () => {
    const request = chargeRequest();
    await charge(request);
    const body = await failure(charge({ ...request, amountCents: 1 }));
    expect(body).toMatchObject({ code: 'PAYMENT_MISMATCH', status: 409, kind: 'conflict' });
  });

  it(
    'refunds a captured charge once, even when the refund is asked twice',
    async () => {
      const request = chargeRequest();
      const { paymentId } = await charge(request);
      await settled(request.orderId);
      const first = await refund(request.orderId);
      expect(first).toMatchObject({ paymentId, orderId: request.orderId, refundRequested: true });
      expect(['SUCCEEDED', 'REFUNDED']).toContain(first.status);
      await paymentWhen(request.orderId, (p) => p.status === 'REFUNDED');
      expect(await refund(request.orderId)).toEqual({
        paymentId,
        orderId: request.orderId,
        status: 'REFUNDED',
        refundRequested: true,
      });
      await sleep(300);
      const events = await eventsOf(request.orderId);
      expect(events.map((e) => e.name)).toEqual(['payments.payment-succeeded.v1', 'payments.payment-refunded.v1']);
      expect(events[1].payload).toEqual({ paymentId, orderId: request.orderId, amountCents: 4599, currency: 'EUR' });
      expect(providerCalls(`refund-${paymentId}`)).toBe(1);
    },
    WAITS,
  );

  it(
    'refunds a charge that was in flight when the refund came, as soon as it succeeds ("refund wins")',
    async () => {
      const request = chargeRequest();
      const { paymentId } = await charge(request);
      // The fake provider is still answering (250 ms): the refund is remembered, not lost.
      expect(await refund(request.orderId)).toEqual({
        paymentId,
        orderId: request.orderId,
        status: 'PENDING',
        refundRequested: true,
      });
      await paymentWhen(request.orderId, (p) => p.status === 'REFUNDED');
      expect((await eventsOf(request.orderId)).map((e) => e.name)).toEqual([
        'payments.payment-succeeded.v1',
        'payments.payment-refunded.v1',
      ]);
    },
    WAITS,
  );

  it(
    'moves no money when refunding a failed charge',
    async () => {
      const request = chargeRequest({ paymentToken: 'tok_declined' });
      const { paymentId } = await charge(request);
      await settled(request.orderId);
      expect(await refund(request.orderId)).toEqual({
        paymentId,
        orderId: request.orderId,
        status: 'FAILED',
        refundRequested: true,
      });
      await sleep(300);
      expect((await eventsOf(request.orderId)).map((e) => e.name)).toEqual(['payments.payment-failed.v1']);
      expect(providerCalls(`refund-${paymentId}`)).toBe(0);
    },
    WAITS,
  );

  it('answers a refund of an order never charged with NONE, and then refuses its charge: PAYMENT_VOIDED', async () => {
    const request = chargeRequest();
    expect(await refund(request.orderId)).toEqual({
      paymentId: null,
      orderId: request.orderId,
      status: 'NONE',
      refundRequested: true,
    });
    expect(await failure(charge(request))).toMatchObject({ code: 'PAYMENT_VOIDED', status: 409 });
    expect(await payment(request.orderId)).toBeNull();
    expect(providerCalls(request.idempotencyKey)).toBe(0);
  });

  it(
    'finishes a charge whose worker died mid-call once its lease runs out, and leaves live claims alone',
    async () => {
      const [expired, live] = [chargeRequest(), chargeRequest()];
      for (const [request, lease] of [
        [expired, "clock_timestamp() - interval '1 second'"],
        [live, "clock_timestamp() + interval '1500 milliseconds'"],
      ] as const) {
        await sql.query(
          `INSERT INTO payments.payment_intents (id, order_id, user_id, amount_cents, currency, payment_token,
           idempotency_key, status, correlation_id, attempts, lease_until, next_attempt_at, created_at, updated_at)
         VALUES ($1, $2, $3, 100, 'EUR', 'tok_ok', $4, 'PENDING', 'crashed', 1, ${lease}, now(), now(), now())`,
          [randomUUID(), request.orderId, request.userId, request.idempotencyKey],
        );
      }
      expect(await settled(expired.orderId)).toMatchObject({ status: 'SUCCEEDED' });
      expect((await payment(live.orderId))?.status).toBe('PENDING');
      expect(await settled(live.orderId)).toMatchObject({ status: 'SUCCEEDED' });
      expect(providerCalls(live.idempotencyKey)).toBe(1);
    },
    WAITS,
  );

  it('answers null for an order without a payment', async () => {
    expect(await payment(randomUUID())).toBeNull();
  });

  it('fails with VALIDATION_FAILED and per-field errors for bad payloads', async () => {
    const bad = await failure(
      charge({
        ...chargeRequest(),
        orderId: 'nope',
        amountCents: -5,
        currency: 'euro',
        paymentToken: '',
        extra: 1,
      } as unknown as ChargeRequest),
    );
    expect(bad).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(bad.errors?.map((e) => e.field)).toEqual(
      expect.arrayContaining(['orderId', 'amountCents', 'currency', 'paymentToken', 'extra']),
    );
    const noKey = await failure(h.client.send(PaymentsPatterns.refund, { orderId: randomUUID() }, meta()));
    expect(noKey).toMatchObject({ code: 'VALIDATION_FAILED' });
    const fraction = await failure(charge(chargeRequest({ amountCents: 10.5 })));
    expect(fraction.errors?.map((e) => e.field)).toEqual(['amountCents']);
    const args = await failure(h.client.send(PaymentsPatterns.getAvailability, { any: 1 }, meta()));
    expect(args.code).toBe('VALIDATION_FAILED');
  });

  // Last: it opens this harness's breaker.
  it('opens the breaker after threshold provider errors: unavailable with the seconds left, charges fail fast, then half-opens', async () => {
    expect(await availability()).toEqual({ available: true, retryAfterSeconds: 0 });
    const paid = chargeRequest();
    await charge(paid);
    await settled(paid.orderId);
    const failing = [chargeRequest({ paymentToken: 'tok_error' }), chargeRequest({ paymentToken: 'tok_error' })];
    failing.push(chargeRequest({ paymentToken: 'tok_error' }));
    for (const request of failing) {
      await charge(request);
      expect(await settled(request.orderId)).toMatchObject({ status: 'FAILED', failureReason: 'UNAVAILABLE' });
    }
    const open = await availability();
    expect(open.available).toBe(false);
    expect(open.retryAfterSeconds).toBeGreaterThan(0);
    expect(open.retryAfterSeconds).toBeLessThanOrEqual(2);

    // While open, even a good card fails at once, without reaching the provider.
    const shortCircuited = chargeRequest();
    await charge(shortCircuited);
    expect(await settled(shortCircuited.orderId)).toMatchObject({ status: 'FAILED', failureReason: 'UNAVAILABLE' });
    expect(providerCalls(shortCircuited.idempotencyKey)).toBe(0);

    // A refund the provider cannot take now is kept and retried, never dropped.
    expect(await refund(paid.orderId)).toMatchObject({ status: 'SUCCEEDED', refundRequested: true });

    // After the cooldown a trial goes through; its success closes the breaker.
    const until = Date.now() + 5000;
    while (!(await availability()).available && Date.now() < until) await sleep(100);
    const trial = chargeRequest();
    await charge(trial);
    expect(await settled(trial.orderId)).toMatchObject({ status: 'SUCCEEDED' });
    expect(await availability()).toEqual({ available: true, retryAfterSeconds: 0 });
    expect(await paymentWhen(paid.orderId, (p) => p.status === 'REFUNDED')).toMatchObject({ refundRequested: true });
  }, 30_000);
});
