import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import type { IntegrationEvent } from '@ficus/contracts';
import { createTestDatabase, type TestDatabase } from '@ficus/platform/testing';
import { listParked, replayParked } from '../src/outbox/index.js';
import {
  deliveryOf,
  effectCounts,
  type OutboxTestApp,
  Probe,
  relayIdle,
  RolledBack,
  startOutboxApp,
  TEST_EVENT,
  waitFor,
} from './outbox-harness.js';

// Retries come due after their backoff and are picked up by the 100 ms poll; after 3 attempts, parked.
const ENV = {
  OUTBOX_POLL_INTERVAL_MS: '100',
  OUTBOX_MAX_ATTEMPTS: '3',
  OUTBOX_BACKOFF_BASE_MS: '200',
  OUTBOX_BACKOFF_MAX_MS: '1000',
  OUTBOX_BATCH_SIZE: '25',
  DATABASE_POOL_SIZE: '4', // two apps × two contexts, beside other test files on one Postgres
};
const BOOT_TIMEOUT_MS = 30_000;
jest.setTimeout(15_000); // above every waitFor deadline below but the 300-event one's

let db: TestDatabase;
const probe = new Probe();

beforeAll(async () => {
  db = await createTestDatabase('outbox');
}, BOOT_TIMEOUT_MS);

afterAll(async () => {
  await db?.drop();
});

beforeEach(() => {
  probe.behaviour = () => undefined;
});

const isDelivered = (ficus: OutboxTestApp, id: string) => async () =>
  (await deliveryOf(ficus.catalog, id))?.status === 'delivered';

async function loadEvent(ficus: OutboxTestApp, id: string): Promise<IntegrationEvent> {
  const [row] = await ficus.catalog.query('SELECT * FROM catalog.outbox WHERE id = $1', [id]);
  return {
    id: row.id,
    name: row.name,
    occurredAt: new Date(row.occurred_at).toISOString(),
    aggregateId: row.aggregate_id,
    correlationId: row.correlation_id,
    source: 'catalog',
    payload: row.payload,
  };
}

describe('the outbox relay (polling every 100 ms)', () => {
  let ficus: OutboxTestApp;

  beforeAll(async () => {
    ficus = await startOutboxApp(db.url, probe, 'a', ENV);
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await ficus?.close();
  });

  it('never delivers an event whose transaction rolled back, and delivers the one committed right after it', async () => {
    const failure = await ficus.producer.publish(['doomed'], { rollback: true }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RolledBack);
    const [doomed] = (failure as RolledBack).ids;
    const [kept] = await ficus.producer.publish(['kept']);

    await waitFor(
      'the committed event to take effect',
      async () => (await effectCounts(ficus.notifications, [kept])).get(kept) === 1,
    );
    expect(probe.calls.get(kept)).toBe(1);
    expect(probe.calls.has(doomed)).toBe(false);
    expect(await ficus.catalog.query('SELECT 1 FROM catalog.outbox WHERE id = $1', [doomed])).toEqual([]);
    expect(await ficus.catalog.query('SELECT 1 FROM catalog.outbox_delivery WHERE event_id = $1', [doomed])).toEqual(
      [],
    );
    expect((await effectCounts(ficus.notifications, [doomed])).size).toBe(0);
  });

  it('retries a handler that fails twice with backoff, and it finally takes effect exactly once', async () => {
    probe.behaviour = (event, call) => {
      if (event.payload.tag === 'flaky' && call <= 2) throw new Error(`flaky failure ${call}`);
    };
    const [id] = await ficus.producer.publish(['flaky']);

    await waitFor('the flaky event to be delivered', isDelivered(ficus, id), 8000);
    expect(probe.calls.get(id)).toBe(3);
    expect(await deliveryOf(ficus.catalog, id)).toEqual({ status: 'delivered', attempts: 3, last_error: null });
    // The failed attempts' effect rows rolled back with their inbox rows; only the third one's is left.
    expect(await ficus.notifications.query('SELECT n FROM notifications.effects WHERE event_id = $1', [id])).toEqual([
      { n: 3 },
    ]);
    expect(
      await ficus.notifications.query('SELECT consumer FROM notifications.inbox WHERE event_id = $1', [id]),
    ).toEqual([{ consumer: 'notifications' }]);
    // Backoff (base 200 ms, jitter down to half): ≥ 100 ms after attempt 1, ≥ 200 ms after attempt 2.
    const [t1, t2, t3] = probe.times.get(id)!;
    expect(t2 - t1).toBeGreaterThanOrEqual(100);
    expect(t3 - t2).toBeGreaterThanOrEqual(200);
  });

  it('parks a poison event after OUTBOX_MAX_ATTEMPTS, lists it, and delivers it once when replayed after a fix', async () => {
    let fixed = false;
    probe.behaviour = (event) => {
      if (event.payload.tag === 'poison' && !fixed) throw new Error('poison pill');
    };
    const [id] = await ficus.producer.publish(['poison']);

    await waitFor(
      'the poison event to be parked',
      async () => (await deliveryOf(ficus.catalog, id))?.status === 'parked',
      8000,
    );
    expect(probe.calls.get(id)).toBe(3);
    const parked: { event_id: string; attempts: number; last_error: string }[] = await ficus.catalog.query(
      listParked('catalog'),
      [100],
    );
    expect(parked).toEqual([
      expect.objectContaining({ event_id: id, subscriber: 'notifications', attempts: 3, name: TEST_EVENT.name }),
    ]);
    expect(parked[0].last_error).toBe('Error: poison pill');
    // A parked delivery is left alone: several polls later nothing more was attempted.
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(probe.calls.get(id)).toBe(3);
    expect((await effectCounts(ficus.notifications, [id])).size).toBe(0);

    fixed = true;
    expect(await ficus.catalog.query(replayParked('catalog'), [id, null])).toEqual([{ n: 1 }]);
    await waitFor('the replayed event to be delivered', isDelivered(ficus, id));
    expect(probe.calls.get(id)).toBe(4);
    expect((await effectCounts(ficus.notifications, [id])).get(id)).toBe(1);
    expect(await deliveryOf(ficus.catalog, id)).toEqual({ status: 'delivered', attempts: 1, last_error: null });
    expect(await ficus.catalog.query(listParked('catalog'), [100])).toEqual([]);
  });

  it('delivers each of 300 events exactly once while two relays run at once over the same outbox', async () => {
    const second = await startOutboxApp(db.url, probe, 'b', ENV);
    try {
      const before = { a: probe.byApp.get('a') ?? 0, b: probe.byApp.get('b') ?? 0 };
      const batches = Array.from({ length: 30 }, (_, i) => Array.from({ length: 10 }, (_, j) => `pair-${i}-${j}`));
      const ids = (await Promise.all(batches.map((tags, i) => (i % 2 ? second : ficus).producer.publish(tags)))).flat();
      expect(new Set(ids).size).toBe(300);

      await waitFor(
        'all 300 events to be delivered',
        async () => {
          const [{ n }] = await ficus.catalog.query(
            `SELECT count(*)::int AS n FROM catalog.outbox_delivery WHERE event_id = ANY($1::uuid[]) AND status = 'delivered'`,
            [ids],
          );
          return n === 300;
        },
        20_000,
        50,
      );
      const notExactlyOnce = ids.filter((id) => probe.calls.get(id) !== 1).map((id) => [id, probe.calls.get(id)]);
      expect(notExactlyOnce).toEqual([]);
      const effects = await effectCounts(ficus.notifications, ids);
      expect(effects.size).toBe(300);
      expect([...effects.values()].every((n) => n === 1)).toBe(true);
      // Both relays did part of the work (SKIP LOCKED split it rather than one relay doing it all).
      expect((probe.byApp.get('a') ?? 0) - before.a).toBeGreaterThan(0);
      expect((probe.byApp.get('b') ?? 0) - before.b).toBeGreaterThan(0);
    } finally {
      await second.close();
    }
  }, 45_000);

  it('takes effect once when the same event is delivered again, sequentially or concurrently, thanks to the inbox', async () => {
    const [id] = await ficus.producer.publish(['duplicate']);
    await waitFor('the first delivery', isDelivered(ficus, id));
    const event = await loadEvent(ficus, id);
    await Promise.all([ficus.server.deliver(event, 'notifications'), ficus.server.deliver(event, 'notifications')]);
    await ficus.server.deliver(event, 'notifications');
    expect(probe.calls.get(id)).toBe(4);
    expect((await effectCounts(ficus.notifications, [id])).get(id)).toBe(1);

    // Two copies racing, neither handled before: one waits on the inbox key, then skips.
    const fresh = { ...event, id: randomUUID() };
    await Promise.all([ficus.server.deliver(fresh, 'notifications'), ficus.server.deliver(fresh, 'notifications')]);
    expect(probe.calls.get(fresh.id)).toBe(2);
    expect((await effectCounts(ficus.notifications, [fresh.id])).get(fresh.id)).toBe(1);
    expect(
      await ficus.notifications.query('SELECT 1 FROM notifications.inbox WHERE event_id = $1', [fresh.id]),
    ).toHaveLength(1);
  });
});

describe('the outbox relay woken by LISTEN/NOTIFY (polling only every 60 s)', () => {
  let ficus: OutboxTestApp;

  beforeAll(async () => {
    ficus = await startOutboxApp(db.url, probe, 'listen', { ...ENV, OUTBOX_POLL_INTERVAL_MS: '60000' });
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await ficus?.close();
  });

  it('delivers a committed event within 2 s although the next poll is a minute away', async () => {
    // Control: a row inserted without NOTIFY is not picked up, so the poll really is out of the picture.
    await relayIdle(ficus.relay); // the start-up pass must not sweep it up
    const silent = randomUUID();
    await ficus.catalog.query(
      `INSERT INTO catalog.outbox (id, name, aggregate_id, correlation_id, payload, occurred_at)
       VALUES ($1, $2, 'agg-silent', 'corr-silent', '{"tag":"silent"}', clock_timestamp())`,
      [silent, TEST_EVENT.name],
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(probe.calls.has(silent)).toBe(false);

    const committedAt = Date.now();
    const [id] = await ficus.producer.publish(['wake-up']);
    await waitFor('the notified event to be delivered', isDelivered(ficus, id), 2000, 10);
    expect(Date.now() - committedAt).toBeLessThan(2000);
    expect(probe.calls.get(id)).toBe(1);
    // The pass the notification started also swept up the silent row.
    await waitFor('the silent row to ride along', isDelivered(ficus, silent), 2000, 10);
  });
});
