import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@ficus/platform/testing';
import { Inbox } from '../src/outbox/inbox.js';
import { messagingTablesMigration } from '../src/outbox/messaging-tables.migration.js';

class CreateEffects1800000000001 implements MigrationInterface {
  name = 'CreateEffects1800000000001';
  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE notifications.effects (event_id uuid NOT NULL, run int NOT NULL)');
    await q.query('CREATE TABLE notifications.counters (id int PRIMARY KEY, n int NOT NULL)');
    await q.query('INSERT INTO notifications.counters VALUES (1, 0), (2, 0)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE notifications.effects, notifications.counters');
  }
}

/**
 * The inbox's group commit against the real Postgres: concurrent events of one consumer share one
 * transaction (seen in the rows' `xmin`: one transaction id), each effect runs once, and any failure in a
 * batch re-runs its events one by one so that only the failing one fails.
 */
describe('Inbox group commit', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let other: DataSource;
  let inbox: Inbox;
  const runs = new Map<string, number>();

  /** An effect that writes its row (with how many times it has been called) and may then misbehave. */
  const effect =
    (id: string, after: (manager: EntityManager, run: number) => Promise<void> = async () => undefined) =>
    async (manager: EntityManager) => {
      const run = (runs.get(id) ?? 0) + 1;
      runs.set(id, run);
      await manager.query('INSERT INTO notifications.effects (event_id, run) VALUES ($1, $2)', [id, run]);
      await after(manager, run);
    };

  const committed = async (ids: string[]) => {
    const [row]: { inbox: number; effects: number; transactions: number }[] = await dataSource.query(
      `SELECT (SELECT count(*)::int FROM notifications.inbox WHERE event_id = ANY($1::uuid[])) AS inbox,
              (SELECT count(*)::int FROM notifications.effects WHERE event_id = ANY($1::uuid[])) AS effects,
              (SELECT count(DISTINCT xmin::text)::int FROM (
                 SELECT xmin FROM notifications.inbox WHERE event_id = ANY($1::uuid[])
                 UNION ALL SELECT xmin FROM notifications.effects WHERE event_id = ANY($1::uuid[])) x) AS transactions`,
      [ids],
    );
    return row;
  };
  /** Inbox rows that have no effect row: must never exist. */
  const orphans = async (ids: string[]) => {
    const [row]: { n: number }[] = await dataSource.query(
      `SELECT count(*)::int AS n FROM notifications.inbox i WHERE i.event_id = ANY($1::uuid[])
       AND NOT EXISTS (SELECT 1 FROM notifications.effects e WHERE e.event_id = i.event_id)`,
      [ids],
    );
    return row.n;
  };

  beforeAll(async () => {
    db = await createTestDatabase('inbox');
    const options = {
      type: 'postgres' as const,
      url: db.url,
      poolSize: 4,
      migrations: [messagingTablesMigration('notifications'), CreateEffects1800000000001],
      migrationsTableName: 'notifications_migrations',
    };
    dataSource = await new DataSource(options).initialize();
    await dataSource.runMigrations();
    other = await new DataSource(options).initialize();
    inbox = new Inbox('notifications', dataSource, { batchMax: 100 });
  }, 30_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await other?.destroy();
    await db?.drop();
  });

  it('commits concurrent events in one transaction and runs each effect once', async () => {
    const ids = Array.from({ length: 30 }, () => randomUUID());
    const ran = await Promise.all(ids.map((id) => inbox.runOnce({ id }, effect(id))));
    expect(ran).toEqual(ids.map(() => true));
    expect(ids.map((id) => runs.get(id))).toEqual(ids.map(() => 1));
    expect(await committed(ids)).toEqual({ inbox: 30, effects: 30, transactions: 1 });
  });

  it('takes no more than the configured batch in one transaction', async () => {
    const small = new Inbox('notifications', dataSource, { batchMax: 10 });
    const ids = Array.from({ length: 25 }, () => randomUUID());
    expect(await Promise.all(ids.map((id) => small.runOnce({ id }, effect(id))))).toEqual(ids.map(() => true));
    expect(await committed(ids)).toEqual({ inbox: 25, effects: 25, transactions: 3 });
  });

  it('shares a burst evenly between its parallel transactions', async () => {
    const parallel = new Inbox('notifications', dataSource, { batchMax: 100, flushes: 3 });
    const ids = Array.from({ length: 30 }, () => randomUUID());
    expect(await Promise.all(ids.map((id) => parallel.runOnce({ id }, effect(id))))).toEqual(ids.map(() => true));
    expect(await committed(ids)).toEqual({ inbox: 30, effects: 30, transactions: 3 });
    const xmins: { n: number }[] = await dataSource.query(
      `SELECT count(*)::int AS n FROM notifications.inbox WHERE event_id = ANY($1::uuid[]) GROUP BY xmin::text`,
      [ids],
    );
    expect(xmins.map((x) => x.n)).toEqual([10, 10, 10]);
    // A small queue is not split into shares smaller than 8: 10 events, 3 free transactions → 8 + 2.
    const few = Array.from({ length: 10 }, () => randomUUID());
    await Promise.all(few.map((id) => parallel.runOnce({ id }, effect(id))));
    expect(await committed(few)).toEqual({ inbox: 10, effects: 10, transactions: 2 });
  });

  it('runs a lone event at once, in a transaction of its own', async () => {
    const id = randomUUID();
    const started = performance.now();
    expect(await inbox.runOnce({ id }, effect(id))).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await committed([id])).toEqual({ inbox: 1, effects: 1, transactions: 1 });
  });

  it('fails only the event whose effect throws; the others of its batch commit', async () => {
    const ids = Array.from({ length: 10 }, () => randomUUID());
    const poison = ids[4];
    const outcomes = await Promise.allSettled(
      ids.map((id) =>
        inbox.runOnce(
          { id },
          effect(id, async () => {
            if (id === poison) throw new Error('the effect failed');
          }),
        ),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(ids.map((id) => (id === poison ? 'rejected' : 'fulfilled')));
    expect((outcomes[4] as PromiseRejectedResult).reason.message).toBe('the effect failed');
    const good = ids.filter((id) => id !== poison);
    expect(await committed(good)).toEqual({ inbox: 9, effects: 9, transactions: 9 });
    expect(await committed([poison])).toEqual({ inbox: 0, effects: 0, transactions: 0 });
    expect(await orphans(ids)).toBe(0);
  });

  it('fails only the event whose SQL error aborted the shared transaction', async () => {
    const ids = Array.from({ length: 6 }, () => randomUUID());
    const poison = ids[0];
    const outcomes = await Promise.allSettled(
      ids.map((id) =>
        inbox.runOnce(
          { id },
          effect(id, async (manager) => {
            if (id === poison) await manager.query('SELECT * FROM notifications.no_such_table');
          }),
        ),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
    expect(outcomes[0].status).toBe('rejected');
    expect(await committed(ids.slice(1))).toMatchObject({ inbox: 5, effects: 5 });
    expect(await committed([poison])).toMatchObject({ inbox: 0, effects: 0 });
  });

  it('sends an event that failed alone on its own next time, and batches it again once it succeeds', async () => {
    const poison = randomUUID();
    let broken = true;
    const flaky = effect(poison, async () => {
      if (broken) throw new Error('still broken');
    });
    await expect(
      Promise.all([inbox.runOnce({ id: poison }, flaky), inbox.runOnce({ id: randomUUID() }, async () => undefined)]),
    ).rejects.toThrow('still broken');
    // The retry goes alone (no batch to roll back), here beside a batch of others.
    const others = Array.from({ length: 5 }, () => randomUUID());
    broken = false;
    const ran = await Promise.all([
      inbox.runOnce({ id: poison }, flaky),
      ...others.map((id) => inbox.runOnce({ id }, effect(id))),
    ]);
    expect(ran).toEqual([true, true, true, true, true, true]);
    expect(await committed(others)).toEqual({ inbox: 5, effects: 5, transactions: 1 });
    expect(await committed([poison])).toEqual({ inbox: 1, effects: 1, transactions: 1 });
  });

  it('runs the effect of an event delivered twice in one batch once, and not at all when it comes again', async () => {
    const id = randomUUID();
    const [first, second, third] = await Promise.all([
      inbox.runOnce({ id }, effect(id)),
      inbox.runOnce({ id: id.toUpperCase() }, effect(id)),
      inbox.runOnce({ id }, effect(id)),
    ]);
    expect([first, second, third]).toEqual([true, false, false]);
    expect(runs.get(id)).toBe(1);
    expect(await inbox.runOnce({ id }, effect(id))).toBe(false);
    expect(
      await Promise.all([
        inbox.runOnce({ id }, effect(id)),
        inbox.runOnce({ id: randomUUID() }, async () => undefined),
      ]),
    ).toEqual([false, true]);
    expect(runs.get(id)).toBe(1);
    expect(await committed([id])).toEqual({ inbox: 1, effects: 1, transactions: 1 });
  });

  it('takes an event in once when two replicas batch it at the same time', async () => {
    const replica = new Inbox('notifications', other, { batchMax: 100 });
    const ids = Array.from({ length: 40 }, () => randomUUID());
    const ran = await Promise.all([
      ...ids.map((id) => inbox.runOnce({ id }, effect(id))),
      ...[...ids].reverse().map((id) => replica.runOnce({ id }, effect(id))),
    ]);
    const perId = ids.map((id, i) => Number(ran[i]) + Number(ran[ran.length - 1 - i]));
    expect(perId).toEqual(ids.map(() => 1));
    expect(await committed(ids)).toMatchObject({ inbox: 40, effects: 40 });
    expect(ids.map((id) => runs.get(id))).toEqual(ids.map(() => 1));
  });

  it('recovers from a deadlock between two replicas’ batches: every event commits once', async () => {
    const replica = new Inbox('notifications', other, { batchMax: 100 });
    await dataSource.query('UPDATE notifications.counters SET n = 0');
    // A's batch locks counter 1 then 2, B's 2 then 1; each waits for the other to hold its first lock.
    let release!: () => void;
    const bothLocked = new Promise<void>((resolve) => (release = resolve));
    let locked = 0;
    const bump = (first: number, second: number) => async (manager: EntityManager, run: number) => {
      await manager.query('UPDATE notifications.counters SET n = n + 1 WHERE id = $1', [first]);
      if (run === 1) {
        if (++locked === 2) release();
        await bothLocked;
      }
      await manager.query('UPDATE notifications.counters SET n = n + 1 WHERE id = $1', [second]);
    };
    const a = [randomUUID(), randomUUID()];
    const b = [randomUUID(), randomUUID()];
    const ran = await Promise.all([
      inbox.runOnce({ id: a[0] }, effect(a[0], bump(1, 2))),
      inbox.runOnce({ id: a[1] }, effect(a[1])),
      replica.runOnce({ id: b[0] }, effect(b[0], bump(2, 1))),
      replica.runOnce({ id: b[1] }, effect(b[1])),
    ]);
    expect(ran).toEqual([true, true, true, true]);
    expect(await committed([...a, ...b])).toMatchObject({ inbox: 4, effects: 4 });
    const counters: { n: number }[] = await dataSource.query('SELECT n FROM notifications.counters ORDER BY id');
    expect(counters.map((c) => c.n)).toEqual([2, 2]);
  }, 15_000);

  it('leaves no inbox row without its effect when the connection dies mid-batch', async () => {
    const ids = Array.from({ length: 8 }, () => randomUUID());
    const ran = await Promise.allSettled(
      ids.map((id, i) =>
        inbox.runOnce(
          { id },
          effect(id, async (manager, run) => {
            // The batch's backend is killed after some effects wrote their rows.
            if (i === 5 && run === 1) await manager.query('SELECT pg_terminate_backend(pg_backend_pid())');
          }),
        ),
      ),
    );
    // Re-run alone on fresh connections, every event is taken in once.
    expect(ran.map((o) => o.status)).toEqual(ids.map(() => 'fulfilled'));
    expect(await committed(ids)).toMatchObject({ inbox: 8, effects: 8 });
    expect(await orphans(ids)).toBe(0);
  });

  it('commits one by one when batching is off (INBOX_BATCH_MAX=1)', async () => {
    const single = new Inbox('notifications', dataSource, { batchMax: 1 });
    const ids = Array.from({ length: 5 }, () => randomUUID());
    expect(await Promise.all(ids.map((id) => single.runOnce({ id }, effect(id))))).toEqual(ids.map(() => true));
    expect(await committed(ids)).toEqual({ inbox: 5, effects: 5, transactions: 5 });
  });
});
