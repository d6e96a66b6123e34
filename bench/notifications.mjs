// Notifications under a burst of confirmed orders (issue 9): how long from an `ordering.order-confirmed.v1`
// committed in ordering's outbox to the customer's inbox item in notifications. A section of `npm run bench`
// (`BENCH_ONLY=notifications` runs it alone), or on its own: `npx node bench/notifications.mjs`.
//
// Its own database (`ficus_bench_nt_<run>`, created and migrated by the monolith's start-up, dropped at the
// end) and Redis prefix. The monolith hosts every context (in-process delivery, e-mail and push through the
// logging adapters). Rather than run BENCH_NOTIFICATIONS_ORDERS real sagas, the bench inserts that many
// `ordering.order-confirmed.v1` events straight into `ordering.outbox` (transactions of 100, with the
// `pg_notify` OutboxWriter.append sends), as fast as one connection commits them, each for its own user.
// Lag per event = inbox item's `created_at` (the handler's clock) − the outbox row's `created_at`.
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { deleteRedisKeys, dropDatabase } from './lib/cleanup.mjs';
import { BenchError, cpuMeter, killAllChildrenNow, log } from './lib/proc.mjs';
import { startFicus } from './lib/servers.mjs';

const CHANNEL = 'ficus_outbox'; // OUTBOX_CHANNEL in libs/platform/src/outbox/outbox-writer.ts
const EVENT = 'ordering.order-confirmed.v1';
const BATCH = 100;

export const notificationsSettings = () => ({
  orders: Number(process.env.BENCH_NOTIFICATIONS_ORDERS || 2000),
  drainS: Number(process.env.BENCH_NOTIFICATIONS_DRAIN_S || 120),
});
export const NOTIFICATIONS_BUDGET_S = 180;

export async function runNotificationsBench({ pgUrl, redisUrl, runId, jwtKeyFile, track = {} }) {
  const settings = notificationsSettings();
  const databaseUrl = `${pgUrl}/ficus_bench_nt_${runId}`;
  const ctx = { runId, databaseUrl, redisUrl, redisPrefix: `ficus-bench-nt-${runId}`, jwtKeyFile };
  track.database?.(databaseUrl);
  track.redisPrefix?.(ctx.redisPrefix);
  let monolith;
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    log('notifications: starting the monolith…');
    monolith = await startFicus(ctx, { name: 'ficus-notifications', readyPath: '/health/ready' });
    track.process?.(monolith);
    const meter = cpuMeter(monolith.pid);
    const events = await insertBurst(db, settings.orders);
    const drained = await waitForInbox(db, settings.orders, settings.drainS);
    const cpu = meter();
    const { rows } = await db.query(
      `SELECT EXTRACT(EPOCH FROM (i.created_at - o.created_at)) * 1000 AS ms
         FROM notifications.inbox_items i JOIN ordering.outbox o ON o.id = i.source_event_id
        WHERE o.name = $1 ORDER BY ms`,
      [EVENT],
    );
    const lags = rows.map((r) => Number(r.ms));
    return {
      settings,
      events: settings.orders,
      insertMs: round(events.insertMs),
      endToEndMs: round(drained.ms),
      inboxItemsPerSec: Math.round(settings.orders / (drained.ms / 1000)),
      lagMs: { p50: round(pct(lags, 50)), p99: round(pct(lags, 99)), max: round(lags.at(-1)) },
      // The monolith's CPU from the first insert to the last inbox item (relay, handlers, e-mail/push jobs
      // running beside them), per event; `otherCores`: everything else on the machine meanwhile.
      monolithCpuUsPerEvent:
        cpu.serverCpuSeconds === null ? null : Math.round((cpu.serverCpuSeconds * 1e6) / settings.orders),
      cores: {
        monolith: cpu.serverCores,
        other: Math.max(0, round(cpu.machineBusyCores - (cpu.serverCores ?? 0) - cpu.runnerCores)),
      },
    };
  } finally {
    await monolith?.stop(5000).catch(() => undefined);
    await db.end().catch(() => undefined);
    await dropDatabase(databaseUrl).catch((e) => log(`notifications: could not drop ${databaseUrl}: ${e.message}`));
    await deleteRedisKeys(redisUrl, ctx.redisPrefix).catch(() => undefined);
  }
}

/** The burst: `n` confirmed orders of `n` users, committed in transactions of BATCH with a NOTIFY each. */
async function insertBurst(db, n) {
  const started = performance.now();
  const client = await db.connect();
  try {
    for (let done = 0; done < n; done += BATCH) {
      const size = Math.min(BATCH, n - done);
      const values = [];
      const params = [];
      for (let i = 0; i < size; i++) {
        const orderId = uuidv7();
        const payload = {
          orderId,
          userId: uuidv7(),
          totalCents: 4599,
          currency: 'EUR',
          confirmedAt: new Date().toISOString(),
        };
        const base = params.length;
        params.push(uuidv7(), EVENT, orderId, `bench-${orderId}`, JSON.stringify(payload));
        values.push(`($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, clock_timestamp())`);
      }
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO ordering.outbox (id, name, aggregate_id, correlation_id, payload, occurred_at) VALUES ${values.join(', ')}`,
        params,
      );
      await client.query(`SELECT pg_notify($1, 'ordering')`, [CHANNEL]);
      await client.query('COMMIT');
    }
  } finally {
    client.release();
  }
  return { insertMs: performance.now() - started, started };
}

async function waitForInbox(db, n, drainS) {
  const started = performance.now();
  const deadline = Date.now() + drainS * 1000;
  for (;;) {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM notifications.inbox_items`);
    if (rows[0].n >= n) return { ms: performance.now() - started };
    if (Date.now() > deadline) throw new BenchError(`only ${rows[0].n} of ${n} inbox items after ${drainS} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const round = (x) => Math.round(x * 10) / 10;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const tmp = await mkdtemp(join(os.tmpdir(), 'ficus-bench-nt-'));
  try {
    const result = await runNotificationsBench({
      pgUrl: process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432',
      redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
      runId: `${Date.now().toString(36)}${process.pid}`,
      jwtKeyFile: join(tmp, 'jwt-es256.json'),
    });
    console.log(JSON.stringify(result, null, 2));
  } catch (error) {
    console.error(error.message, error.details ?? '');
    process.exitCode = 1;
  } finally {
    killAllChildrenNow();
    await rm(tmp, { recursive: true, force: true });
  }
}
