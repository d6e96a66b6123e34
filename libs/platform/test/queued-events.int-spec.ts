import { Redis } from 'ioredis';
import { listParked, replayParked } from '@ficus/platform';
import { createTestDatabase, type TestDatabase } from '@ficus/platform/testing';
import { effectCounts, type OutboxTestApp, Probe, startOutboxApp, waitFor } from './outbox-harness.js';

/**
 * Producer and consumer in two separate Nest apps that share only Postgres and Redis, as two processes
 * would: events cross through the subscriber's BullMQ queue, and the reconciler brings outcomes back.
 * (The SIGKILL/FLUSHALL tests with real child processes are in queued-events.process.int-spec.ts.)
 */
describe('integration events through the subscriber queue', () => {
  let db: TestDatabase;
  let producer: OutboxTestApp;
  let consumer: OutboxTestApp;
  const probe = new Probe();
  const prefix = `ficus-test:queued:${process.pid}:${Date.now()}`;
  const env = {
    REDIS_KEY_PREFIX: prefix,
    OUTBOX_RECONCILE_INTERVAL_MS: '100',
    OUTBOX_MAX_ATTEMPTS: '3',
    OUTBOX_BACKOFF_BASE_MS: '20',
    DATABASE_POOL_SIZE: '5',
  };
  const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');

  const statuses = async (ids: string[]) => {
    const rows: { status: string; n: number }[] = await producer.catalog.query(
      `SELECT status, count(*)::int AS n FROM catalog.outbox_delivery WHERE event_id = ANY($1::uuid[]) GROUP BY status`,
      [ids],
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  };

  beforeAll(async () => {
    db = await createTestDatabase('queued');
    producer = await startOutboxApp(db.url, probe, 'producer', env, 'producer');
    consumer = await startOutboxApp(db.url, probe, 'consumer', env, 'consumer');
  }, 30_000);
  afterAll(async () => {
    await producer?.close();
    await consumer?.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db?.drop();
  });
  beforeEach(() => {
    probe.behaviour = () => undefined;
  });

  it('delivers 500 events across apps, each taking effect once, and marks them delivered', async () => {
    const ids = (
      await Promise.all(
        Array.from({ length: 10 }, (_, b) =>
          producer.producer.publish(Array.from({ length: 50 }, (_, i) => `x${b}-${i}`)),
        ),
      )
    ).flat();
    await waitFor(
      'every effect',
      async () => (await effectCounts(consumer.notifications, ids)).size === ids.length,
      20_000,
    );
    const counts = await effectCounts(consumer.notifications, ids);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    await waitFor('reconciled', async () => (await statuses(ids)).delivered === ids.length, 10_000);
    expect(probe.byApp.get('producer') ?? 0).toBe(0);
  }, 40_000);

  it("commits the worker's concurrent jobs in shared inbox transactions; a failing one retries alone", async () => {
    probe.behaviour = (event, call) => {
      if (event.payload.tag === 'grouped-13' && call === 1) throw new Error('first try fails');
    };
    const ids = await producer.producer.publish(Array.from({ length: 200 }, (_, i) => `grouped-${i}`));
    await waitFor(
      'every effect',
      async () => (await effectCounts(consumer.notifications, ids)).size === ids.length,
      20_000,
    );
    expect([...(await effectCounts(consumer.notifications, ids)).values()].every((n) => n === 1)).toBe(true);
    // The effect rows commit with their inbox rows: one transaction id per batch, far fewer than events.
    const [{ transactions }]: { transactions: number }[] = await consumer.notifications.query(
      `SELECT count(DISTINCT xmin::text)::int AS transactions FROM notifications.inbox WHERE event_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(transactions).toBeLessThan(ids.length / 3);
    expect(probe.calls.get(ids[13])).toBe(2);
    await waitFor('reconciled', async () => (await statuses(ids)).delivered === ids.length, 10_000);
  }, 40_000);

  it('re-enqueues deliveries whose jobs Redis lost, and each still takes effect once', async () => {
    // Stop the consumer so the jobs sit in the queue, then lose the queue.
    await consumer.close();
    const ids = await producer.producer.publish(Array.from({ length: 50 }, (_, i) => `lost-${i}`));
    await waitFor('enqueued', async () => (await statuses(ids)).enqueued === ids.length, 10_000);
    const keys = await redis.keys(`${prefix}:bull*`);
    if (keys.length) await redis.del(...keys);
    consumer = await startOutboxApp(db.url, probe, 'consumer', env, 'consumer');
    await waitFor(
      'every effect',
      async () => (await effectCounts(consumer.notifications, ids)).size === ids.length,
      20_000,
    );
    expect([...(await effectCounts(consumer.notifications, ids)).values()].every((n) => n === 1)).toBe(true);
    await waitFor('reconciled', async () => (await statuses(ids)).delivered === ids.length, 10_000);
  }, 40_000);

  it('parks a poison event after the queue gives up, and delivers it once when replayed', async () => {
    let poisoned = true;
    probe.behaviour = (event) => {
      if (poisoned && event.payload.tag === 'poison') throw new Error('cannot digest');
    };
    const [id] = await producer.producer.publish(['poison']);
    await waitFor('parked', async () => (await statuses([id])).parked === 1, 15_000);
    const parked: { event_id: string; last_error: string }[] = await producer.catalog.query(
      listParked('catalog'),
      [100],
    );
    expect(parked.find((p) => p.event_id === id)?.last_error).toBe('Error: cannot digest');
    expect(probe.calls.get(id)).toBe(3);
    poisoned = false;
    const [{ n }] = await producer.catalog.query(replayParked('catalog'), [id, null]);
    expect(n).toBe(1);
    await waitFor('delivered after replay', async () => (await statuses([id])).delivered === 1, 15_000);
    expect((await effectCounts(consumer.notifications, [id])).get(id)).toBe(1);
  }, 40_000);
});

/**
 * Completions come back from BullMQ's events stream, not from the reconciler: with a reconcile interval
 * far longer than the test, deliveries still turn `delivered` within moments of their effect.
 */
describe('integration events: delivered from the queue completion events', () => {
  let db: TestDatabase;
  let producer: OutboxTestApp;
  let consumer: OutboxTestApp;
  const probe = new Probe();
  const prefix = `ficus-test:completed:${process.pid}:${Date.now()}`;
  const env = { REDIS_KEY_PREFIX: prefix, OUTBOX_RECONCILE_INTERVAL_MS: '600000', DATABASE_POOL_SIZE: '5' };
  const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');

  beforeAll(async () => {
    db = await createTestDatabase('completed');
    producer = await startOutboxApp(db.url, probe, 'producer', env, 'producer');
    consumer = await startOutboxApp(db.url, probe, 'consumer', env, 'consumer');
  }, 30_000);
  afterAll(async () => {
    await producer?.close();
    await consumer?.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db?.drop();
  });

  it('marks 300 deliveries delivered without the reconciler', async () => {
    const ids = (
      await Promise.all(
        Array.from({ length: 6 }, (_, b) =>
          producer.producer.publish(Array.from({ length: 50 }, (_, i) => `c${b}-${i}`)),
        ),
      )
    ).flat();
    await waitFor(
      'every effect',
      async () => (await effectCounts(consumer.notifications, ids)).size === ids.length,
      20_000,
    );
    const delivered = async () => {
      const [{ n }] = await producer.catalog.query(
        `SELECT count(*)::int AS n FROM catalog.outbox_delivery WHERE event_id = ANY($1::uuid[]) AND status = 'delivered'`,
        [ids],
      );
      return n as number;
    };
    await waitFor('delivered from completion events', async () => (await delivered()) === ids.length, 5_000);
  }, 40_000);
});
