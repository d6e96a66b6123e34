import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@ficus/platform/testing';
import { CreateIdempotencyKeys1780000000000 } from '../src/idempotency/idempotency-keys.migration.js';
import {
  type ClaimOutcome,
  IdempotencyStore,
  type IdempotencyScope,
  type StoredResponse,
} from '../src/idempotency/idempotency.store.js';

const ROUTE = 'POST /v1/things';
const answer = (n: number): StoredResponse => ({
  status: 201,
  headers: { location: `/v1/things/${n}`, 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify({ id: n }),
});
const lockOf = (outcome: ClaimOutcome) => (outcome.kind === 'claimed' ? outcome.lock : undefined);
const kinds = (outcomes: ClaimOutcome[]) => outcomes.map((o) => o.kind);

/**
 * The key store's group commit against the real Postgres: claims (and completions) made together go out as
 * one statement (seen in the rows' `xmin`: one transaction id), each caller still gets its own outcome,
 * the same key twice in one batch is claimed once, and a row that fails fails alone.
 */
describe('IdempotencyStore group commit', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let store: IdempotencyStore;

  const scopes = (n: number): IdempotencyScope[] => {
    const userId = `user-${randomUUID()}`;
    return Array.from({ length: n }, (_, i) => ({ userId, route: ROUTE, key: `key-${i}-${randomUUID()}` }));
  };
  /** How many transactions wrote the current versions of these keys' rows. */
  const transactions = async (keys: IdempotencyScope[]) => {
    const [row]: { n: number }[] = await dataSource.query(
      'SELECT count(DISTINCT xmin::text)::int AS n FROM idempotency.keys WHERE idempotency_key = ANY($1::text[])',
      [keys.map((scope) => scope.key)],
    );
    return row!.n;
  };

  beforeAll(async () => {
    db = await createTestDatabase('idempotency_gc');
    dataSource = await new DataSource({
      type: 'postgres',
      url: db.url,
      poolSize: 4,
      migrations: [CreateIdempotencyKeys1780000000000],
      migrationsTableName: 'idempotency_migrations',
    }).initialize();
    await dataSource.runMigrations();
    store = new IdempotencyStore(dataSource, { retentionHours: 24, leaseMs: 30_000, batchMax: 100, flushes: 1 });
  }, 30_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('claims and completes keys that arrive together in one statement each, every caller with its own lock', async () => {
    const keys = scopes(20);
    const claims = await Promise.all(keys.map((scope) => store.claim(scope, 'f')));
    expect(kinds(claims)).toEqual(keys.map(() => 'claimed'));
    const locks = claims.map(lockOf);
    expect(new Set(locks).size).toBe(20);
    expect(await transactions(keys)).toBe(1);

    const completed = await Promise.all(keys.map((scope, i) => store.complete(scope, locks[i]!, answer(i))));
    expect(completed).toEqual(keys.map(() => true));
    expect(await transactions(keys)).toBe(1);

    // Each key replays its own answer, not a neighbour's from the same batch.
    const replays = await Promise.all(keys.map((scope) => store.claim(scope, 'f')));
    expect(replays).toEqual(keys.map((_, i) => ({ kind: 'replay', response: answer(i) })));
  });

  it('claims a key sent several times in one batch once; the others find it in use, then replay it', async () => {
    const [scope, ...others] = scopes(4);
    const [racing] = await Promise.all([
      Promise.all(Array.from({ length: 5 }, () => store.claim(scope!, 'same body'))),
      Promise.all(others.map((other) => store.claim(other, 'f'))),
    ]);
    expect(kinds(racing).sort()).toEqual(['claimed', 'in-use', 'in-use', 'in-use', 'in-use']);
    // One statement for all: the copies did not make it fail ("cannot affect row a second time") and run alone.
    expect(await transactions([scope!, ...others])).toBe(1);
    const lock = racing.map(lockOf).find(Boolean)!;
    expect(await store.complete(scope!, lock, answer(7))).toBe(true);
    const after = await Promise.all(Array.from({ length: 5 }, () => store.claim(scope!, 'same body')));
    expect(after).toEqual(Array.from({ length: 5 }, () => ({ kind: 'replay', response: answer(7) })));
  });

  it('answers reused to a different request with the same key in the same batch', async () => {
    const [scope] = scopes(1);
    const [first, second] = await Promise.all([store.claim(scope!, 'body a'), store.claim(scope!, 'body b')]);
    expect(first!.kind).toBe('claimed');
    expect(second).toEqual({ kind: 'reused' });
  });

  it('takes over expired and orphaned keys in a batch, but never for a different request', async () => {
    const keys = scopes(4);
    // An expired completed key, two keys whose holder died (lease over), and one whose holder still runs.
    await dataSource.query(
      `INSERT INTO idempotency.keys (user_id, route, idempotency_key, fingerprint, state, lock_token, locked_until,
         response_status, completed_at, expires_at)
       SELECT $1, $2, key, fp, state, CASE WHEN state = 'in_progress' THEN gen_random_uuid() END,
              CASE WHEN state = 'in_progress' THEN now() + lease END,
              CASE WHEN state = 'completed' THEN 201 END, CASE WHEN state = 'completed' THEN now() END, expires
       FROM (VALUES ($3, 'old', 'completed', NULL::interval, now() - interval '1 hour'),
                    ($4, 'f', 'in_progress', interval '-1 second', now() + interval '1 day'),
                    ($5, 'f', 'in_progress', interval '-1 second', now() + interval '1 day'),
                    ($6, 'f', 'in_progress', interval '1 hour', now() + interval '1 day')) AS v(key, fp, state, lease, expires)`,
      [keys[0]!.userId, ROUTE, ...keys.map((scope) => scope.key)],
    );
    const outcomes = await Promise.all([
      store.claim(keys[0]!, 'new'),
      store.claim(keys[1]!, 'other body'),
      store.claim(keys[2]!, 'f'),
      store.claim(keys[3]!, 'f'),
    ]);
    expect(kinds(outcomes)).toEqual(['claimed', 'reused', 'claimed', 'in-use']);
    expect(await transactions([keys[0]!, keys[2]!])).toBe(1);
  });

  it('fails only the claim whose row the database refuses; the rest of its batch is claimed', async () => {
    const keys = scopes(5);
    const poison = { ...keys[0]!, key: 'k'.repeat(256) }; // over the table's CHECK on the key's length
    const outcomes = await Promise.allSettled([...keys, poison].map((scope) => store.claim(scope, 'f')));
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value.kind : 'rejected'))).toEqual([
      'claimed',
      'claimed',
      'claimed',
      'claimed',
      'claimed',
      'rejected',
    ]);
    expect(((outcomes[5] as PromiseRejectedResult).reason as Error).message).toMatch(/check constraint/);
  });

  it('completes only rows still held by the same lock, and fails only the completion the database refuses', async () => {
    const keys = scopes(4);
    const locks = (await Promise.all(keys.map((scope) => store.claim(scope, 'f')))).map(lockOf);
    const outcomes = await Promise.allSettled([
      store.complete(keys[0]!, locks[0]!, answer(0)),
      store.complete(keys[1]!, randomUUID(), answer(1)), // not (or no longer) ours
      store.complete(keys[2]!, locks[2]!, { ...answer(2), status: 70_000 }), // out of the column's range
      store.complete(keys[3]!, locks[3]!, answer(3)),
    ]);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : 'rejected'))).toEqual([
      true,
      false,
      'rejected',
      true,
    ]);
    const states: { idempotency_key: string; state: string }[] = await dataSource.query(
      'SELECT idempotency_key, state FROM idempotency.keys WHERE idempotency_key = ANY($1::text[])',
      [keys.map((scope) => scope.key)],
    );
    const stateOf = new Map(states.map((row) => [row.idempotency_key, row.state]));
    expect(keys.map((scope) => stateOf.get(scope.key))).toEqual([
      'completed',
      'in_progress',
      'in_progress',
      'completed',
    ]);
  });

  it('gives every request statements of its own when batching is off (IDEMPOTENCY_BATCH_MAX=1)', async () => {
    const alone = new IdempotencyStore(dataSource, { retentionHours: 24, leaseMs: 30_000, batchMax: 1, flushes: 1 });
    const keys = scopes(4);
    const claims = await Promise.all([...keys, keys[0]!].map((scope) => alone.claim(scope, 'f')));
    expect(kinds(claims).sort()).toEqual(['claimed', 'claimed', 'claimed', 'claimed', 'in-use']);
    expect(await transactions(keys)).toBe(4);
  });
});
