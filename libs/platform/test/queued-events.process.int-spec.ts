import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { listParked, replayParked } from '@ficus/platform';
import { createTestDatabase, type TestDatabase } from '@ficus/platform/testing';
import { type OutboxTestApp, Probe, startOutboxApp, waitFor } from './outbox-harness.js';
import { freePort, startRedis } from './redis-transport.fixtures.js';

/**
 * Durable integration events across a real process boundary: the producer (`catalog`) runs in this jest
 * process, the consumer (`notifications`, the same harness with its inbox-backed effects table) in a child
 * process (event-consumer.process.mjs). They share only Postgres and a redis-server of this file's own, so
 * it can be flushed. The consumer is SIGKILLed mid-run, Redis loses everything mid-run, and a poison event
 * is parked and replayed; every event still takes effect exactly once.
 */
const BACKOFF_BASE_MS = 300;
const MAX_ATTEMPTS = 3;
const LEASE_MS = 5000;
const CONSUMER_SCRIPT = new URL('./event-consumer.process.mjs', import.meta.url).pathname;

interface Consumer {
  child: ChildProcess;
  label: string;
  /** `poison-call` lines: handler calls of poison events, with their time. */
  poisonCalls: { id: string; at: number }[];
  stats(): Promise<{ calls: number; effects: number }>;
  kill(): Promise<void>;
}

describe('integration events between processes (SIGKILL, FLUSHALL, poison)', () => {
  let db: TestDatabase;
  let redisServer: ChildProcess | undefined;
  let redis: Redis;
  let redisUrl: string;
  let sql: pg.Pool;
  let producer: OutboxTestApp;
  let tmp: string;
  let fixedFile: string;
  const consumers: Consumer[] = [];
  const prefix = `ficus-test:queued-proc:${process.pid}`;
  const env = () => ({
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    OUTBOX_RECONCILE_INTERVAL_MS: '200',
    OUTBOX_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    OUTBOX_BACKOFF_BASE_MS: String(BACKOFF_BASE_MS),
    DATABASE_POOL_SIZE: '5',
    // A dead consumer's jobs stay claimed for this long (job lock and stalled check), as a dead relay's
    // deliveries do; 30 s in production.
    OUTBOX_LEASE_MS: String(LEASE_MS),
  });

  async function spawnConsumer(label: string): Promise<Consumer> {
    const childEnv = {
      ...process.env,
      ...env(),
      DATABASE_URL: db.url,
      CONSUMER_LABEL: label,
      POISON_FIXED_FILE: fixedFile,
    };
    const child = spawn(process.execPath, [CONSUMER_SCRIPT], {
      env: childEnv,
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    const consumer: Consumer = {
      child,
      label,
      poisonCalls: [],
      stats: async () => {
        child.send('stats');
        const [message] = await withTimeout(once(child, 'message'), 5000, `stats of ${label}`);
        return message as { calls: number; effects: number };
      },
      kill: async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await withTimeout(exited, 5000, `exit of ${label}`);
      },
    };
    consumers.push(consumer);
    let buffered = '';
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) {
          const [word, id, at] = line.split(' ');
          if (word === 'ready') resolve();
          if (word === 'poison-call') consumer.poisonCalls.push({ id, at: Number(at) });
        }
      });
      child.once('exit', (code, signal) => reject(new Error(`consumer ${label} exited (${code ?? signal})`)));
      child.on('error', reject); // failed spawn or send; never an unhandled 'error' event in the jest process
    });
    await withTimeout(ready, 30_000, `consumer ${label} ready`).catch(async (error: unknown) => {
      await consumer.kill();
      throw error;
    });
    return consumer;
  }

  const publishConcurrently = async (tag: string, transactions: number, perTransaction: number) =>
    (
      await Promise.all(
        Array.from({ length: transactions }, (_, t) =>
          producer.producer.publish(Array.from({ length: perTransaction }, (_, i) => `${tag}-${t}-${i}`)),
        ),
      )
    ).flat();

  /** Rows in the consumer's effects table (no unique constraint: the inbox alone makes effects once). */
  const effectRows = async () => (await sql.query('SELECT count(*)::int AS n FROM notifications.effects')).rows[0].n;

  /** Effect rows of `ids`: how many events have one, and how many have more than one. */
  async function effectsOf(ids: string[]) {
    const { rows } = await sql.query(
      `SELECT count(*)::int AS events, count(*) FILTER (WHERE n > 1)::int AS duplicated, coalesce(sum(n), 0)::int AS rows
       FROM (SELECT count(*) AS n FROM notifications.effects WHERE event_id = ANY($1::uuid[]) GROUP BY event_id) e`,
      [ids],
    );
    return rows[0] as { events: number; duplicated: number; rows: number };
  }

  async function statuses(ids: string[]): Promise<Record<string, number>> {
    const { rows } = await sql.query(
      `SELECT status, count(*)::int AS n FROM catalog.outbox_delivery
       WHERE event_id = ANY($1::uuid[]) AND subscriber = 'notifications' GROUP BY status`,
      [ids],
    );
    return Object.fromEntries(rows.map((r: { status: string; n: number }) => [r.status, r.n]));
  }

  /**
   * Where the events without an effect are stuck, for the failure message of a wait that timed out: their
   * outbox delivery row, and their job in the subscriber queue (which BullMQ structure holds it, its
   * attempts `atm` and stalled count `stc`).
   */
  async function whereAreTheMissing(ids: string[]): Promise<string> {
    const { rows } = await sql.query(
      `SELECT d.event_id, d.status, d.attempts, d.last_error, d.next_attempt_at, d.locked_until
       FROM catalog.outbox_delivery d
       WHERE d.event_id = ANY($1::uuid[]) AND d.subscriber = 'notifications'
         AND NOT EXISTS (SELECT 1 FROM notifications.effects e WHERE e.event_id = d.event_id)
       LIMIT 10`,
      [ids],
    );
    const base = `${prefix}:bull:ie.notifications`;
    const lines = await Promise.all(
      rows.map(async (row: Record<string, unknown>) => {
        const job = `${row.event_id}.notifications`;
        const where: string[] = [];
        for (const list of ['wait', 'active', 'paused']) {
          if ((await redis.lpos(`${base}:${list}`, job)) !== null) where.push(list);
        }
        for (const zset of ['delayed', 'prioritized', 'completed', 'failed']) {
          if ((await redis.zscore(`${base}:${zset}`, job)) !== null) where.push(zset);
        }
        if (await redis.sismember(`${base}:stalled`, job)) where.push('stalled-candidate');
        const [atm, stc, lock] = await Promise.all([
          redis.hget(`${base}:${job}`, 'atm'),
          redis.hget(`${base}:${job}`, 'stc'),
          redis.exists(`${base}:${job}:lock`),
        ]);
        return `${JSON.stringify(row)} job: ${where.join(',') || 'none'} atm=${atm} stc=${stc} lock=${lock}`;
      }),
    );
    const missing = ids.length - (await effectsOf(ids)).events;
    return `${missing} events without effect at ${new Date().toISOString()}; first ones:\n${lines.join('\n')}`;
  }

  /** Waits until every one of `ids` has an effect; on time-out, fails saying where the missing ones are. */
  async function allEffects(ids: string[], timeoutMs: number, onPoll: () => Promise<void> = async () => {}) {
    try {
      await waitFor(
        'an effect for every event',
        async () => {
          await onPoll();
          return (await effectsOf(ids)).events === ids.length;
        },
        timeoutMs,
        100,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}: ${await whereAreTheMissing(ids)}`, { cause: error });
    }
  }

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ficus-poison-'));
    fixedFile = join(tmp, 'poison-fixed');
    const port = await freePort();
    redisUrl = `redis://127.0.0.1:${port}`;
    redisServer = await startRedis(port);
    redis = new Redis(redisUrl);
    db = await createTestDatabase('queuedproc');
    sql = new pg.Pool({ connectionString: db.url, max: 2 });
    producer = await startOutboxApp(db.url, new Probe(), 'producer', env(), 'producer');
    // The first consumer creates notifications.effects (its migration) before any test looks at it.
    await spawnConsumer('first');
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(consumers.map((c) => c.kill()));
    await producer?.close().catch(() => undefined);
    await sql?.end().catch(() => undefined);
    redis?.disconnect();
    if (redisServer && redisServer.exitCode === null) {
      const exited = once(redisServer, 'exit');
      redisServer.kill('SIGKILL');
      await exited;
    }
    await db?.drop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }, 30_000);

  const live = () => consumers.filter((c) => c.child.exitCode === null && c.child.signalCode === null);

  it('delivers 5,000 events exactly once in effect although the consumer is SIGKILLed and restarted midway', async () => {
    const started = Date.now();
    const before = await effectRows();
    const publishing = publishConcurrently('kill', 50, 100);
    publishing.catch(() => undefined); // awaited below; no unhandled rejection if a wait fails first
    await waitFor('a third of the effects', async () => (await effectRows()) - before >= 5000 / 3, 60_000, 20);
    const [first] = live();
    await first.kill();
    const atKill = (await effectRows()) - before;
    const killedAt = Date.now();
    // Jobs the dead consumer had taken and not finished: nothing but BullMQ's stalled-job check frees them
    // (after their lock expired: LEASE_MS), and only the inbox stops a second effect of those it had committed.
    const orphans = (await redis.lrange(`${prefix}:bull:ie.notifications:active`, 0, -1)).map((job) =>
      job.replace(/\.notifications$/, ''),
    );
    expect(orphans.length).toBeGreaterThan(0);
    const orphansCommitted = (await effectsOf(orphans)).events;
    const second = await spawnConsumer('second');
    const restartedMs = Date.now() - killedAt;
    const ids = await publishing;
    expect(ids).toHaveLength(5000);
    expect(atKill).toBeLessThan(5000); // the kill landed mid-run

    // The orphans' events take effect once BullMQ has seen their jobs stalled: lock expired, then two stalled
    // checks LEASE_MS apart (sometimes three: a check that comes just before the previous one's throttle key
    // expires is skipped).
    let orphansDoneMs: number | undefined;
    await allEffects(ids, 90_000, async () => {
      orphansDoneMs ??= (await effectsOf(orphans)).events === orphans.length ? Date.now() - killedAt : undefined;
    });
    orphansDoneMs ??= Date.now() - killedAt;
    const allEffectsMs = Date.now() - started;
    expect(await effectsOf(ids)).toEqual({ events: 5000, duplicated: 0, rows: 5000 });
    await waitFor('every delivery reconciled', async () => (await statuses(ids)).delivered === ids.length, 20_000, 100);
    expect(await statuses(ids)).toEqual({ delivered: 5000 });
    const { calls, effects } = await second.stats();
    console.log(
      `SIGKILL: ${atKill} effects before the kill, ${orphans.length} jobs orphaned (${orphansCommitted} of them ` +
        `already committed), consumer back in ${restartedMs} ms; orphans' effects complete ${orphansDoneMs} ms after ` +
        `the kill; all 5,000 effects after ${allEffectsMs} ms, all delivered after ${Date.now() - started} ms; the ` +
        `second consumer ran the handler ${calls} times for ${effects} effects`,
    );
  }, 120_000);

  it('delivers every event exactly once in effect although Redis is flushed (FLUSHALL) midway', async () => {
    const started = Date.now();
    const [consumer] = live();
    const statsBefore = await consumer.stats();
    const before = await effectRows();
    const publishing = publishConcurrently('flush', 20, 100);
    publishing.catch(() => undefined);
    await waitFor('a third of the effects', async () => (await effectRows()) - before >= 2000 / 3, 30_000, 20);
    const [keysLost] = (await redis.multi().dbsize().flushall().exec())!;
    const atFlush = (await effectRows()) - before;
    const ids = await publishing;
    // What Redis lost: queued jobs, and finished jobs the reconciler had not read back yet.
    expect(keysLost[1]).toBeGreaterThan(0);
    // Deliveries Postgres still has as enqueued: only the reconciler can bring their jobs back.
    const unreconciled = (await statuses(ids)).enqueued ?? 0;
    expect(unreconciled).toBeGreaterThan(0);
    expect(atFlush).toBeLessThan(2000);

    await allEffects(ids, 45_000);
    expect(await effectsOf(ids)).toEqual({ events: 2000, duplicated: 0, rows: 2000 });
    await waitFor('every delivery reconciled', async () => (await statuses(ids)).delivered === ids.length, 20_000, 100);
    expect(await statuses(ids)).toEqual({ delivered: 2000 });
    const statsAfter = await consumer.stats();
    const calls = statsAfter.calls - statsBefore.calls;
    const effects = statsAfter.effects - statsBefore.effects;
    console.log(
      `FLUSHALL: ${atFlush} effects before the flush, ${keysLost[1]} Redis keys lost, ${unreconciled} deliveries ` +
        `still enqueued right after it; all 2,000 effects and deliveries after ${Date.now() - started} ms; the ` +
        `handler ran ${calls} times for ${effects} effects (${calls - effects} re-runs absorbed by the inbox)`,
    );
  }, 90_000);

  it('retries a poison event with backoff, parks it, and delivers it once when replayed after the fix', async () => {
    const [consumer] = live();
    const [id] = await producer.producer.publish(['poison']);
    await waitFor('parked', async () => (await statuses([id])).parked === 1, 20_000, 50);

    // Visible as parked, with the consumer's error, after MAX_ATTEMPTS attempts spaced by growing backoff.
    const parked: { event_id: string; subscriber: string; last_error: string }[] = await producer.catalog.query(
      listParked('catalog'),
      [100],
    );
    // The handler's error class and message explain the parking (its stack stays in the consumer's logs).
    expect(parked).toEqual([expect.objectContaining({ event_id: id, subscriber: 'notifications' })]);
    expect(parked[0].last_error).toMatch(/^\w*Error: .+/);
    expect(parked[0].last_error).not.toContain('An unexpected error occurred');
    expect(parked[0].last_error).not.toMatch(/\n\s+at /);
    const attempts = consumer.poisonCalls.filter((c) => c.id === id).map((c) => c.at);
    expect(attempts).toHaveLength(MAX_ATTEMPTS);
    const gaps = attempts.slice(1).map((at, i) => at - attempts[i]);
    expect(gaps[0]).toBeGreaterThanOrEqual(BACKOFF_BASE_MS * 0.9);
    expect(gaps[1]).toBeGreaterThanOrEqual(BACKOFF_BASE_MS * 2 * 0.9);
    expect(await effectsOf([id])).toEqual({ events: 0, duplicated: 0, rows: 0 }); // every attempt rolled back

    // The fix ships; then the operator replays. `npm run cli -- outbox:replay --context catalog --event <id>`
    // runs exactly this statement (replayParked) against the context's database, but it needs a build and
    // boots the real AppModule, whose catalog is not this test producer; so the test runs the statement itself.
    writeFileSync(fixedFile, 'fixed');
    const [{ n }] = await producer.catalog.query(replayParked('catalog'), [id, null]);
    expect(n).toBe(1);
    await waitFor('delivered after replay', async () => (await statuses([id])).delivered === 1, 15_000, 50);
    expect(await effectsOf([id])).toEqual({ events: 1, duplicated: 0, rows: 1 });
    expect(consumer.poisonCalls.filter((c) => c.id === id)).toHaveLength(MAX_ATTEMPTS + 1);
    console.log(`poison: attempts ${gaps.map((g) => `+${g} ms`).join(', ')} apart, parked, replayed, delivered once`);
  }, 45_000);
});

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
