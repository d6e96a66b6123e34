// Integration events across processes: how long the outbox relay takes to pick up a committed event, and
// how many events per second go from a commit in one process to a consumer in another. A section of
// `npm run bench` (after the load scenarios), or on its own: `npx node bench/events.mjs`.
//
// Everything runs against a database of its own (`ficus_bench_ev_<run>`, created by the identity host's
// start-up like any fresh deployment, dropped at the end) and a Redis prefix of its own. The producer is the
// bench: it inserts rows into `identity.outbox` with `pg`, as postgres, and `SELECT pg_notify('ficus_outbox',
// 'identity')` in the same transaction, exactly what OutboxWriter.append does. The relay is the real one,
// in the extracted identity host (`dist/apps/extracted/identity/src/main.js`).
//
// 1. idle relay pickup: N single-event transactions, one every IDLE_GAP_MS, of `identity.user-registered.v1`
//    (no subscriber today): commit → `fanned_out_at` (set by the relay, woken by NOTIFY, in its fan-out
//    transaction). That is the relay's share of commit → handler lag.
// 2. cross-process, with a real consumer: no context subscribes to anything yet, so the host is started
//    with a bench preload (lib/event-subscriber-shim.mjs) that subscribes `notifications` to a bench-only
//    event, `identity.bench-probe.v1`. `notifications` is not hosted there, so the relay takes the
//    production remote path: an outbox_delivery row and a BullMQ job in `ie.notifications`. The consumer is
//    a process of its own (lib/event-consumer.mjs) running the platform's code from dist/:
//    EventQueues.startWorker (concurrency 50 like EVENT_WORKER_CONCURRENCY) handing each job to
//    Inbox.runOnce (pool of 10 like DATABASE_POOL_SIZE, group commit up to INBOX_BATCH_MAX), which commits
//    the event's row in `notifications.inbox`. "End" is that commit. Not included: Nest's @EventPattern
//    dispatch and a real handler's effect in a consumer host, and the relay writing `delivered` into
//    outbox_delivery when it hears of the completion (bookkeeping off the delivery path).
//    a. idle: N single-event transactions → lag to the inbox commit;
//    b. burst: BURST events in transactions of 100, as fast as one connection commits them → events/s from
//       the first BEGIN to the last inbox commit (and, before it, FANOUT_BURST events without a subscriber:
//       relay fan-out alone);
//    c. paced: RATE events/s offered (20 per transaction every 10 ms) for 2.5 s → lag per event.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { deleteRedisKeys, dropDatabase } from './lib/cleanup.mjs';
import { BenchError, cpuMeter, killAllChildrenNow, log, request, spawnNode } from './lib/proc.mjs';
import { ficusExtras, startIdentityHost } from './lib/servers.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SHIM = fileURLToPath(new URL('./lib/event-subscriber-shim.mjs', import.meta.url));
const CONSUMER_ENTRY = fileURLToPath(new URL('./lib/event-consumer.mjs', import.meta.url));
const CHANNEL = 'ficus_outbox'; // OUTBOX_CHANNEL in libs/platform/src/outbox/outbox-writer.ts
const CONTEXT = 'identity';
const NO_SUBSCRIBER_EVENT = 'identity.user-registered.v1';
const PROBE_EVENT = 'identity.bench-probe.v1';
const SUBSCRIBER = 'notifications';

export const eventsSettings = () => ({
  idleEvents: envInt('BENCH_EVENTS_IDLE', 200),
  idleGapMs: 20,
  burstEvents: envInt('BENCH_EVENTS_BURST', 5000),
  // Smaller: without a subscriber the relay drains a backlog at one batch per poll (see the README).
  fanoutBurstEvents: envInt('BENCH_EVENTS_FANOUT_BURST', 2000),
  burstBatch: 100,
  pacedRate: envInt('BENCH_EVENTS_RATE', 2000),
  pacedSeconds: 2.5,
  pacedTickMs: 10,
  consumerConcurrency: Number(ficusExtras.env.EVENT_WORKER_CONCURRENCY ?? 50),
  consumerPoolSize: 10,
  // The app's defaults unless BENCH_FICUS_ENV sets them (INBOX_BATCH_MAX=1: one transaction per event).
  inboxBatchMax: Number(ficusExtras.env.INBOX_BATCH_MAX ?? 100),
  inboxFlushes: Math.min(Number(ficusExtras.env.INBOX_FLUSHES ?? 8), 10 - 2), // as ContextDataModule caps it
});

/** Roughly how long the section takes with the default settings (for the runner's time limit). */
export const EVENTS_BUDGET_S = 90;

const WHAT = {
  idleRelay:
    'commit acknowledged to the producer (runner clock) → outbox.fanned_out_at (Postgres clock_timestamp() in the ' +
    "relay's fan-out transaction; same machine clock, measured offset corrected). Event without subscriber: " +
    'the relay, woken by NOTIFY, selects the row and marks it. This is the relay share of commit → handler lag.',
  idleE2e:
    'commit → the inbox row committed by the consumer process (identity host relay → BullMQ ' +
    'ie.notifications → EventQueues worker → Inbox.runOnce commit). One event per transaction, idle system.',
  burstFanout: 'first BEGIN → last fanned_out_at, events with no subscriber (relay fan-out alone)',
  burstE2e: 'first BEGIN → last inbox commit in the consumer process, with the producer running concurrently',
  paced: 'commit → inbox commit per event while the producer offers a steady rate',
};

/**
 * Runs the section. `track` lets the caller clean up after an abort: `process(handle)`, `database(url)`,
 * `redisPrefix(prefix)` are called before anything is created.
 */
export async function runEventsBench({ pgUrl, redisUrl, runId, jwtKeyFile, track = {} }) {
  const settings = eventsSettings();
  const databaseUrl = `${pgUrl}/ficus_bench_ev_${runId}`;
  const ctx = { runId, databaseUrl, redisUrl, redisPrefix: `ficus-bench-ev-${runId}`, jwtKeyFile };
  track.database?.(databaseUrl);
  track.redisPrefix?.(ctx.redisPrefix);
  const out = { database: databaseUrl.split('/').pop(), settings, what: WHAT };
  let host;
  let producer;
  let consumer;
  try {
    log('events: starting the identity host (fresh database, subscriber shim preloaded)…');
    host = await startIdentityHost(ctx, {
      name: 'identity-host-events',
      nodeArgs: ['--import', SHIM],
      env: { BENCH_PROBE_EVENT: PROBE_EVENT, BENCH_PROBE_SUBSCRIBER: SUBSCRIBER },
    });
    track.process?.(host);
    out.hostStartup = host.startup;
    log(`  identity host pid ${host.pid}, /health/ready 200 after ${host.startup.wallMs} ms`);

    producer = new pg.Client({ connectionString: databaseUrl, application_name: 'ficus-bench-producer' });
    await producer.connect();
    consumer = await startConsumer(ctx, settings);
    track.process?.(consumer.handle);
    const clockBefore = await clockOffset(producer);

    const alive = () => {
      if (host.exitInfo) throw new BenchError('the identity host exited during the events bench', host.tail());
    };

    // 1. Idle relay pickup, no subscriber.
    log(`events: idle relay pickup, ${settings.idleEvents} events, one every ${settings.idleGapMs} ms…`);
    const idleRelay = await produceIdle(producer, NO_SUBSCRIBER_EVENT, settings);
    await waitAllFannedOut(producer, host, 15_000);
    const fanned = await fannedOutTimes(producer, idleRelay.ids);
    out.idleRelay = {
      events: idleRelay.ids.length,
      lagMs: stats(idleRelay.ids.map((id) => fanned.get(id).fannedOutAt - clockBefore.offsetMs - idleRelay.at.get(id))),
      createdToFannedOutMs: stats(idleRelay.ids.map((id) => fanned.get(id).fannedOutAt - fanned.get(id).createdAt)),
    };
    log(`  commit → fanned out: p50 ${out.idleRelay.lagMs.p50} ms, p99 ${out.idleRelay.lagMs.p99} ms`);
    alive();

    // 2a. Idle, cross-process, with the consumer.
    log(`events: idle cross-process lag, ${settings.idleEvents} events → BullMQ → consumer inbox…`);
    const idleE2e = await produceIdle(producer, PROBE_EVENT, settings);
    await consumer.waitFor(idleE2e.ids, 20_000, host);
    const idleFanned = await fannedOutTimes(producer, idleE2e.ids);
    out.idleE2e = {
      events: idleE2e.ids.length,
      lagMs: stats(idleE2e.ids.map((id) => consumer.done.get(id).doneAt - idleE2e.at.get(id))),
      toWorkerMs: stats(idleE2e.ids.map((id) => consumer.done.get(id).receivedAt - idleE2e.at.get(id))),
      toFannedOutMs: stats(
        idleE2e.ids.map((id) => idleFanned.get(id).fannedOutAt - clockBefore.offsetMs - idleE2e.at.get(id)),
      ),
    };
    log(
      `  commit → consumer inbox commit: p50 ${out.idleE2e.lagMs.p50} ms, p99 ${out.idleE2e.lagMs.p99} ms ` +
        `(→ fanned out p50 ${out.idleE2e.toFannedOutMs.p50}, → worker p50 ${out.idleE2e.toWorkerMs.p50})`,
    );
    alive();

    // 2b. Bursts: relay fan-out alone, then end to end.
    log(`events: burst of ${settings.fanoutBurstEvents} events without subscriber (relay fan-out alone)…`);
    {
      const meter = processMeter(host, consumer);
      const burst = await produceBurst(producer, NO_SUBSCRIBER_EVENT, settings.fanoutBurstEvents, settings.burstBatch);
      await waitAllFannedOut(producer, host, 60_000);
      const cpu = meter();
      const times = await fannedOutTimes(producer, burst.ids);
      const last = Math.max(...[...times.values()].map((t) => t.fannedOutAt)) - clockBefore.offsetMs;
      out.burstFanout = burstFigures(burst, last, cpu);
      log(
        `  ${out.burstFanout.eventsPerSec} events/s (producer alone ${out.burstFanout.producerEventsPerSec}/s), ` +
          `host CPU ${out.burstFanout.hostCpuUsPerEvent} µs/event`,
      );
    }
    alive();
    log(`events: burst of ${settings.burstEvents} events → BullMQ → consumer inbox…`);
    {
      const meter = processMeter(host, consumer);
      const burst = await produceBurst(producer, PROBE_EVENT, settings.burstEvents, settings.burstBatch);
      await consumer.waitFor(burst.ids, 60_000, host);
      const cpu = meter();
      const last = Math.max(...burst.ids.map((id) => consumer.done.get(id).doneAt));
      out.burstE2e = {
        ...burstFigures(burst, last, cpu),
        lagMs: stats(burst.ids.map((id) => consumer.done.get(id).doneAt - burst.at.get(id))),
      };
      log(
        `  ${out.burstE2e.eventsPerSec} events/s end to end (producer alone ${out.burstE2e.producerEventsPerSec}/s), ` +
          `CPU µs/event: host ${out.burstE2e.hostCpuUsPerEvent}, consumer ${out.burstE2e.consumerCpuUsPerEvent}; ` +
          `lag p50 ${out.burstE2e.lagMs.p50} / p99 ${out.burstE2e.lagMs.p99} ms`,
      );
    }
    alive();

    // 2c. Paced.
    const pacedTotal = Math.round(settings.pacedRate * settings.pacedSeconds);
    log(`events: ${settings.pacedRate} events/s offered for ${settings.pacedSeconds} s → consumer inbox…`);
    {
      const meter = processMeter(host, consumer);
      const paced = await producePaced(producer, PROBE_EVENT, pacedTotal, settings);
      await consumer.waitFor(paced.ids, 60_000, host);
      const cpu = meter();
      out.paced = {
        events: paced.ids.length,
        offeredEventsPerSec: settings.pacedRate,
        achievedOfferEventsPerSec: Math.round(paced.ids.length / ((paced.lastCommitAt - paced.startedAt) / 1000)),
        lagMs: stats(paced.ids.map((id) => consumer.done.get(id).doneAt - paced.at.get(id))),
        // Where the lag builds: commit → the worker started the job, and the job → its inbox commit.
        toWorkerMs: stats(paced.ids.map((id) => consumer.done.get(id).receivedAt - paced.at.get(id))),
        inWorkerMs: stats(paced.ids.map((id) => consumer.done.get(id).doneAt - consumer.done.get(id).receivedAt)),
        ...cpuFigures(cpu, paced.ids.length),
      };
      log(
        `  lag p50 ${out.paced.lagMs.p50} ms, p99 ${out.paced.lagMs.p99} ms ` +
          `(→ worker p50 ${out.paced.toWorkerMs.p50} / p99 ${out.paced.toWorkerMs.p99}, in the worker p50 ` +
          `${out.paced.inWorkerMs.p50} / p99 ${out.paced.inWorkerMs.p99}) ` +
          `(sent ${out.paced.achievedOfferEventsPerSec}/s; cores: host ${out.paced.cores.host}, ` +
          `consumer ${out.paced.cores.consumer}, runner ${out.paced.cores.runner}, other ${out.paced.cores.other})`,
      );
    }
    alive();

    const clockAfter = await clockOffset(producer);
    out.clock = {
      postgresOffsetMs: clockBefore.offsetMs,
      postgresDriftMs: round2(clockAfter.offsetMs - clockBefore.offsetMs),
      consumerOffsetMs: consumer.clock.offsetMs,
    };
    out.consumer = await consumer.summary(producer);
    out.afterwards = await afterwards(producer, host);
    out.notes = notes(out);
    return out;
  } finally {
    await consumer?.close().catch(() => undefined);
    await producer?.end().catch(() => undefined);
    await host?.stop(5000).catch(() => undefined);
    await dropDatabase(databaseUrl).catch((error) => log(`events: could not drop ${databaseUrl}: ${error.message}`));
    await deleteRedisKeys(redisUrl, ctx.redisPrefix).catch((error) =>
      log(`events: could not delete Redis keys ${ctx.redisPrefix}:*: ${error.message}`),
    );
  }
}

/** Wall-clock milliseconds with sub-millisecond resolution (Date.now() only has whole milliseconds). */
function wallNow() {
  return performance.timeOrigin + performance.now();
}

/** Postgres clock minus the runner's (same machine: about 0), from the quickest of a few round trips. */
async function clockOffset(client) {
  let best = null;
  for (let i = 0; i < 9; i++) {
    const before = wallNow();
    const { rows } = await client.query('SELECT extract(epoch FROM clock_timestamp()) * 1000 AS now');
    const after = wallNow();
    const sample = { offsetMs: Number(rows[0].now) - (before + after) / 2, rttMs: after - before };
    if (!best || sample.rttMs < best.rttMs) best = sample;
  }
  return { offsetMs: round2(best.offsetMs), rttMs: round2(best.rttMs) };
}

const INSERT_EVENTS = `
  INSERT INTO "${CONTEXT}".outbox (id, name, aggregate_id, correlation_id, payload, occurred_at)
  SELECT t.id, $2, t.id::text, $3,
         jsonb_build_object('userId', t.id, 'email', 'bench+' || t.id || '@example.com', 'name', 'Bench User'),
         clock_timestamp()
  FROM unnest($1::uuid[]) AS t(id)`;

/** One producer transaction, as OutboxWriter.append does it; resolves with the time COMMIT was acknowledged. */
async function commitEvents(client, name, ids) {
  await client.query('BEGIN');
  try {
    await client.query(INSERT_EVENTS, [ids, name, `bench-events-${ids[0]}`]);
    await client.query('SELECT pg_notify($1, $2)', [CHANNEL, CONTEXT]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  return wallNow();
}

async function produceIdle(client, name, { idleEvents, idleGapMs }) {
  const ids = [];
  const at = new Map();
  for (let i = 0; i < idleEvents; i++) {
    const id = uuidv7();
    ids.push(id);
    at.set(id, await commitEvents(client, name, [id]));
    await sleep(idleGapMs);
  }
  return { ids, at };
}

async function produceBurst(client, name, total, batch) {
  const ids = [];
  const at = new Map();
  const startedAt = wallNow();
  let lastCommitAt = startedAt;
  for (let done = 0; done < total; done += batch) {
    const chunk = Array.from({ length: Math.min(batch, total - done) }, () => uuidv7());
    lastCommitAt = await commitEvents(client, name, chunk);
    for (const id of chunk) {
      ids.push(id);
      at.set(id, lastCommitAt);
    }
  }
  return { ids, at, startedAt, lastCommitAt };
}

/** `rate` events per second in transactions every `pacedTickMs`; a late tick is sent at once (no catch-up burst). */
async function producePaced(client, name, total, { pacedRate, pacedTickMs }) {
  const perTick = Math.max(1, Math.round((pacedRate * pacedTickMs) / 1000));
  const ids = [];
  const at = new Map();
  const startedAt = wallNow();
  let lastCommitAt = startedAt;
  for (let tick = 0, done = 0; done < total; tick++, done += perTick) {
    const wait = startedAt + tick * pacedTickMs - wallNow();
    if (wait > 0) await sleep(wait);
    const chunk = Array.from({ length: Math.min(perTick, total - done) }, () => uuidv7());
    lastCommitAt = await commitEvents(client, name, chunk);
    for (const id of chunk) {
      ids.push(id);
      at.set(id, lastCommitAt);
    }
  }
  return { ids, at, startedAt, lastCommitAt };
}

async function waitAllFannedOut(client, host, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query(
      `SELECT count(*)::int AS n FROM "${CONTEXT}".outbox WHERE fanned_out_at IS NULL`,
    );
    if (rows[0].n === 0) return;
    if (host.exitInfo) throw new BenchError('the identity host exited', host.tail());
    if (performance.now() > deadline) {
      throw new BenchError(`${rows[0].n} events still not fanned out after ${timeoutMs} ms`, host.tail());
    }
    await sleep(20);
  }
}

/** created_at / fanned_out_at of each event, epoch milliseconds on the Postgres clock (microsecond precision). */
async function fannedOutTimes(client, ids) {
  const { rows } = await client.query(
    `SELECT id, extract(epoch FROM created_at) * 1000 AS created, extract(epoch FROM fanned_out_at) * 1000 AS fanned
     FROM "${CONTEXT}".outbox WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  const times = new Map(rows.map((r) => [r.id, { createdAt: Number(r.created), fannedOutAt: Number(r.fanned) }]));
  const missing = ids.filter((id) => !Number.isFinite(times.get(id)?.fannedOutAt));
  if (missing.length) throw new BenchError(`${missing.length} events have no fanned_out_at`);
  return times;
}

/**
 * The remote subscriber, in a process of its own (lib/event-consumer.mjs): the platform's EventQueues worker on
 * `ie.notifications` (the queue the relay enqueues into, same `<REDIS_KEY_PREFIX>:bull` prefix as the
 * host) whose handler takes each event in through the platform's Inbox. It reports each event on stdout with its own clock,
 * whose offset to this one is measured over stdin/stdout (same machine: a fraction of a millisecond).
 */
async function startConsumer(ctx, { consumerConcurrency, consumerPoolSize, inboxBatchMax, inboxFlushes }) {
  const handle = spawnNode({
    name: 'event-consumer',
    args: [CONSUMER_ENTRY],
    env: {
      DATABASE_URL: ctx.databaseUrl,
      REDIS_URL: ctx.redisUrl,
      BULL_PREFIX: `${ctx.redisPrefix}:bull`,
      SUBSCRIBER,
      CONCURRENCY: String(consumerConcurrency),
      POOL_SIZE: String(consumerPoolSize),
      INBOX_BATCH_MAX: String(inboxBatchMax),
      INBOX_FLUSHES: String(inboxFlushes),
    },
    nodeArgs: ficusExtras.nodeArgs,
    cwd: ROOT,
  });
  const done = new Map(); // event id → { receivedAt, doneAt } (this process's clock)
  const pongs = new Map(); // n → resolve
  let offsetMs = 0; // consumer clock − runner clock
  let calls = 0;
  let inserted = 0;
  let waiting = null; // { remaining: Set, resolve }
  handle.onLine((line, stream) => {
    if (stream !== 'out') return;
    const [kind, a, b, c, d] = line.split(' ');
    if (kind === 'done') {
      calls++;
      if (d === '1') inserted++;
      if (!done.has(a)) done.set(a, { receivedAt: Number(b) - offsetMs, doneAt: Number(c) - offsetMs });
      if (waiting?.remaining.delete(a) && waiting.remaining.size === 0) waiting.resolve();
    } else if (kind === 'pong') {
      pongs.get(a)?.(Number(b));
    }
  });
  const ready = await handle.waitForLine((line) => line === 'ready', 30_000);
  if (!ready) {
    await handle.stop(2000);
    throw new BenchError('the event consumer did not start', handle.tail());
  }
  let best = null;
  for (let n = 0; n < 9; n++) {
    const before = wallNow();
    const theirs = await new Promise((resolve) => {
      pongs.set(String(n), resolve);
      handle.child.stdin.write(`ping ${n}\n`);
    });
    const after = wallNow();
    pongs.delete(String(n));
    if (!best || after - before < best.rttMs) best = { offsetMs: theirs - (before + after) / 2, rttMs: after - before };
  }
  offsetMs = best.offsetMs;
  return {
    handle,
    done,
    clock: { offsetMs: round2(best.offsetMs), rttMs: round2(best.rttMs) },
    async waitFor(ids, timeoutMs, host) {
      const remaining = new Set(ids.filter((id) => !done.has(id)));
      if (remaining.size === 0) return;
      let timer;
      let watch;
      try {
        await new Promise((resolve, reject) => {
          waiting = { remaining, resolve };
          timer = setTimeout(() => {
            const none = remaining.size === ids.length;
            reject(
              new BenchError(
                `${remaining.size} of ${ids.length} events never reached the consumer within ${timeoutMs} ms` +
                  (none ? ' (none did: did the subscriber shim take effect?)' : ''),
                `${host.tail()}\n--- consumer\n${handle.tail()}`,
              ),
            );
          }, timeoutMs);
          watch = setInterval(() => {
            const gone = [host, handle].find((p) => p.exitInfo);
            if (gone) reject(new BenchError(`${gone.name} exited`, gone.tail()));
          }, 100);
        });
      } finally {
        clearTimeout(timer);
        clearInterval(watch);
        waiting = null;
      }
    },
    async summary(client) {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM "${SUBSCRIBER}".inbox`);
      return { handlerCalls: calls, inboxRowsInserted: inserted, inboxRows: rows[0].n, duplicates: calls - inserted };
    },
    close: () => handle.stop(5000),
  };
}

/** What the run leaves in the host: delivery bookkeeping (the reconciler's share) and its readiness. */
async function afterwards(client, host) {
  const { rows } = await client.query(
    `SELECT status, count(*)::int AS n FROM "${CONTEXT}".outbox_delivery GROUP BY status ORDER BY status`,
  );
  const deliveries = Object.fromEntries(rows.map((r) => [r.status, r.n]));
  let ready;
  try {
    const res = await request(`${host.baseUrl}/health/ready`, { timeoutMs: 3000 });
    ready = { status: res.status, body: res.body.slice(0, 600) };
  } catch (error) {
    ready = { error: error.message };
  }
  return { deliveries, hostReady: ready };
}

function burstFigures(burst, lastAt, cpu) {
  const seconds = (lastAt - burst.startedAt) / 1000;
  return {
    events: burst.ids.length,
    seconds: round2(seconds),
    eventsPerSec: Math.round(burst.ids.length / seconds),
    producerEventsPerSec: Math.round(burst.ids.length / ((burst.lastCommitAt - burst.startedAt) / 1000)),
    ...cpuFigures(cpu, burst.ids.length),
  };
}

/** CPU of the identity host (the relay) and of the consumer process, while a phase ran. */
function processMeter(host, consumer) {
  const stopHost = cpuMeter(host.pid);
  const stopConsumer = cpuMeter(consumer.handle.pid);
  return () => {
    const h = stopHost();
    const c = stopConsumer();
    return {
      hostCpuSeconds: h.serverCpuSeconds,
      hostCores: h.serverCores,
      consumerCpuSeconds: c.serverCpuSeconds,
      consumerCores: c.serverCores,
      runnerCores: h.runnerCores,
      otherCores: Math.max(0, round2(h.machineBusyCores - h.serverCores - c.serverCores - h.runnerCores)),
    };
  };
}

function cpuFigures(cpu, events) {
  const perEvent = (seconds) => (seconds === null ? null : Math.round((seconds * 1e6) / events));
  return {
    hostCpuUsPerEvent: perEvent(cpu.hostCpuSeconds),
    consumerCpuUsPerEvent: perEvent(cpu.consumerCpuSeconds),
    cores: {
      host: cpu.hostCores,
      consumer: cpu.consumerCores,
      runner: cpu.runnerCores,
      other: cpu.otherCores,
    },
  };
}

function notes(out) {
  const lines = [
    `Events (own database ${out.database}, identity host relay; producer = this runner, as postgres, NOTIFY in the same transaction):`,
    `- relay pickup lag, idle: ${WHAT.idleRelay}`,
    `- cross-process lag, idle: ${WHAT.idleE2e}`,
    `  The consumer (bench/lib/event-consumer.mjs) is a process of its own running the platform's EventQueues ` +
      `worker (concurrency ${out.settings.consumerConcurrency}, EVENT_WORKER_CONCURRENCY's default) and Inbox ` +
      `(pool ${out.settings.consumerPoolSize}, INBOX_BATCH_MAX ${out.settings.inboxBatchMax}, INBOX_FLUSHES ${out.settings.inboxFlushes}) from dist/.`,
    `  The subscription exists only for the bench: no context subscribes to any event yet, so a preload ` +
      `(bench/lib/event-subscriber-shim.mjs) adds ${PROBE_EVENT} → [${SUBSCRIBER}] to EVENT_SUBSCRIPTIONS inside ` +
      `the host. Not in "end": Nest's @EventPattern dispatch and a real handler's effect in a consumer host.`,
    `- fan-out rate: ${WHAT.burstFanout}; cross-process throughput: ${WHAT.burstE2e}`,
    `- lag at ${out.settings.pacedRate} events/s: ${WHAT.paced}`,
    `- clocks (one machine): Postgres − runner ${out.clock.postgresOffsetMs} ms (drift ${out.clock.postgresDriftMs} ms ` +
      `over the section), consumer − runner ${out.clock.consumerOffsetMs} ms; both corrected`,
    `- consumer: ${out.consumer.handlerCalls} handler calls, ${out.consumer.inboxRows} inbox rows ` +
      `(${out.consumer.duplicates} duplicates absorbed)`,
  ];
  const { deliveries, hostReady } = out.afterwards;
  const open = (deliveries.enqueued ?? 0) + (deliveries.pending ?? 0);
  if (open) {
    lines.push(
      `- afterwards: outbox_delivery ${JSON.stringify(deliveries)}; the host's /health/ready answered ` +
        `${hostReady.status ?? hostReady.error}. Every event reached the consumer; 'enqueued' rows turn ` +
        `'delivered' when the relay hears the job's completion (BullMQ's events stream, batched), or, for ` +
        `completions it missed, when the reconciler reads the job state back (OUTBOX_RECONCILE_INTERVAL_MS). ` +
        `Readiness never counts 'enqueued' rows as late: they wait on the consumer, not on this relay.`,
    );
  }
  return lines;
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

/** The section's rows in the bench's checks table (bench/scenarios.mjs appends them). */
export const eventChecks = [
  {
    id: 'events-relay-lag',
    name: 'Events: relay pickup lag, idle (commit → fanned_out_at), p99',
    unit: 'ms',
    applies: (r) => r.events !== undefined,
    value: (r) => r.events?.idleRelay?.lagMs.p99 ?? null,
    detail: (r) => lagDetail(r.events?.idleRelay?.lagMs),
    max: 50,
  },
  {
    id: 'events-e2e-lag-idle',
    name: 'Events: cross-process lag, idle (commit → consumer inbox commit), p99',
    unit: 'ms',
    applies: (r) => r.events !== undefined,
    value: (r) => r.events?.idleE2e?.lagMs.p99 ?? null,
    detail: (r) => lagDetail(r.events?.idleE2e?.lagMs),
    note: 'informational',
  },
  {
    id: 'events-fanout-rate',
    name: 'Events: relay fan-out, burst, no subscriber',
    unit: 'events/s',
    applies: (r) => r.events !== undefined,
    value: (r) => r.events?.burstFanout?.eventsPerSec ?? null,
    detail: (r) => burstDetail(r.events?.burstFanout),
    note: 'informational',
  },
  {
    id: 'events-e2e-rate',
    name: 'Events: cross-process throughput, burst (→ consumer inbox commit)',
    unit: 'events/s',
    applies: (r) => r.events !== undefined,
    value: (r) => r.events?.burstE2e?.eventsPerSec ?? null,
    detail: (r) => burstDetail(r.events?.burstE2e),
    min: 2000,
  },
  {
    id: 'events-e2e-lag-paced',
    name: 'Events: cross-process lag at a steady offered rate, p99',
    unit: 'ms',
    applies: (r) => r.events !== undefined,
    value: (r) => r.events?.paced?.lagMs.p99 ?? null,
    detail: (r) => {
      const paced = r.events?.paced;
      return paced
        ? `${paced.offeredEventsPerSec}/s offered (${paced.achievedOfferEventsPerSec}/s sent), ${lagDetail(paced.lagMs)}`
        : '';
    },
    max: 200,
  },
];

function lagDetail(lag) {
  return lag ? `n ${lag.n}, p50 ${lag.p50} ms, p90 ${lag.p90} ms, max ${lag.max} ms` : '';
}

function burstDetail(burst) {
  if (!burst) return '';
  return (
    `${burst.events} events in ${burst.seconds} s; producer alone ${burst.producerEventsPerSec}/s; ` +
    `CPU µs/event: host ${burst.hostCpuUsPerEvent}` +
    (burst.lagMs ? `, consumer ${burst.consumerCpuUsPerEvent}` : '') +
    (burst.lagMs ? `; lag p50 ${burst.lagMs.p50} / p99 ${burst.lagMs.p99} ms` : '')
  );
}

// On its own: `npx node bench/events.mjs` (same BENCH_PG_URL / BENCH_REDIS_URL as the runner).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const pgUrl = (process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const runId = `${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}_${process.pid}`;
  const tmpDir = await mkdtemp(join(os.tmpdir(), 'ficus-bench-events-'));
  process.on('exit', killAllChildrenNow);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
  try {
    const results = await runEventsBench({ pgUrl, redisUrl, runId, jwtKeyFile: join(tmpDir, 'jwt-es256.json') });
    process.stdout.write('\n');
    for (const check of eventChecks) {
      const value = check.value({ events: results });
      const target = check.max !== undefined ? `< ${check.max}` : check.min !== undefined ? `≥ ${check.min}` : '';
      const ok = check.max !== undefined ? value < check.max : check.min !== undefined ? value >= check.min : null;
      process.stdout.write(
        `${check.name}: ${value} ${check.unit}  ${check.detail({ events: results })}` +
          (target ? `  [target ${target}: ${ok ? 'PASS' : 'MISS'}]` : '') +
          '\n',
      );
    }
    process.stdout.write(`\n${results.notes.join('\n')}\n`);
  } catch (error) {
    process.stderr.write(`[bench] events: ${error.message}\n${error.details ?? ''}\n`);
    process.exitCode = 1;
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
}
