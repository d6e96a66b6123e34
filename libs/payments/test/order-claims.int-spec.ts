import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { QueryRunner } from 'typeorm';
import {
  type CallMeta,
  type ChargeRequest,
  type ChargeResult,
  PaymentsPatterns,
  type PaymentView,
  type RefundResult,
} from '@ficus/contracts';
import { contractFailure as failure, type ContractHarness, startContractHarness } from '@ficus/platform/testing';
import { PaymentsModule } from '../src/index.js';
import { OrderClaims1736200000000 } from '../src/infrastructure/persistence/migrations/1736200000000-order-claims.js';

// A charge and a refund of one order race in Postgres, whatever carries them: in-process only (the
// contract suite covers both transports). The fake provider's 250 ms keep a charge's provider call from
// overlapping the statements a test counts.
const SETTINGS = { PAYMENTS_FAKE_LATENCY_MS: '250', PAYMENTS_POLL_INTERVAL_MS: '100' };
const WAITS = 20_000;

let n = 0;
const meta = (): CallMeta => ({ correlationId: `claims-${n++}`, actor: null });

describe('payments order claims: a charge and a refund of one order', () => {
  let h: ContractHarness;
  let sql: pg.Pool;
  beforeAll(async () => {
    Object.assign(process.env, SETTINGS);
    h = await startContractHarness('payments', PaymentsModule, 'in-process');
    sql = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
  }, 30_000);
  afterAll(async () => {
    await sql?.end();
    await h?.close();
    for (const key of Object.keys(SETTINGS)) delete process.env[key];
  });

  const chargeRequest = (orderId = randomUUID()): ChargeRequest => ({
    orderId,
    userId: randomUUID(),
    amountCents: 1250,
    currency: 'EUR',
    paymentToken: 'tok_ok',
    idempotencyKey: `charge-${orderId}`,
  });
  const charge = (request: ChargeRequest) => h.client.send<ChargeResult>(PaymentsPatterns.charge, request, meta());
  const refund = (orderId: string) =>
    h.client.send<RefundResult>(PaymentsPatterns.refund, { orderId, idempotencyKey: `refund-${orderId}` }, meta());
  const payment = (orderId: string) =>
    h.client.send<PaymentView | null>(PaymentsPatterns.getPayment, { orderId }, meta());

  /** What Postgres holds for an order: who claimed it, and its intent if any. */
  async function stored(orderId: string) {
    const { rows } = await sql.query<{ claimed_by: string | null; status: string | null; refund_requested: boolean }>(
      `SELECT c.claimed_by, p.status, p.refund_requested
         FROM (SELECT $1::uuid AS order_id) o
         LEFT JOIN payments.order_claims c USING (order_id)
         LEFT JOIN payments.payment_intents p USING (order_id)`,
      [orderId],
    );
    return rows[0];
  }

  /** Runs `work` in a transaction of the test's own that stays open until `release` resolves it. */
  async function holdOpen(work: (client: pg.PoolClient) => Promise<void>) {
    const client = await sql.connect();
    await client.query('BEGIN');
    await work(client);
    const end = async (how: 'COMMIT' | 'ROLLBACK') => {
      await client.query(how);
      client.release();
    };
    return { commit: () => end('COMMIT'), rollback: () => end('ROLLBACK') };
  }

  /** Resolves once some backend waits on a lock for a statement on `table` (the call under test blocked). */
  async function blockedOn(table: string) {
    for (const until = Date.now() + 5000; Date.now() < until; await sleep(10)) {
      const { rows } = await sql.query(
        `SELECT 1 FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%' || $1 || '%'`,
        [table],
      );
      if (rows.length) return;
    }
    throw new Error(`no statement on ${table} waited on a lock`);
  }

  it(
    'decides each of 40 orders charged and refunded at once for exactly one: charged then refunded, or void with no intent',
    async () => {
      const orders = Array.from({ length: 40 }, () => chargeRequest());
      // Half the pairs send the charge first, half the refund, so both sides get to win some. Charges go out
      // as a group commit at the next turn of the event loop: a refund sent in the same turn would always
      // be first, so the charge-first half sends its refund a few milliseconds later.
      const raced = await Promise.all(
        orders.map(async (request, i) => {
          const calls =
            i % 2
              ? [charge(request), sleep(3).then(() => refund(request.orderId))]
              : [refund(request.orderId), charge(request)];
          const [first, second] = await Promise.allSettled(calls);
          const [charged, refunded] = i % 2 ? [first, second] : [second, first];
          if (refunded.status === 'rejected') throw refunded.reason;
          return { request, charged, refunded: refunded.value as RefundResult };
        }),
      );

      let chargesWon = 0;
      for (const { request, charged, refunded } of raced) {
        const row = await stored(request.orderId);
        if (charged.status === 'fulfilled') {
          chargesWon++;
          const { paymentId } = charged.value as ChargeResult;
          // The refund came after the charge: it is recorded on the charge's intent, never lost.
          expect(refunded).toMatchObject({ paymentId, orderId: request.orderId, refundRequested: true });
          expect(row).toMatchObject({ claimed_by: 'charge', refund_requested: true });
        } else {
          expect(await failure(Promise.reject(charged.reason))).toMatchObject({ code: 'PAYMENT_VOIDED' });
          expect(refunded).toEqual({
            paymentId: null,
            orderId: request.orderId,
            status: 'NONE',
            refundRequested: true,
          });
          expect(row).toEqual({ claimed_by: 'void', status: null, refund_requested: null });
        }
      }
      expect(chargesWon).toBeGreaterThan(0);
      expect(chargesWon).toBeLessThan(orders.length);

      // Every charge that won goes back to the card.
      const charged = raced.filter((r) => r.charged.status === 'fulfilled').map((r) => r.request.orderId);
      for (const until = Date.now() + 15_000; Date.now() < until; await sleep(100)) {
        const { rows } = await sql.query(
          `SELECT 1 FROM payments.payment_intents WHERE order_id = ANY($1::uuid[]) AND status <> 'REFUNDED'`,
          [charged],
        );
        if (!rows.length) break;
      }
      const { rows } = await sql.query<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM payments.payment_intents WHERE order_id = ANY($1::uuid[]) GROUP BY 1`,
        [charged],
      );
      expect(rows).toEqual([{ status: 'REFUNDED', n: charged.length }]);
    },
    WAITS,
  );

  it(
    'stores charges that arrive together in shared statements and records their outcomes together, each once',
    async () => {
      const orders = Array.from({ length: 30 }, () => chargeRequest());
      // The same order twice in the batch: one intent, the same answer.
      const [results, again] = await Promise.all([Promise.all(orders.map(charge)), charge(orders[0])]);
      expect(again.paymentId).toBe(results[0].paymentId);
      expect(new Set(results.map((r) => r.paymentId)).size).toBe(orders.length);
      const ids = orders.map((o) => o.orderId);
      // Claims are never updated: their xmin is the transaction that stored them, fewer than one per charge.
      const { rows: claims } = await sql.query(
        `SELECT count(*)::int AS n, count(DISTINCT xmin::text)::int AS commits FROM payments.order_claims
         WHERE order_id = ANY($1::uuid[])`,
        [ids],
      );
      expect(claims[0].n).toBe(orders.length);
      expect(claims[0].commits).toBeLessThan(orders.length);
      let settled: { status: string; n: number }[] = [];
      for (const until = Date.now() + 15_000; Date.now() < until; await sleep(100)) {
        ({ rows: settled } = await sql.query(
          `SELECT status, count(*)::int AS n FROM payments.payment_intents WHERE order_id = ANY($1::uuid[]) GROUP BY 1`,
          [ids],
        ));
        if (settled.length === 1 && settled[0].status === 'SUCCEEDED') break;
      }
      expect(settled).toEqual([{ status: 'SUCCEEDED', n: orders.length }]);
      // One succeeded event per payment, none for a charge another batch row settled first.
      const { rows: events } = await sql.query(
        `SELECT count(*)::int AS n, count(DISTINCT aggregate_id)::int AS payments, count(DISTINCT xmin::text)::int AS commits
           FROM payments.outbox WHERE name = 'payments.payment-succeeded.v1' AND aggregate_id = ANY($1::text[])`,
        [results.map((r) => r.paymentId)],
      );
      expect(events[0]).toMatchObject({ n: orders.length, payments: orders.length });
      expect(events[0].commits).toBeLessThan(orders.length);
    },
    WAITS,
  );

  it('refuses a charge that waited on a void in progress, once the void commits: PAYMENT_VOIDED, no intent', async () => {
    const request = chargeRequest();
    const voiding = await holdOpen((tx) =>
      tx.query(`INSERT INTO payments.order_claims VALUES ($1, 'void', now())`, [request.orderId]).then(() => {}),
    );
    const late = failure(charge(request));
    await blockedOn('order_claims');
    await voiding.commit();
    expect(await late).toMatchObject({ code: 'PAYMENT_VOIDED' });
    expect(await stored(request.orderId)).toEqual({ claimed_by: 'void', status: null, refund_requested: null });
  });

  it('charges an order whose void in progress rolled back', async () => {
    const request = chargeRequest();
    const voiding = await holdOpen((tx) =>
      tx.query(`INSERT INTO payments.order_claims VALUES ($1, 'void', now())`, [request.orderId]).then(() => {}),
    );
    const charged = charge(request);
    await blockedOn('order_claims');
    await voiding.rollback();
    expect(await charged).toMatchObject({ orderId: request.orderId, status: 'PENDING' });
    expect(await stored(request.orderId)).toMatchObject({ claimed_by: 'charge', refund_requested: false });
  });

  it('records a refund that waited on a charge in progress on the intent, once the charge commits', async () => {
    const request = chargeRequest();
    const paymentId = randomUUID();
    // A charge's claim and intent, committed together as the charge's one statement does (due later, so
    // the worker leaves it alone).
    const charging = await holdOpen(async (tx) => {
      await tx.query(`INSERT INTO payments.order_claims VALUES ($1, 'charge', now())`, [request.orderId]);
      await tx.query(
        `INSERT INTO payments.payment_intents (id, order_id, user_id, amount_cents, currency, payment_token,
           idempotency_key, status, correlation_id, next_attempt_at, created_at, updated_at)
         VALUES ($1, $2, $3, 1250, 'EUR', 'tok_ok', $4, 'PENDING', 'held', now() + interval '1 hour', now(), now())`,
        [paymentId, request.orderId, request.userId, request.idempotencyKey],
      );
    });
    const refunded = refund(request.orderId);
    await blockedOn('order_claims');
    await charging.commit();
    expect(await refunded).toEqual({ paymentId, orderId: request.orderId, status: 'PENDING', refundRequested: true });
    expect(await stored(request.orderId)).toEqual({ claimed_by: 'charge', status: 'PENDING', refund_requested: true });
  });

  it('stores a new charge in one statement: no transaction, no lock', async () => {
    const request = chargeRequest();
    // Every statement the driver sends on behalf of this call (its async context), whatever the connection.
    const call = new AsyncLocalStorage<string[]>();
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
      call.getStore()?.push(text ?? '?');
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    const sent: string[] = [];
    try {
      expect(await call.run(sent, () => charge(request))).toMatchObject({ status: 'PENDING' });
    } finally {
      pg.Client.prototype.query = query;
    }
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^WITH v AS \(.*claim AS \(\s*INSERT INTO payments\.order_claims/s);
    expect(sent[0]).not.toMatch(/pg_advisory/);
  });

  it('answers a repeated charge with the stored intent, and other money with PAYMENT_MISMATCH', async () => {
    const request = chargeRequest();
    const first = await charge(request);
    expect(await charge(request)).toMatchObject({ paymentId: first.paymentId, orderId: request.orderId });
    expect(await failure(charge({ ...request, amountCents: 1 }))).toMatchObject({ code: 'PAYMENT_MISMATCH' });
    expect(await failure(charge({ ...request, userId: randomUUID() }))).toMatchObject({ code: 'PAYMENT_MISMATCH' });
  });

  // Last: it takes the tables back to the previous migration and forward again.
  it('claims, when migrating, every order charged or voided before: voids keep refusing charges', async () => {
    const migration = new OrderClaims1736200000000();
    const owner = await sql.connect();
    // As the context's role, which owns its tables (as when the monolith migrates).
    await owner.query('SET ROLE ficus_payments');
    const q = { query: (text: string) => owner.query(text) } as unknown as QueryRunner;
    // In a transaction of its own, as the migrator runs each migration.
    const migrate = async (step: 'up' | 'down') => {
      await owner.query('BEGIN');
      await migration[step](q);
      await owner.query('COMMIT');
    };
    const [chargedBefore, voidedBefore, chargedOld, voidedOld] = [0, 1, 2, 3].map(() => chargeRequest());
    try {
      const { paymentId } = await charge(chargedBefore);
      await refund(voidedBefore.orderId);
      await migrate('down');
      // Orders the previous version charged and voided, as it stored them.
      await owner.query(`INSERT INTO payments.voided_orders VALUES ($1, now())`, [voidedOld.orderId]);
      await owner.query(
        `INSERT INTO payments.payment_intents (id, order_id, user_id, amount_cents, currency, payment_token,
           idempotency_key, status, correlation_id, next_attempt_at, created_at, updated_at)
         VALUES ($1, $2, $3, 1250, 'EUR', 'tok_ok', $4, 'PENDING', 'old', now(), now(), now())`,
        [randomUUID(), chargedOld.orderId, chargedOld.userId, chargedOld.idempotencyKey],
      );
      await migrate('up');

      for (const voided of [voidedBefore, voidedOld]) {
        expect(await failure(charge(voided))).toMatchObject({ code: 'PAYMENT_VOIDED' });
        expect(await payment(voided.orderId)).toBeNull();
      }
      expect(await charge(chargedBefore)).toMatchObject({ paymentId });
      const old = await payment(chargedOld.orderId);
      expect(await charge(chargedOld)).toMatchObject({ paymentId: old?.paymentId });
      expect(await refund(chargedOld.orderId)).toMatchObject({ paymentId: old?.paymentId, refundRequested: true });
      const { rows } = await sql.query(`SELECT to_regclass('payments.voided_orders') AS gone`);
      expect(rows).toEqual([{ gone: null }]);
    } finally {
      await owner.query('RESET ROLE');
      owner.release();
    }
  });
});
