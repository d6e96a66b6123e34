import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { call, type RunningApp, startTestApp } from './e2e-harness.js';

/**
 * Readiness and the outbox: only work that this process should have moved and has not (late) can make a
 * replica unready. Deliveries handed to another process's queue wait on that consumer, never on us.
 */
describe('readiness and the outbox backlog', () => {
  let t: RunningApp;
  let sql: pg.Client;
  beforeAll(async () => {
    // The relay is off, so rows stay exactly as this test writes them.
    t = await startTestApp('ready', {
      OUTBOX_RELAY_ENABLED: 'false',
      OUTBOX_READY_BACKLOG_THRESHOLD: '2',
      OUTBOX_READY_LATE_MS: '60000',
    });
    sql = new pg.Client({ connectionString: t.db.url });
    await sql.connect();
  }, 30_000);
  afterAll(async () => {
    await sql?.end();
    await t?.close();
  });

  async function insertEvents(n: number, options: { ageMinutes: number; fannedOut: boolean }): Promise<string[]> {
    const ids = Array.from({ length: n }, () => randomUUID());
    for (const id of ids) {
      await sql.query(
        `INSERT INTO identity.outbox (id, name, aggregate_id, correlation_id, payload, occurred_at, created_at, fanned_out_at)
         VALUES ($1::uuid, 'identity.user-registered.v1', $1::text, 'ready-test', '{}', now(),
                 now() - make_interval(mins => $2::int), CASE WHEN $3::boolean THEN now() END)`,
        [id, options.ageMinutes, options.fannedOut],
      );
    }
    return ids;
  }
  const outbox = async () => {
    const res = await call(t.url, 'GET', '/health/ready');
    return { status: res.status, body: res.body, identity: res.body.details?.outbox?.backlog?.identity };
  };

  it('stays ready with many deliveries enqueued for another process, long overdue', async () => {
    const ids = await insertEvents(5, { ageMinutes: 120, fannedOut: true });
    for (const id of ids) {
      await sql.query(
        `INSERT INTO identity.outbox_delivery (event_id, subscriber, status, attempts, next_attempt_at)
         VALUES ($1, 'notifications', 'enqueued', 1, now() - interval '1 hour')`,
        [id],
      );
    }
    const ready = await outbox();
    expect(ready.status).toBe(200);
    expect(ready.identity).toMatchObject({ enqueued: 5, late: 0 });
  });

  it('stays ready with fresh unfanned events and deliveries in backoff', async () => {
    const [inBackoff] = await insertEvents(1, { ageMinutes: 0, fannedOut: true });
    await sql.query(
      `INSERT INTO identity.outbox_delivery (event_id, subscriber, status, attempts, next_attempt_at)
       VALUES ($1, 'notifications', 'pending', 3, now() + interval '10 minutes')`,
      [inBackoff],
    );
    await insertEvents(3, { ageMinutes: 0, fannedOut: false });
    const ready = await outbox();
    expect(ready.status).toBe(200);
    expect(ready.identity).toMatchObject({ unfanned: 3, pending: 1, late: 0 });
  });

  it('turns unready once late work passes the threshold', async () => {
    await insertEvents(3, { ageMinutes: 5, fannedOut: false });
    const ready = await outbox();
    expect(ready.status).toBe(503);
    expect(ready.body.details.outbox.status).toBe('down');
  });
});
