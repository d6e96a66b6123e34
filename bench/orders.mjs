// Order placement under load, and how many orders per second the saga confirms behind it (issue 8). A
// section of `npm run bench` (after the load scenarios and the events section; `BENCH_ONLY=orders` runs it
// alone, `BENCH_ONLY=bare-health,orders` with the bare baseline), or on its own: `npx node bench/orders.mjs`.
//
// Its own database (`ficus_bench_or_<run>`, created and migrated by the first monolith's start-up, dropped
// at the end) and Redis prefix. Twice, the same way:
//   in-process  one monolith, every context in it;
//   extracted   the ordering and payments hosts (`dist/apps/extracted/{ordering,payments}`) and a monolith
//               with FICUS_REMOTE_CONTEXTS=ordering,payments (the same database, orders of other users).
// 1. setup (first mode only): an admin (registered, `cli.js users:grant-admin`, logged in again), a category
//    and BENCH_ORDERS_PRODUCTS products with a stock that cannot run out, through the admin API; then, per
//    mode, BENCH_ORDERS_USERS users, registered through the API;
// 2. one probe `POST /v1/orders` (202, PENDING), a warm-up of BENCH_WARMUP_S s whose orders must all be
//    CONFIRMED before the measurement starts;
// 3. autocannon, BENCH_CONNECTIONS connections for BENCH_DURATION_S s: `POST /v1/orders` with a unique
//    `Idempotency-Key` per request, users and products in turn, one line of quantity 1, `tok_ok`; every
//    answer must be 202;
// 4. end to end: from the first POST until every order placed in the load window is CONFIRMED (polled as
//    postgres in ordering.orders; the end is the last order's updated_at). An order CANCELLED, or still
//    PENDING BENCH_ORDERS_DRAIN_S s after the load, fails the run.
// Where the time goes: CPU per order of each Ficus process, of this database's Postgres backends and of
// Redis; Postgres round trips per order by statement kind and the wait for a pooled connection, counted
// inside each Ficus process by a preload (lib/pg-stats-shim.mjs); and the saga's timeline per order, read
// back from the tables each step writes.
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { deleteRedisKeys, dropDatabase } from './lib/cleanup.mjs';
import { runLoad } from './lib/load.mjs';
import { BenchError, cpuMeter, killAllChildrenNow, log, processCpuSeconds, request } from './lib/proc.mjs';
import { runFicusCli, startContextHost, startFicus } from './lib/servers.mjs';

const PG_STATS_SHIM = fileURLToPath(new URL('./lib/pg-stats-shim.mjs', import.meta.url));
const PG_STATS_LINE = 'ficus-bench-pg-stats ';
const PASSWORD = 'bench-password-123';
const PAYMENT_TOKEN = 'tok_ok';
const STOCK = 1_000_000_000;

// BENCH_ORDERS_REMOTE changes what the extracted mode takes out of the monolith (to see what each host costs).
const REMOTE = (process.env.BENCH_ORDERS_REMOTE ?? 'ordering,payments')
  .split(',')
  .map((c) => c.trim())
  .filter(Boolean);

/**
 * The modes, in the order they run. `acceptOnly` (not in the default list) is an investigation: the
 * monolith with OUTBOX_RELAY_ENABLED=false, so no relay, saga sweeper or payment worker runs and the load
 * measures accepting orders alone (they stay PENDING; it runs last, so no later mode inherits them).
 */
export const MODES = {
  inProcess: { label: 'in-process', remote: [] },
  extracted: { label: `${REMOTE.join(' + ')} extracted`, remote: REMOTE },
  acceptOnly: { label: 'accepting only (no relay, saga or payment worker)', remote: [], acceptOnly: true },
};

export const ordersSettings = () => ({
  users: envInt('BENCH_ORDERS_USERS', 10),
  // Several products: every order reserves stock with `UPDATE … WHERE stock >= n` on its product's row, and
  // one row for every order would measure that row's lock queue (a flash sale) rather than the shop.
  products: envInt('BENCH_ORDERS_PRODUCTS', 20),
  drainS: envInt('BENCH_ORDERS_DRAIN_S', 120),
  // After the load: orders one at a time, to see the saga's own latency without queues.
  pacedRate: envInt('BENCH_ORDERS_PACED_RATE', 10),
  pacedSeconds: envInt('BENCH_ORDERS_PACED_S', 5),
  modes: (process.env.BENCH_ORDERS_MODES ?? 'inProcess,extracted')
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean)
    .map((m) => {
      if (!MODES[m]) throw new Error(`BENCH_ORDERS_MODES: unknown mode "${m}" (${Object.keys(MODES).join(', ')})`);
      return m;
    })
    .sort((a, b) => Object.keys(MODES).indexOf(a) - Object.keys(MODES).indexOf(b)),
});

/** An upper bound of the section's wall time (for the runner's time limit): starts, loads, the drain bound. */
export function ordersBudgetS({ warmupS, durationS }) {
  const { modes, drainS, pacedSeconds } = ordersSettings();
  return modes.length * (90 + warmupS + durationS + pacedSeconds) + 2 * drainS;
}

/**
 * Runs the section. `load` is `{ connections, warmupS, durationS }` (the runner's settings). `track` lets
 * the caller clean up after an abort: `process(handle)`, `database(url)`, `redisPrefix(prefix)`.
 */
export async function runOrdersBench({ pgUrl, redisUrl, runId, jwtKeyFile, load, track = {} }) {
  const settings = ordersSettings();
  const databaseUrl = `${pgUrl}/ficus_bench_or_${runId}`;
  const ctx = { runId, databaseUrl, redisUrl, redisPrefix: `ficus-bench-or-${runId}`, jwtKeyFile };
  track.database?.(databaseUrl);
  track.redisPrefix?.(ctx.redisPrefix);
  const out = { database: databaseUrl.split('/').pop(), settings, load, modes: {} };
  const shared = { products: null, db: null };
  try {
    for (const mode of settings.modes) {
      out.modes[mode] = await runMode(mode, ctx, settings, load, shared, track);
    }
    const { inProcess, extracted } = out.modes;
    if (inProcess?.placement && extracted?.placement) {
      out.extractedVsInProcess = {
        acceptedPerSec: round2(extracted.placement.reqPerSec / inProcess.placement.reqPerSec),
        confirmedPerSec: round2(extracted.endToEnd.confirmedPerSec / inProcess.endToEnd.confirmedPerSec),
      };
    }
    return out;
  } finally {
    await shared.db?.end().catch(() => undefined);
    await dropDatabase(databaseUrl).catch((error) => log(`orders: could not drop ${databaseUrl}: ${error.message}`));
    await deleteRedisKeys(redisUrl, ctx.redisPrefix).catch((error) =>
      log(`orders: could not delete Redis keys ${ctx.redisPrefix}:*: ${error.message}`),
    );
  }
}

async function runMode(mode, ctx, settings, load, shared, track) {
  const { label, remote, acceptOnly = false } = MODES[mode];
  const result = { label, remote, acceptOnly, loadAvgBefore: loadAvg() };
  log(`orders (${label}): starting${remote.length ? ` the ${remote.join(' and ')} hosts, then` : ''} the monolith…`);
  const servers = await startServers(ctx, remote, track, acceptOnly ? { OUTBOX_RELAY_ENABLED: 'false' } : {});
  try {
    result.startup = Object.fromEntries(Object.entries(servers.parts).map(([k, h]) => [k, h.startup]));
    shared.db ??= await connect(ctx.databaseUrl);
    const db = shared.db;
    const base = servers.monolith.baseUrl;
    shared.products ??= await createProducts(ctx, base, settings.products);
    const users = await registerUsers(base, `${mode}-${ctx.runId}`, settings.users);
    const userIds = users.map((u) => u.id);
    const bodies = shared.products.map((id) =>
      JSON.stringify({ items: [{ productId: id, quantity: 1 }], paymentToken: PAYMENT_TOKEN }),
    );

    await probe(base, users[0], bodies[0]);
    const unexpected = [];
    const loadOptions = (keyPrefix, durationS) => {
      let n = 0;
      return {
        url: `${base}/v1/orders`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: bodies[0],
        durationS,
        connections: load.connections,
        expectStatus: 202,
        setupRequest: (req) => {
          const i = n++;
          req.headers = {
            ...req.headers,
            authorization: `Bearer ${users[i % users.length].accessToken}`,
            'idempotency-key': `${keyPrefix}${i}`,
          };
          req.body = bodies[i % bodies.length];
          return req;
        },
        onResponse: (status, body) => {
          if (status !== 202 && unexpected.length < 3) unexpected.push(`${status} ${String(body).slice(0, 400)}`);
        },
      };
    };

    log(
      `orders (${label}): warm-up ${load.warmupS} s (not counted)` +
        (acceptOnly ? '…' : ', then every warm-up order confirmed…'),
    );
    const warmStart = wallNow();
    const warmup = await runLoad(loadOptions(`w-${mode}-`, load.warmupS));
    assertLoad(warmup, unexpected, servers, 'warm-up');
    if (!acceptOnly) await settle(db, userIds, warmStart - 1000, settings.drainS, servers, 'warm-up');
    servers.assertAlive();

    log(`orders (${label}): measuring (${load.durationS} s, ${load.connections} connections)…`);
    const meters = await startMeters(servers, db, ctx.databaseUrl);
    const pgBefore = await pgStats(servers);
    const startedAt = wallNow();
    const placement = await runLoad(loadOptions(`m-${mode}-`, load.durationS));
    const loadEndedAt = wallNow();
    assertLoad(placement, unexpected, servers, 'load');
    const atLoadEnd = await countByStatus(db, userIds, startedAt);
    result.placement = {
      reqPerSec: round2(placement.reqPerSec),
      accepted: placement.status.codes['202'] ?? 0,
      latencyMs: placement.latencyMs,
      errors: placement.errors,
      timeouts: placement.timeouts,
    };
    if (acceptOnly) {
      const cpu = await meters.stop();
      const pgAfter = await pgStats(servers);
      result.loadAvgAfter = loadAvg();
      const placed = Object.values(atLoadEnd).reduce((sum, n) => sum + n, 0);
      if (atLoadEnd.PENDING !== placed) {
        throw new BenchError(`with the relay off every order should stay PENDING: ${JSON.stringify(atLoadEnd)}`);
      }
      result.accepted = { orders: placed };
      result.where = whereTheTimeGoes(cpu, pgBefore, pgAfter, placed);
      log(
        `  ${Math.round(placement.reqPerSec)} 202/s, p50 ${placement.latencyMs.p50} ms, p99 ${placement.latencyMs.p99} ms ` +
          `(${placed} orders, all PENDING)`,
      );
      log(`  ${describeCpu(result.where)}`);
      return result;
    }
    const drain = await settle(db, userIds, startedAt, settings.drainS, servers, 'load');
    const cpu = await meters.stop();
    const pgAfter = await pgStats(servers);
    result.loadAvgAfter = loadAvg();

    const placed = drain.counts.CONFIRMED;
    const { lastConfirmedAt, lag } = await confirmationTimes(db, userIds, startedAt);
    const seconds = (lastConfirmedAt - startedAt) / 1000;
    const drainMs = lastConfirmedAt - loadEndedAt;
    result.endToEnd = {
      orders: placed,
      // autocannon stops counting at the end of the window; answers still in flight then add orders.
      ordersBeyondCountedAnswers: placed - result.placement.accepted,
      seconds: round2(seconds),
      confirmedPerSec: Math.round(placed / seconds),
      confirmedDuringLoad: atLoadEnd.CONFIRMED ?? 0,
      pendingAtLoadEnd: atLoadEnd.PENDING ?? 0,
      drainAfterLoadMs: Math.round(drainMs),
      // What the saga confirms once the load has stopped and it has the machine (when that took a while).
      drainConfirmedPerSec:
        drainMs > 1000 ? Math.round((placed - (atLoadEnd.CONFIRMED ?? 0)) / (drainMs / 1000)) : null,
      placeToConfirmedMs: lag,
    };
    result.where = whereTheTimeGoes(cpu, pgBefore, pgAfter, placed);
    result.timeline = await sagaTimeline(db, userIds, startedAt).catch((error) => ({ error: error.message }));
    const e = result.endToEnd;
    log(
      `  ${Math.round(placement.reqPerSec)} 202/s, p50 ${placement.latencyMs.p50} ms, p99 ${placement.latencyMs.p99} ms; ` +
        `${placed} orders CONFIRMED ${e.seconds} s after the first POST: ${e.confirmedPerSec}/s end to end ` +
        `(${e.pendingAtLoadEnd} PENDING when the load stopped; place → confirmed p50 ${lag.p50} / p99 ${lag.p99} ms)`,
    );
    log(`  ${describeCpu(result.where)}`);

    // The same pipeline without a queue in front of any step: a few orders per second.
    const total = Math.round(settings.pacedRate * settings.pacedSeconds);
    log(`orders (${label}): ${settings.pacedRate} orders/s for ${settings.pacedSeconds} s, one at a time…`);
    const pacedStart = wallNow();
    const accepted = await pacedOrders(base, users, bodies, total, settings.pacedRate, `p-${mode}-`);
    await settle(db, userIds, pacedStart, settings.drainS, servers, 'paced orders');
    const pacedTimes = await confirmationTimes(db, userIds, pacedStart);
    result.paced = {
      orders: total,
      ratePerSec: settings.pacedRate,
      acceptedMs: stats(accepted),
      placeToConfirmedMs: pacedTimes.lag,
      timeline: await sagaTimeline(db, userIds, pacedStart).catch((error) => ({ error: error.message })),
    };
    log(
      `  202 p50 ${result.paced.acceptedMs.p50} ms; place → CONFIRMED p50 ${pacedTimes.lag.p50} / p99 ${pacedTimes.lag.p99} ms`,
    );
    return result;
  } finally {
    await servers.stop();
  }
}

/** The monolith, after the context hosts it calls; every Ficus process with the pg-stats preload. */
async function startServers(ctx, remote, track, monolithEnv = {}) {
  const nodeArgs = ['--import', PG_STATS_SHIM];
  const parts = {};
  const stopAll = () => Promise.all(Object.values(parts).map((h) => h.stop(5000).catch(() => undefined)));
  try {
    for (const context of remote) {
      parts[`${context}Host`] = await startContextHost(ctx, context, {
        name: `${context}-host-orders`,
        nodeArgs,
        // Until a context is extracted (`npm run extract`), the same bootstrapContextHost call from the build.
        allowGeneric: true,
      });
      track.process?.(parts[`${context}Host`]);
    }
    parts.monolith = await startFicus(ctx, {
      name: remote.length ? `ficus-orders-remote` : 'ficus-orders',
      nodeArgs,
      env: { ...(remote.length ? { FICUS_REMOTE_CONTEXTS: remote.join(',') } : {}), ...monolithEnv },
      // Ready once its database is migrated and, with remote contexts, their hosts answer over Redis.
      readyPath: '/health/ready',
    });
    track.process?.(parts.monolith);
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    monolith: parts.monolith,
    parts,
    assertAlive() {
      const gone = Object.values(parts).find((p) => p.exitInfo);
      if (gone) throw new BenchError(`${gone.name} exited`, gone.tail());
    },
    tail: () =>
      Object.values(parts)
        .map((p) => `--- ${p.name}\n${p.tail()}`)
        .join('\n'),
    stop: stopAll,
  };
}

async function connect(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'ficus-bench-orders' });
  await client.connect();
  return client;
}

async function expectJson(res, status, what) {
  if (res.status !== status) throw new BenchError(`${what} answered ${res.status}, expected ${status}`, res.body);
  return JSON.parse(res.body);
}

/** An admin (register, grant through the CLI, log in again for a token with the role), a category, products. */
async function createProducts(ctx, base, count) {
  const email = `bench-admin-${ctx.runId}@example.com`;
  await expectJson(
    await request(`${base}/v1/auth/register`, {
      method: 'POST',
      body: { email, password: PASSWORD, name: 'Bench Admin' },
    }),
    201,
    'register (admin)',
  );
  await runFicusCli(ctx, ['users:grant-admin', email]);
  const { accessToken } = await expectJson(
    await request(`${base}/v1/auth/login`, { method: 'POST', body: { email, password: PASSWORD } }),
    200,
    'login (admin)',
  );
  const authorization = `Bearer ${accessToken}`;
  await expectJson(
    await request(`${base}/v1/admin/categories`, {
      method: 'POST',
      headers: { authorization },
      body: { slug: 'bench-orders', name: 'Bench orders' },
    }),
    201,
    'POST /v1/admin/categories',
  );
  const ids = [];
  for (let i = 0; i < count; i++) {
    const product = await expectJson(
      await request(`${base}/v1/admin/products`, {
        method: 'POST',
        headers: { authorization },
        body: {
          sku: `BENCH-ORDER-${i}`,
          name: `Bench product ${i}`,
          description: 'Ordered by the bench.',
          priceCents: 1999,
          currency: 'EUR',
          categorySlug: 'bench-orders',
          stock: STOCK,
        },
      }),
      201,
      'POST /v1/admin/products',
    );
    ids.push(product.id);
  }
  return ids;
}

async function registerUsers(base, tag, count) {
  const users = [];
  for (let i = 0; i < count; i++) {
    const body = await expectJson(
      await request(`${base}/v1/auth/register`, {
        method: 'POST',
        body: { email: `bench-orders-${tag}-${i}@example.com`, password: PASSWORD, name: `Bench Buyer ${i}` },
      }),
      201,
      'register',
    );
    users.push({ id: body.user.id, accessToken: body.accessToken });
  }
  return users;
}

/** One order before any load: 202, PENDING, a Location. */
async function probe(base, user, body) {
  const res = await request(`${base}/v1/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${user.accessToken}`, 'idempotency-key': `probe-${wallNow()}` },
    body,
  });
  const order = await expectJson(res, 202, 'POST /v1/orders (probe)');
  if (order.status !== 'PENDING' || !res.headers.location) {
    throw new BenchError(
      'the probe order is not PENDING with a Location',
      `${JSON.stringify(res.headers)}\n${res.body}`,
    );
  }
}

function assertLoad(result, unexpected, servers, phase) {
  const problems = [];
  if (result.status.unexpected) {
    problems.push(`${result.status.unexpected} answers other than 202 (${JSON.stringify(result.status.codes)})`);
  }
  if (result.errors) problems.push(`${result.errors} connection errors`);
  if (result.timeouts) problems.push(`${result.timeouts} timeouts`);
  if (!result.totalRequests) problems.push('no request completed');
  if (problems.length) {
    throw new BenchError(
      `POST /v1/orders during the ${phase}: ${problems.join(', ')}`,
      `${unexpected.join('\n')}\n${servers.tail()}`,
    );
  }
  servers.assertAlive();
}

/** `total` orders at `rate` per second, each on a fresh connection; resolves with each one's 202 latency (ms). */
async function pacedOrders(base, users, bodies, total, rate, keyPrefix) {
  const started = performance.now();
  const pending = [];
  for (let i = 0; i < total; i++) {
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    const sentAt = performance.now();
    pending.push(
      request(`${base}/v1/orders`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${users[i % users.length].accessToken}`,
          'idempotency-key': `${keyPrefix}${i}`,
        },
        body: bodies[i % bodies.length],
      }).then((res) => {
        if (res.status !== 202) throw new BenchError(`a paced POST /v1/orders answered ${res.status}`, res.body);
        return performance.now() - sentAt;
      }),
    );
  }
  return Promise.all(pending);
}

async function countByStatus(db, userIds, since) {
  const { rows } = await db.query(
    `SELECT status, count(*)::int AS n FROM ordering.orders
     WHERE user_id = ANY($1::uuid[]) AND created_at >= to_timestamp($2::float8 / 1000) GROUP BY status`,
    [userIds, since],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/**
 * Polls until no order of these users placed since `since` is PENDING. Fails at once when one is
 * CANCELLED, and when some are still PENDING `drainS` seconds on.
 */
async function settle(db, userIds, since, drainS, servers, phase) {
  const started = performance.now();
  const deadline = started + drainS * 1000;
  for (;;) {
    const counts = await countByStatus(db, userIds, since);
    if (counts.CANCELLED) {
      const { rows } = await db.query(
        `SELECT o.cancellation_reason, count(*)::int AS n, min(s.last_error) AS last_error
         FROM ordering.orders o JOIN ordering.order_sagas s ON s.order_id = o.id
         WHERE o.user_id = ANY($1::uuid[]) AND o.created_at >= to_timestamp($2::float8 / 1000) AND o.status = 'CANCELLED'
         GROUP BY 1`,
        [userIds, since],
      );
      throw new BenchError(
        `${counts.CANCELLED} orders of the ${phase} were CANCELLED (every one should be CONFIRMED)`,
        `${JSON.stringify(rows)}\n${servers.tail()}`,
      );
    }
    if (!counts.PENDING) return { counts: { CONFIRMED: counts.CONFIRMED ?? 0 }, ms: performance.now() - started };
    servers.assertAlive();
    if (performance.now() > deadline) {
      const { rows } = await db.query(
        `SELECT s.step, count(*)::int AS n, min(s.last_error) AS last_error, max(s.attempts) AS attempts
         FROM ordering.orders o JOIN ordering.order_sagas s ON s.order_id = o.id
         WHERE o.user_id = ANY($1::uuid[]) AND o.created_at >= to_timestamp($2::float8 / 1000) AND o.status = 'PENDING'
         GROUP BY 1`,
        [userIds, since],
      );
      throw new BenchError(
        `${counts.PENDING} orders of the ${phase} still PENDING ${drainS} s after it (BENCH_ORDERS_DRAIN_S); ` +
          `${counts.CONFIRMED ?? 0} CONFIRMED`,
        `saga steps of the PENDING ones: ${JSON.stringify(rows)}\n${servers.tail()}`,
      );
    }
    await sleep(100);
  }
}

/** The last order's confirmation (its updated_at, epoch ms) and place → confirmed per order. */
async function confirmationTimes(db, userIds, since) {
  const { rows } = await db.query(
    `SELECT extract(epoch FROM created_at) * 1000 AS placed, extract(epoch FROM updated_at) * 1000 AS confirmed
     FROM ordering.orders WHERE user_id = ANY($1::uuid[]) AND created_at >= to_timestamp($2::float8 / 1000)`,
    [userIds, since],
  );
  const lag = stats(rows.map((r) => Number(r.confirmed) - Number(r.placed)));
  return { lastConfirmedAt: Math.max(...rows.map((r) => Number(r.confirmed))), lag };
}

/**
 * The saga of each order, step by step, from the rows each step leaves (all timestamps from this machine's
 * clock): order placed (orders.created_at, taken in the request) → its `order-placed` event fanned out by
 * the relay → taken in by ordering's inbox (the saga starts) → stock reserved in catalog → the charge stored
 * in payments → the provider's answer settled (the `payment-succeeded` event written) → fanned out → taken
 * in by ordering → CONFIRMED (orders.updated_at).
 */
async function sagaTimeline(db, userIds, since) {
  const { rows } = await db.query(
    `WITH o AS (
       SELECT id, created_at, updated_at FROM ordering.orders
       WHERE user_id = ANY($1::uuid[]) AND created_at >= to_timestamp($2::float8 / 1000)
     )
     SELECT extract(epoch FROM o.created_at) * 1000 AS placed,
            extract(epoch FROM op.fanned_out_at) * 1000 AS placed_fanned_out,
            extract(epoch FROM ip.processed_at) * 1000 AS saga_started,
            extract(epoch FROM r.decided_at) * 1000 AS stock_reserved,
            extract(epoch FROM pi.created_at) * 1000 AS charge_stored,
            extract(epoch FROM ps.created_at) * 1000 AS charge_settled,
            extract(epoch FROM ps.fanned_out_at) * 1000 AS paid_fanned_out,
            extract(epoch FROM iq.processed_at) * 1000 AS paid_taken_in,
            extract(epoch FROM o.updated_at) * 1000 AS confirmed
     FROM o
     LEFT JOIN ordering.outbox op ON op.name = 'ordering.order-placed.v1' AND op.aggregate_id = o.id::text
     LEFT JOIN ordering.inbox ip ON ip.event_id = op.id AND ip.consumer = 'ordering'
     LEFT JOIN catalog.reservation_outcomes r ON r.order_id = o.id
     LEFT JOIN payments.payment_intents pi ON pi.order_id = o.id
     LEFT JOIN payments.outbox ps ON ps.name = 'payments.payment-succeeded.v1' AND ps.payload ->> 'orderId' = o.id::text
     LEFT JOIN ordering.inbox iq ON iq.event_id = ps.id AND iq.consumer = 'ordering'`,
    [userIds, since],
  );
  const steps = [
    ['placed → order-placed fanned out (commit + relay pickup)', 'placed', 'placed_fanned_out'],
    ['→ saga started (ordering inbox)', 'placed_fanned_out', 'saga_started'],
    ['→ stock reserved (catalog)', 'saga_started', 'stock_reserved'],
    ['→ charge stored (payments)', 'stock_reserved', 'charge_stored'],
    ['→ provider answered, settled (payment worker)', 'charge_stored', 'charge_settled'],
    ['→ payment-succeeded fanned out (relay)', 'charge_settled', 'paid_fanned_out'],
    ['→ taken in by ordering', 'paid_fanned_out', 'paid_taken_in'],
    ['→ CONFIRMED', 'paid_taken_in', 'confirmed'],
  ];
  const missing = rows.filter((r) => steps.some(([, a, b]) => r[a] === null || r[b] === null)).length;
  return {
    orders: rows.length,
    incomplete: missing,
    steps: steps.map(([step, from, to]) => ({
      step,
      ms: stats(rows.map((r) => (r[from] === null || r[to] === null ? NaN : Number(r[to]) - Number(r[from])))),
    })),
  };
}

/** This database's client backends and their roles (one role per context: ficus_ordering, ficus_catalog…). */
async function databaseBackends(db, databaseUrl) {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  const { rows } = await db.query(
    `SELECT pid, usename AS role FROM pg_stat_activity
     WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    [name],
  );
  return rows;
}

/** The Redis server the bench uses, when it runs on this machine (`redis-server …:<port>`). */
function redisServerPid() {
  const port = new URL(process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379').port || '6379';
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.startsWith('redis-server') && cmdline.includes(`:${port}`)) return Number(entry);
    } catch {
      // gone
    }
  }
  return null;
}

/**
 * CPU over the measurement (load + drain) of each Ficus process, of this database's Postgres backends (by
 * role, i.e. by context; a backend opened during the measurement counts whole, one closed during it is
 * missed) and of Redis.
 */
async function startMeters(servers, db, databaseUrl) {
  const machine = cpuMeter(servers.monolith.pid);
  const parts = Object.entries(servers.parts).map(([key, h]) => [key, h.pid, processCpuSeconds(h.pid)]);
  const redisPid = redisServerPid();
  const redisStart = redisPid ? processCpuSeconds(redisPid) : null;
  const backendsStart = new Map(
    (await databaseBackends(db, databaseUrl)).map((b) => [b.pid, processCpuSeconds(b.pid) ?? 0]),
  );
  return {
    async stop() {
      const m = machine();
      const redisEnd = redisPid ? processCpuSeconds(redisPid) : null;
      const byRole = {};
      let missed = 0;
      const seen = new Set();
      for (const { pid, role } of await databaseBackends(db, databaseUrl)) {
        const end = processCpuSeconds(pid);
        if (end === null) continue;
        seen.add(pid);
        byRole[role] = (byRole[role] ?? 0) + end - (backendsStart.get(pid) ?? 0);
      }
      for (const pid of backendsStart.keys()) if (!seen.has(pid)) missed++;
      return {
        seconds: m.seconds,
        processes: Object.fromEntries(
          parts.map(([key, pid, start]) => {
            const end = processCpuSeconds(pid);
            return [key, end === null || start === null ? null : end - start];
          }),
        ),
        postgresBackends: {
          seconds: Object.values(byRole).reduce((sum, v) => sum + v, 0),
          byRole,
          backends: seen.size,
          gone: missed,
        },
        redis: redisEnd === null || redisStart === null ? null : redisEnd - redisStart,
        runnerCores: m.runnerCores,
        machineBusyCores: m.machineBusyCores,
      };
    },
  };
}

/** Each Ficus process's cumulative Postgres counters (lib/pg-stats-shim.mjs), asked over its stdin. */
async function pgStats(servers) {
  const entries = await Promise.all(
    Object.entries(servers.parts).map(async ([key, handle]) => {
      const line = handle.waitForLine((l) => l.startsWith(PG_STATS_LINE), 3000);
      handle.child.stdin.write('pg-stats\n');
      const got = await line;
      return [key, got ? JSON.parse(got.slice(PG_STATS_LINE.length)) : null];
    }),
  );
  return Object.fromEntries(entries);
}

function whereTheTimeGoes(cpu, before, after, orders) {
  const perOrderUs = (seconds) =>
    seconds === null || seconds === undefined ? null : Math.round((seconds * 1e6) / orders);
  const cores = (seconds) => (seconds === null ? null : round2(seconds / cpu.seconds));
  const processes = {};
  for (const [key, seconds] of Object.entries(cpu.processes)) {
    const b = before[key];
    const a = after[key];
    let postgres = null;
    if (a && b) {
      const statements = Object.entries(a.statements)
        .map(([kind, s]) => {
          const n = s.n - (b.statements[kind]?.n ?? 0);
          const ms = s.ms - (b.statements[kind]?.ms ?? 0);
          return {
            kind,
            perOrder: round2(n / orders),
            avgMs: n ? round2(ms / n) : null,
            msPerOrder: round2(ms / orders),
          };
        })
        .filter((s) => s.perOrder > 0)
        .sort((x, y) => y.perOrder - x.perOrder);
      const connects = a.poolConnect.n - b.poolConnect.n;
      postgres = {
        roundTripsPerOrder: round2(statements.reduce((sum, s) => sum + s.perOrder, 0)),
        transactionsPerOrder: round2(statements.find((s) => s.kind === 'BEGIN')?.perOrder ?? 0),
        queryMsPerOrder: round2(statements.reduce((sum, s) => sum + s.msPerOrder, 0)),
        poolConnect: {
          perOrder: round2(connects / orders),
          avgWaitMs: connects ? round2((a.poolConnect.ms - b.poolConnect.ms) / connects) : null,
          maxWaitMsSinceStart: a.poolConnect.maxMs,
        },
        statements,
      };
    }
    processes[key] = { cpuUsPerOrder: perOrderUs(seconds), cores: cores(seconds), postgres };
  }
  const ficusSeconds = Object.values(cpu.processes).reduce((sum, s) => sum + (s ?? 0), 0);
  return {
    seconds: cpu.seconds,
    processes,
    ficusCpuUsPerOrder: perOrderUs(ficusSeconds),
    postgresBackends: {
      cpuUsPerOrder: perOrderUs(cpu.postgresBackends.seconds),
      cores: cores(cpu.postgresBackends.seconds),
      byRoleUsPerOrder: Object.fromEntries(
        Object.entries(cpu.postgresBackends.byRole)
          .sort(([, a], [, b]) => b - a)
          .map(([role, seconds]) => [role, perOrderUs(seconds)]),
      ),
      backends: cpu.postgresBackends.backends,
      closedDuringTheRun: cpu.postgresBackends.gone,
    },
    redis: { cpuUsPerOrder: perOrderUs(cpu.redis), cores: cores(cpu.redis) },
    runnerCores: cpu.runnerCores,
    machineBusyCores: cpu.machineBusyCores,
    otherCores: round2(
      Math.max(
        0,
        cpu.machineBusyCores -
          cores(ficusSeconds) -
          (cores(cpu.postgresBackends.seconds) ?? 0) -
          (cores(cpu.redis) ?? 0) -
          cpu.runnerCores,
      ),
    ),
  };
}

function describeCpu(where) {
  const parts = Object.entries(where.processes)
    .map(
      ([k, p]) =>
        `${k} ${p.cpuUsPerOrder} µs (${p.postgres?.roundTripsPerOrder ?? '?'} round trips, ${p.postgres?.transactionsPerOrder ?? '?'} tx)`,
    )
    .join(', ');
  return (
    `CPU per order: ${parts}; Postgres backends ${where.postgresBackends.cpuUsPerOrder} µs ` +
    `(${Object.entries(where.postgresBackends.byRoleUsPerOrder)
      .map(([role, us]) => `${role} ${us}`)
      .join(', ')}), Redis ${where.redis.cpuUsPerOrder} µs; ` +
    `cores: Ficus ${round2(Object.values(where.processes).reduce((s, p) => s + (p.cores ?? 0), 0))}, ` +
    `Postgres ${where.postgresBackends.cores}, Redis ${where.redis.cores}, autocannon ${where.runnerCores}, other ${where.otherCores}`
  );
}

function roundTripLines(where) {
  return Object.entries(where.processes)
    .filter(([, p]) => p.postgres)
    .map(([key, p]) => {
      const top = p.postgres.statements
        .slice(0, 8)
        .map((s) => `${s.kind} ${s.perOrder}`)
        .join(', ');
      return (
        `  ${key}: ${p.postgres.roundTripsPerOrder} Postgres round trips per order (${p.postgres.queryMsPerOrder} ms ` +
        `waiting on them per order; pool wait avg ${p.postgres.poolConnect.avgWaitMs} ms): ${top}`
      );
    });
}

/** The section's lines under the bench's tables. */
export function ordersNotes(out, baselineReqPerSec) {
  const lines = [
    `Orders (own database ${out.database}; ${out.settings.users} users, ${out.settings.products} products, one line ` +
      `each, tok_ok; ${out.load.connections} connections, ${out.load.durationS} s after a ${out.load.warmupS} s warm-up ` +
      `whose orders were all CONFIRMED first):`,
  ];
  for (const m of Object.values(out.modes)) {
    if (!m.placement) continue;
    if (m.acceptOnly) {
      lines.push(
        `- ${m.label}: ${Math.round(m.placement.reqPerSec)} 202/s, p50 ${m.placement.latencyMs.p50} ms, ` +
          `p99 ${m.placement.latencyMs.p99} ms (${m.accepted.orders} orders); load average ` +
          `${m.loadAvgBefore.join(' ')} → ${m.loadAvgAfter.join(' ')}`,
      );
      lines.push(`  ${describeCpu(m.where)}`);
      lines.push(...roundTripLines(m.where));
      continue;
    }
    const e = m.endToEnd;
    const w = m.where;
    const vsBare = baselineReqPerSec ? ` = ${(m.placement.reqPerSec / baselineReqPerSec).toFixed(3)}× bare` : '';
    lines.push(
      `- ${m.label}: ${Math.round(m.placement.reqPerSec)} 202/s${vsBare}, p50 ${m.placement.latencyMs.p50} ms, ` +
        `p99 ${m.placement.latencyMs.p99} ms; ${e.orders} orders CONFIRMED ${e.seconds} s after the first POST = ` +
        `${e.confirmedPerSec}/s end to end (${e.confirmedDuringLoad} confirmed during the load, ${e.pendingAtLoadEnd} ` +
        `PENDING at its end, last one ${e.drainAfterLoadMs} ms after it` +
        (e.drainConfirmedPerSec ? `: ${e.drainConfirmedPerSec}/s with the load stopped` : '') +
        `); place → CONFIRMED p50 ` +
        `${e.placeToConfirmedMs.p50} / p99 ${e.placeToConfirmedMs.p99} ms; load average ${m.loadAvgBefore.join(' ')} → ${m.loadAvgAfter.join(' ')}`,
    );
    lines.push(`  ${describeCpu(w)}`);
    lines.push(...roundTripLines(w));
    if (m.paced) {
      lines.push(
        `  ${m.paced.ratePerSec} orders/s, one at a time, after the load: 202 p50 ${m.paced.acceptedMs.p50} ms; ` +
          `place → CONFIRMED p50 ${m.paced.placeToConfirmedMs.p50} / p99 ${m.paced.placeToConfirmedMs.p99} ms` +
          (m.paced.timeline?.steps
            ? `; steps (p50 ms): ${m.paced.timeline.steps.map((s) => `${s.step} ${s.ms.p50}`).join('; ')}`
            : ''),
      );
    }
    if (m.timeline?.steps) {
      lines.push(
        `  saga timeline under the load (p50 / p99 ms): ` +
          m.timeline.steps.map((s) => `${s.step} ${s.ms.p50} / ${s.ms.p99}`).join('; ') +
          (m.timeline.incomplete ? ` (${m.timeline.incomplete} orders without every timestamp)` : ''),
      );
    } else if (m.timeline?.error) lines.push(`  saga timeline: n/a (${m.timeline.error})`);
  }
  if (out.extractedVsInProcess) {
    lines.push(
      `- extracted / in-process: ${out.extractedVsInProcess.acceptedPerSec}× the 202/s, ` +
        `${out.extractedVsInProcess.confirmedPerSec}× the confirmed orders/s`,
    );
  }
  return lines;
}

function loadAvg() {
  return os.loadavg().map((n) => Math.round(n * 100) / 100);
}

function wallNow() {
  return performance.timeOrigin + performance.now();
}

function stats(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const pick = (p) =>
    round2(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]);
  if (!sorted.length) return { n: 0, p50: null, p90: null, p99: null, max: null, min: null };
  return {
    n: sorted.length,
    min: round2(sorted[0]),
    p50: pick(50),
    p90: pick(90),
    p99: pick(99),
    max: round2(sorted.at(-1)),
  };
}

function round2(n) {
  return Math.round(n * 100) / 100;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function envInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer (got "${raw}")`);
  return value;
}

const baselineOf = (r) => r.scenarios?.find((s) => s.id === 'bare-health')?.load?.reqPerSec ?? null;
const inProcess = (r) => r.orders?.modes?.inProcess;
const extracted = (r) => r.orders?.modes?.extracted;

function placementDetail(mode, r) {
  if (!mode?.placement) return '';
  const bare = baselineOf(r);
  return (
    `p50 ${mode.placement.latencyMs.p50} ms; ${Math.round(mode.placement.reqPerSec)} 202/s` +
    (bare ? ` = ${(mode.placement.reqPerSec / bare).toFixed(3)}× bare` : ' (no bare baseline in this run)')
  );
}

function confirmedDetail(mode) {
  if (!mode?.endToEnd) return '';
  const e = mode.endToEnd;
  return `${e.orders} orders in ${e.seconds} s; place → CONFIRMED p50 ${e.placeToConfirmedMs.p50} / p99 ${e.placeToConfirmedMs.p99} ms; ${e.pendingAtLoadEnd} PENDING at load end`;
}

/** The section's rows in the bench's checks table (bench/scenarios.mjs appends them). */
export const orderChecks = [
  {
    id: 'orders-202-p99',
    name: 'Orders: POST /v1/orders → 202, p99 (in-process)',
    unit: 'ms',
    applies: (r) => r.orders !== undefined && ordersSettingsSafe().modes.includes('inProcess'),
    value: (r) => inProcess(r)?.placement?.latencyMs.p99 ?? null,
    detail: (r) => placementDetail(inProcess(r), r),
    max: 50,
  },
  {
    id: 'orders-confirmed-rate',
    name: 'Orders: confirmed orders/s, first POST → last CONFIRMED (in-process)',
    unit: 'orders/s',
    applies: (r) => r.orders !== undefined && ordersSettingsSafe().modes.includes('inProcess'),
    value: (r) => inProcess(r)?.endToEnd?.confirmedPerSec ?? null,
    detail: (r) => confirmedDetail(inProcess(r)),
    min: 500,
  },
  {
    id: 'orders-remote-202-p99',
    name: `Orders, ${REMOTE.join(' + ')} extracted: 202 p99`,
    unit: 'ms',
    applies: (r) => r.orders !== undefined && ordersSettingsSafe().modes.includes('extracted'),
    value: (r) => extracted(r)?.placement?.latencyMs.p99 ?? null,
    detail: (r) => {
      const ratio = r.orders?.extractedVsInProcess?.acceptedPerSec;
      return placementDetail(extracted(r), r) + (ratio ? `; ${ratio}× in-process` : '');
    },
    note: 'informational',
  },
  {
    id: 'orders-remote-confirmed-rate',
    name: `Orders, ${REMOTE.join(' + ')} extracted: confirmed orders/s`,
    unit: 'orders/s',
    applies: (r) => r.orders !== undefined && ordersSettingsSafe().modes.includes('extracted'),
    value: (r) => extracted(r)?.endToEnd?.confirmedPerSec ?? null,
    detail: (r) => {
      const ratio = r.orders?.extractedVsInProcess?.confirmedPerSec;
      return confirmedDetail(extracted(r)) + (ratio ? `; ${ratio}× in-process` : '');
    },
    note: 'informational',
  },
];

function ordersSettingsSafe() {
  try {
    return ordersSettings();
  } catch {
    return { modes: [] };
  }
}

// On its own: `npx node bench/orders.mjs` (BENCH_PG_URL, BENCH_REDIS_URL, BENCH_CONNECTIONS, BENCH_WARMUP_S,
// BENCH_DURATION_S as for the runner). Needs a build (`npm run build`).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const pgUrl = (process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const runId = `${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}_${process.pid}`;
  const tmpDir = await mkdtemp(join(os.tmpdir(), 'ficus-bench-orders-'));
  process.on('exit', killAllChildrenNow);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
  const load = {
    connections: envInt('BENCH_CONNECTIONS', 50),
    warmupS: envInt('BENCH_WARMUP_S', 2),
    durationS: envInt('BENCH_DURATION_S', 10),
  };
  try {
    const results = await runOrdersBench({ pgUrl, redisUrl, runId, jwtKeyFile: join(tmpDir, 'jwt-es256.json'), load });
    process.stdout.write('\n');
    for (const check of orderChecks) {
      const r = { orders: results };
      if (!check.applies(r)) continue;
      const value = check.value(r);
      const target = check.max !== undefined ? `< ${check.max}` : check.min !== undefined ? `≥ ${check.min}` : '';
      const ok = check.max !== undefined ? value < check.max : check.min !== undefined ? value >= check.min : null;
      process.stdout.write(
        `${check.name}: ${value} ${check.unit}  ${check.detail(r)}` +
          (target ? `  [target ${target}: ${ok ? 'PASS' : 'MISS'}]` : '') +
          '\n',
      );
    }
    process.stdout.write(`\n${ordersNotes(results, null).join('\n')}\n`);
  } catch (error) {
    process.stderr.write(`[bench] orders: ${error.message}\n${error.details ?? ''}\n`);
    process.exitCode = 1;
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
}
