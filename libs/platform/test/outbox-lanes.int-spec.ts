import type { IntegrationEvent } from '@ficus/contracts';
import { createTestDatabase, type TestDatabase } from '@ficus/platform/testing';
import { OutboxRelay, type RelayOptions } from '../src/outbox/index.js';
import { type OutboxTestApp, Probe, startOutboxApp, TEST_EVENT, waitFor } from './outbox-harness.js';

/** Context names stand in for the subscribers (the registry names contexts). */
const SLOW = 'notifications';
const FAST = 'ordering';

const OPTIONS: RelayOptions = {
  pollIntervalMs: 100,
  batchSize: 3,
  maxAttempts: 5,
  backoffBaseMs: 100,
  backoffMaxMs: 1000,
  leaseMs: 30_000,
  retentionHours: 1,
};

/**
 * One relay, two in-process subscribers of the same event: `slow` holds every delivery until released,
 * `fast` answers at once. The relay runs over the real outbox tables; the subscribers are the dispatcher
 * (what the in-process transport would call).
 */
class Subscribers {
  readonly got = { slow: [] as string[], fast: [] as string[] };
  slowRunning = 0;
  private release?: () => void;
  private gate = new Promise<void>((resolve) => (this.release = resolve));

  async deliver(event: IntegrationEvent, subscriber: string): Promise<void> {
    if (subscriber === SLOW) {
      this.slowRunning++;
      await this.gate;
      this.slowRunning--;
    }
    this.got[subscriber === SLOW ? 'slow' : 'fast'].push(event.id);
  }

  open(): void {
    this.release!();
  }
}

describe('outbox relay lanes: one per in-process subscriber', () => {
  let db: TestDatabase;
  let ficus: OutboxTestApp;
  let relay: OutboxRelay | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('outbox-lanes');
    // The app provides the schema and the producer; its own relay stays off so that only ours delivers.
    ficus = await startOutboxApp(db.url, new Probe(), 'lanes', { OUTBOX_RELAY_ENABLED: 'false' }, 'producer');
  }, 30_000);

  afterAll(async () => {
    await relay?.stop();
    await ficus?.close();
    await db?.drop();
  });

  it('keeps delivering to a fast subscriber while a slow one holds its deliveries, and never overfills the slow lane', async () => {
    const subscribers = new Subscribers();
    relay = new OutboxRelay(
      'catalog',
      ficus.catalog,
      db.url,
      { [TEST_EVENT.name]: [SLOW, FAST] },
      subscribers,
      OPTIONS,
    );
    await relay.start();
    const ids: string[] = [];
    // Ten commits of one event: ten passes' worth while `slow` answers none of them.
    for (let i = 0; i < 10; i++) ids.push(...(await ficus.producer.publish([`e${i}`])));
    await waitFor('every event at the fast subscriber', async () => subscribers.got.fast.length === ids.length);
    expect(new Set(subscribers.got.fast)).toEqual(new Set(ids));
    expect(subscribers.got.slow).toEqual([]);
    // The slow lane stopped taking work once it held two passes' worth (batch size 3): a pass adds at most
    // one batch beyond that, and the rest waits unclaimed in Postgres.
    expect(subscribers.slowRunning).toBeLessThan(3 * OPTIONS.batchSize);
    const [counts] = await ficus.catalog.query(
      `SELECT count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
              count(*) FILTER (WHERE status = 'pending' AND attempts = 0)::int AS left_unclaimed
       FROM catalog.outbox_delivery WHERE subscriber = $1`,
      [SLOW],
    );
    expect(counts).toEqual({ delivered: 0, left_unclaimed: ids.length - subscribers.slowRunning });
    subscribers.open();
    await waitFor('every event at the slow subscriber too', async () => subscribers.got.slow.length === ids.length);
    expect(new Set(subscribers.got.slow)).toEqual(new Set(ids));
    await waitFor('every delivery recorded', async () => {
      const [{ n }] = await ficus.catalog.query(
        `SELECT count(*)::int AS n FROM catalog.outbox_delivery WHERE status = 'delivered'`,
      );
      return n === 2 * ids.length;
    });
  });
});
