import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';
import { createTestDatabase, type TestDatabase, useTestEnv } from '@ficus/platform/testing';
import { signTestToken } from './tokens.js';

/**
 * The order saga across crashes: the monolith runs as a child process (monolith.process.mjs) and is
 * SIGKILLed between saga steps — by ORDERING_FAULT_KILL_AFTER_STEP right after each kind of step's call
 * answered and before its outcome committed (the worst moment: the effect happened, the saga does not
 * know), and by the test at an arbitrary moment under load — then started again. In the end every order is
 * CONFIRMED or CANCELLED with its compensation done: stock adds up, no charge is left without its order
 * or without its refund, and each fact was published once.
 */
const SCRIPT = new URL('./monolith.process.mjs', import.meta.url).pathname;
const TOKENS = ['tok_ok', 'tok_ok', 'tok_ok', 'tok_declined', 'tok_error'];

interface Monolith {
  child: ChildProcess;
  /**
   * Null when the process reached its fault step before it was ready: sagas the previous crash left
   * unfinished resume while the app starts, so the step it must die after can come before `listen`.
   */
  url: string | null;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

interface Placement {
  key: string;
  /** The last answer that was not a 202 (for the failure message). */
  lastStatus?: number;
  token: string;
  paymentToken: string;
  productId: string;
  quantity: number;
  orderId?: string;
}

describe('orders survive SIGKILL between saga steps', () => {
  let db: TestDatabase;
  let sql: pg.Pool;
  let port: number;
  const children: ChildProcess[] = [];
  const products: { id: string; stock: number }[] = [];
  const placements: Placement[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('orders-crash');
    await useTestEnv(db.url, {
      OUTBOX_LEASE_MS: '1500',
      OUTBOX_RECONCILE_INTERVAL_MS: '200',
      ORDERING_SAGA_SWEEP_MS: '200',
      PAYMENTS_POLL_INTERVAL_MS: '200',
      PAYMENTS_PROVIDER_TIMEOUT_MS: '300',
      PAYMENTS_BREAKER_THRESHOLD: '1000',
      RATE_LIMIT_PER_IP_PER_MIN: '1000000',
      RATE_LIMIT_PER_USER_PER_MIN: '1000000',
      DATABASE_POOL_SIZE: '5',
      // A key whose request died with the process is free again after this (then the retry places it).
      IDEMPOTENCY_LEASE_MS: '1000',
    });
    sql = new pg.Pool({ connectionString: db.url, max: 2 });
    port = await freePort();
  }, 60_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await sql?.end();
    await db?.drop();
  });

  async function start(env: Record<string, string> = {}): Promise<Monolith> {
    const child = spawn(process.execPath, [SCRIPT], {
      env: { ...process.env, PORT: String(port), ORDERING_FAULT_KILL_AFTER_STEP: 'none', ...env },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    children.push(child);
    const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal })) as Monolith['exited'];
    const faulty = (env.ORDERING_FAULT_KILL_AFTER_STEP ?? 'none') !== 'none';
    const url = await new Promise<string | null>((resolve, reject) => {
      let buffered = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const ready = /^ready (\S+)$/m.exec(buffered);
        if (ready) resolve(ready[1]);
      });
      void exited.then((e) => {
        if (faulty && e.signal === 'SIGKILL')
          resolve(null); // it killed itself at its fault step: that phase is done
        else reject(new Error(`monolith exited before it was ready (${e.code ?? e.signal})`));
      });
      setTimeout(() => reject(new Error('monolith not ready in 60 s')), 60_000).unref();
    });
    return { child, url, exited };
  }

  /** Sends a placement (again, with its key, if it never got an answer); a dead process is no answer. */
  async function place(m: Monolith, p: Placement): Promise<void> {
    if (p.orderId || !m.url) return;
    try {
      const res = await fetch(`${m.url}/v1/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json', 'idempotency-key': p.key },
        body: JSON.stringify({
          items: [{ productId: p.productId, quantity: p.quantity }],
          paymentToken: p.paymentToken,
        }),
      });
      if (res.status === 202) p.orderId = ((await res.json()) as { id: string }).id;
      else p.lastStatus = res.status;
    } catch {
      // The process died under the request: the client retries with the same key.
    }
  }

  async function newPlacements(count: number): Promise<Placement[]> {
    const batch = await Promise.all(
      Array.from({ length: count }, async (_, i) => ({
        key: randomUUID(),
        token: await signTestToken({ sub: randomUUID() }),
        paymentToken: TOKENS[i % TOKENS.length],
        productId: products[i % products.length].id,
        quantity: 1 + (i % 2),
      })),
    );
    placements.push(...batch);
    return batch;
  }

  const unfinished = async () =>
    (
      await sql.query(
        `SELECT count(*)::int AS n FROM ordering.order_sagas WHERE step NOT IN ('CONFIRMED', 'CANCELLED')`,
      )
    ).rows[0].n as number;

  async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function killedBy(m: Monolith, what: string): Promise<void> {
    const exit = await Promise.race([
      m.exited,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 60_000).unref()),
    ]);
    if (!exit) throw new Error(`the monolith never reached ${what}`);
    expect(placements.filter((p) => p.lastStatus && ![202, 409].includes(p.lastStatus))).toEqual([]);
    expect(exit.signal).toBe('SIGKILL');
  }

  it('ends every order CONFIRMED or CANCELLED with stock, payments and events consistent', async () => {
    // 1. Killed right after the first stock reservation answered, before the saga recorded it.
    let m = await start({ ORDERING_FAULT_KILL_AFTER_STEP: 'reserve-stock' });
    await seedCatalog();
    const first = await newPlacements(15);
    await Promise.all(first.map((p) => place(m, p)));
    await killedBy(m, 'a stock reservation');

    // 2. Killed right after payments stored the first charge. Unanswered placements are retried.
    m = await start({ ORDERING_FAULT_KILL_AFTER_STEP: 'charge' });
    await Promise.all(first.map((p) => place(m, p)));
    await killedBy(m, 'a charge');

    // 3. Killed right after the first stock release (a declined or failed payment's compensation).
    m = await start({ ORDERING_FAULT_KILL_AFTER_STEP: 'release-stock' });
    await Promise.all(first.map((p) => place(m, p)));
    await killedBy(m, 'a stock release');

    // 4. Killed right after the first refund: users cancel confirmed orders.
    m = await start({ ORDERING_FAULT_KILL_AFTER_STEP: 'refund' });
    await Promise.all(first.map((p) => place(m, p)));
    const confirmed = m.url ? await confirmedOrders(2) : [];
    const m4 = m;
    await Promise.all(confirmed.map((p) => cancel(m4, p)));
    await killedBy(m, 'a refund');

    // 5. Killed by the test at an arbitrary moment while a burst of new orders is in flight.
    m = await start();
    const burst = await newPlacements(20);
    const m5 = m;
    const inFlight = Promise.all(burst.map((p) => place(m5, p)));
    await new Promise((resolve) => setTimeout(resolve, 150));
    m.child.kill('SIGKILL');
    await inFlight;
    await killedBy(m, 'the external kill');

    // 6. A clean run: retries of unanswered placements (a key its dead request still holds is 409 until its
    // lease runs out), then every saga finishes.
    m = await start();
    const m6 = m;
    await until(async () => {
      await Promise.all(placements.map((p) => place(m6, p)));
      return placements.every((p) => p.orderId);
    }, 'every placement to be answered 202');
    await until(async () => (await unfinished()) === 0, 'every saga to finish');
    await until(
      async () =>
        (
          await sql.query(
            `SELECT count(*)::int AS n FROM payments.payment_intents
             WHERE status = 'PENDING' OR (status = 'SUCCEEDED' AND refund_requested)`,
          )
        ).rows[0].n === 0,
      'payments to settle',
    );
    await verifyConsistency();
    m.child.kill('SIGTERM');
    await m.exited;
  }, 600_000);

  async function seedCatalog(): Promise<void> {
    const category = randomUUID();
    await sql.query(`INSERT INTO catalog.categories (id, slug, name) VALUES ($1, $2, 'Crash')`, [
      category,
      `crash-${port}`,
    ]);
    for (const [i, stock] of [6, 8, 40].entries()) {
      const id = randomUUID();
      await sql.query(
        `INSERT INTO catalog.products (id, sku, name, description, price_cents, currency, category_id, stock,
           created_at, updated_at) VALUES ($1, $2, $3, '', $4, 'EUR', $5, $6, now(), now())`,
        [id, `CRASH-${port}-${i}`, `Crash ${i}`, 1000 + i, category, stock],
      );
      products.push({ id, stock });
    }
  }

  /** Waits until `n` orders are CONFIRMED and answers their placements. */
  async function confirmedOrders(n: number): Promise<Placement[]> {
    let rows: { id: string }[] = [];
    await until(async () => {
      rows = (await sql.query(`SELECT id FROM ordering.orders WHERE status = 'CONFIRMED' LIMIT $1`, [n])).rows;
      return rows.length === n;
    }, `${n} confirmed orders`);
    return rows.map((r) => placements.find((p) => p.orderId === r.id)!).filter(Boolean);
  }

  async function cancel(m: Monolith, p: Placement): Promise<void> {
    if (!m.url) return;
    const res = await fetch(`${m.url}/v1/orders/${p.orderId}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${p.token}` },
    }).catch(() => undefined);
    if (res) expect([200, 409]).toContain(res.status);
  }

  async function verifyConsistency(): Promise<void> {
    const orders = (
      await sql.query(
        `SELECT o.id, o.status, o.cancellation_reason, s.step, l.product_id, l.quantity
         FROM ordering.orders o JOIN ordering.order_sagas s ON s.order_id = o.id
         JOIN ordering.order_lines l ON l.order_id = o.id`,
      )
    ).rows as { id: string; status: string; step: string; product_id: string; quantity: number }[];
    expect(orders).toHaveLength(placements.length);
    expect(new Set(orders.map((o) => o.id))).toEqual(new Set(placements.map((p) => p.orderId)));
    expect(orders.filter((o) => !['CONFIRMED', 'CANCELLED'].includes(o.status))).toEqual([]);
    expect(orders.filter((o) => o.step !== o.status)).toEqual([]);
    const confirmed = orders.filter((o) => o.status === 'CONFIRMED');
    const outcomes: Record<string, number> = {};
    for (const o of orders) {
      const outcome = (o as { cancellation_reason?: string }).cancellation_reason ?? o.status;
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
    process.stdout.write(`crash test: ${orders.length} orders ${JSON.stringify(outcomes)}\n`);
    expect(confirmed.length).toBeGreaterThan(0);
    expect(orders.some((o) => o.status === 'CANCELLED')).toBe(true);

    // Stock: what is left is what was there minus what confirmed orders hold; nothing else is reserved.
    for (const product of products) {
      const held = confirmed.filter((o) => o.product_id === product.id).reduce((sum, o) => sum + o.quantity, 0);
      const { rows } = await sql.query('SELECT stock FROM catalog.products WHERE id = $1', [product.id]);
      expect({ product: product.id, stock: rows[0].stock }).toEqual({
        product: product.id,
        stock: product.stock - held,
      });
    }
    const reserved = (
      await sql.query(`SELECT order_id FROM catalog.reservation_outcomes WHERE status = 'RESERVED'`)
    ).rows.map((r) => r.order_id as string);
    expect(new Set(reserved)).toEqual(new Set(confirmed.map((o) => o.id)));

    // Payments: every charge belongs to an order; a confirmed order's is captured, a cancelled one's is
    // refunded or never captured.
    const payments = (await sql.query('SELECT order_id, status FROM payments.payment_intents')).rows as {
      order_id: string;
      status: string;
    }[];
    const byOrder = new Map(orders.map((o) => [o.id, o.status]));
    for (const payment of payments) {
      const status = byOrder.get(payment.order_id);
      expect({ order: payment.order_id, status }).toEqual({ order: payment.order_id, status: expect.any(String) });
      const allowed = status === 'CONFIRMED' ? ['SUCCEEDED'] : ['FAILED', 'REFUNDED'];
      expect({ order: payment.order_id, ok: allowed.includes(payment.status) }).toEqual({
        order: payment.order_id,
        ok: true,
      });
    }
    for (const o of confirmed) expect(payments.find((p) => p.order_id === o.id)?.status).toBe('SUCCEEDED');

    // Facts: placed once per order; confirmed/cancelled once each, matching the outcome.
    const facts = (
      await sql.query(`SELECT aggregate_id, name, count(*)::int AS n FROM ordering.outbox GROUP BY aggregate_id, name`)
    ).rows as { aggregate_id: string; name: string; n: number }[];
    expect(facts.filter((f) => f.n !== 1)).toEqual([]);
    for (const o of orders) {
      const names = facts.filter((f) => f.aggregate_id === o.id).map((f) => f.name);
      expect(names).toContain('ordering.order-placed.v1');
      expect(names.includes('ordering.order-cancelled.v1')).toBe(o.status === 'CANCELLED');
    }
  }
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      server.close(() => resolve(address.port));
    });
  });
}
