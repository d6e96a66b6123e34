import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { requestFingerprint } from '@ficus/platform';
import { createTestDatabase, type TestDatabase, useTestEnv } from '@ficus/platform/testing';
import { createThingsTable, type IdempotencyTestApp, post, startIdempotencyTestApp } from './idempotency-harness.js';

const LEASE_MS = 600;

let db: TestDatabase;
let admin: pg.Client;
let a: IdempotencyTestApp;
let b: IdempotencyTestApp;

beforeAll(async () => {
  db = await createTestDatabase('idempotency');
  // A short lease, so that "renewed while running" and "taken over after a crash" happen within a test.
  await useTestEnv(db.url, { IDEMPOTENCY_LEASE_MS: String(LEASE_MS), IDEMPOTENCY_PRUNE_INTERVAL_MS: '250' });
  a = await startIdempotencyTestApp();
  b = await startIdempotencyTestApp(); // a second replica on the same database
  await createThingsTable(db.url);
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
});

afterAll(async () => {
  await admin?.end();
  await a?.close();
  await b?.close();
  await db?.drop();
});

const newKey = () => `key-${randomUUID()}`;
const newUser = () => `user-${randomUUID()}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function sideEffects(key: string): Promise<number> {
  const { rows } = await admin.query('SELECT count(*)::int AS n FROM public.things WHERE idempotency_key = $1', [key]);
  return rows[0].n;
}

async function keyRow(user: string, key: string) {
  const { rows } = await admin.query('SELECT * FROM idempotency.keys WHERE user_id = $1 AND idempotency_key = $2', [
    user,
    key,
  ]);
  return rows[0];
}

describe('Idempotency-Key on a creating POST', () => {
  it('answers 400 IDEMPOTENCY_KEY_REQUIRED as problem+json when the key is missing, and runs nothing', async () => {
    const res = await post(a.url, '/v1/things', { user: newUser(), body: { name: 'no key' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 400, code: 'IDEMPOTENCY_KEY_REQUIRED', instance: '/v1/things' });
    const { rows } = await admin.query(`SELECT count(*)::int AS n FROM public.things WHERE name = 'no key'`);
    expect(rows[0].n).toBe(0);
  });

  it('answers 400 IDEMPOTENCY_KEY_REQUIRED for a key over 255 characters, and accepts one of exactly 255', async () => {
    const user = newUser();
    const tooLong = await post(a.url, '/v1/things', { user, key: 'k'.repeat(256), body: { name: 'long' } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect(await sideEffects('k'.repeat(256))).toBe(0);
    const longest = await post(a.url, '/v1/things', { user, key: 'k'.repeat(255), body: { name: 'long' } });
    expect(longest.status).toBe(201);
  });

  it('runs the first call: 201 with Location, not marked as a replay, and records the key as completed', async () => {
    const user = newUser();
    const key = newKey();
    const res = await post(a.url, '/v1/things', { user, key, body: { name: 'first' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/things/${res.body.id}`);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    expect(await sideEffects(key)).toBe(1);
    expect(await keyRow(user, key)).toMatchObject({
      state: 'completed',
      route: 'POST /v1/things',
      response_status: 201,
    });
  });

  it('replays the same status, body and Location with Idempotent-Replayed: true, without running again', async () => {
    const user = newUser();
    const key = newKey();
    const first = await post(a.url, '/v1/things', { user, key, body: { name: 'twice', tags: ['x'] } });
    const again = await post(a.url, '/v1/things', { user, key, body: { name: 'twice', tags: ['x'] } });
    expect(again.status).toBe(first.status);
    expect(again.text).toBe(first.text); // same bytes, nonce included: the handler did not run again
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(again.headers.get('content-length')).toBe(first.headers.get('content-length'));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('x-request-id')).toBeTruthy();
    expect(await sideEffects(key)).toBe(1);
  });

  it('replays a body that is equal as JSON but not as bytes (keys reordered, other whitespace)', async () => {
    const user = newUser();
    const key = newKey();
    const first = await post(a.url, '/v1/things', { user, key, raw: '{"name":"order","tags":["a","b"]}' });
    const again = await post(a.url, '/v1/things', { user, key, raw: '{ "tags": [ "a", "b" ],\n  "name": "order" }' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await sideEffects(key)).toBe(1);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with a different body, and keeps the original', async () => {
    const user = newUser();
    const key = newKey();
    const first = await post(a.url, '/v1/things', { user, key, body: { name: 'original' } });
    const other = await post(a.url, '/v1/things', { user, key, body: { name: 'different' } });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    const reordered = await post(a.url, '/v1/things', { user, key, body: { name: 'original', tags: ['new'] } });
    expect(reordered.status).toBe(422);
    const replay = await post(a.url, '/v1/things', { user, key, body: { name: 'original' } });
    expect(replay.text).toBe(first.text);
    expect(await sideEffects(key)).toBe(1);
  });

  it('lets exactly one of several concurrent requests with one key run; the others get 409 IDEMPOTENCY_KEY_IN_USE', async () => {
    const user = newUser();
    const key = newKey();
    const body = { name: 'racing', delayMs: 400 };
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => post(i % 2 ? b.url : a.url, '/v1/things', { user, key, body })),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    const busy = answers.find((r) => r.status === 409)!;
    expect(busy.body.code).toBe('IDEMPOTENCY_KEY_IN_USE');
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(await sideEffects(key)).toBe(1);
    // Once the first is done, the same request gets its answer.
    const after = await post(a.url, '/v1/things', { user, key, body });
    expect(after.headers.get('idempotent-replayed')).toBe('true');
    expect(after.text).toBe(answers.find((r) => r.status === 201)!.text);
  });

  it('runs many concurrent first requests with distinct keys once each, and replays each its own answer', async () => {
    const user = newUser();
    const keys = Array.from({ length: 40 }, newKey);
    const send = () =>
      Promise.all(
        keys.map((key, i) => post(i % 2 ? b.url : a.url, '/v1/things', { user, key, body: { name: `many ${i}` } })),
      );
    const firsts = await send();
    expect(firsts.map((r) => r.status)).toEqual(keys.map(() => 201));
    expect(firsts.map((r) => r.headers.get('idempotent-replayed'))).toEqual(keys.map(() => null));
    const { rows } = await admin.query(
      `SELECT count(*)::int AS n FROM idempotency.keys WHERE user_id = $1 AND state = 'completed'`,
      [user],
    );
    expect(rows[0].n).toBe(40);
    const replays = await send();
    expect(replays.map((r) => r.text)).toEqual(firsts.map((r) => r.text));
    expect(replays.map((r) => r.headers.get('idempotent-replayed'))).toEqual(keys.map(() => 'true'));
    for (const key of keys) expect(await sideEffects(key)).toBe(1);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED to a different request racing the first with the same key', async () => {
    const user = newUser();
    const key = newKey();
    const answers = await Promise.all([
      post(a.url, '/v1/things', { user, key, body: { name: 'one', delayMs: 300 } }),
      post(a.url, '/v1/things', { user, key, body: { name: 'other', delayMs: 300 } }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 422]);
    expect(answers.find((r) => r.status === 422)!.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await sideEffects(key)).toBe(1);
  });

  it('keeps the key locked while a request runs longer than the lease (the lease is renewed)', async () => {
    const user = newUser();
    const key = newKey();
    const body = { name: 'slow', delayMs: LEASE_MS * 3 };
    const slow = post(a.url, '/v1/things', { user, key, body });
    await sleep(LEASE_MS * 2);
    const meanwhile = await post(b.url, '/v1/things', { user, key, body });
    expect(meanwhile.status).toBe(409);
    expect((await slow).status).toBe(201);
    expect(await sideEffects(key)).toBe(1);
  });

  it.each([
    ['400 validation failure', { body: { name: 42 } }, 400, 'VALIDATION_FAILED'],
    ['404 domain error', { headers: { 'x-test-fail': 'not-found' } }, 404, 'THING_NOT_FOUND'],
    ['503 dependency down', { headers: { 'x-test-fail': 'unavailable' } }, 503, 'SERVICE_UNAVAILABLE'],
    ['500 crash', { headers: { 'x-test-fail': 'crash' } }, 500, 'INTERNAL'],
  ])('frees the key after a %s, so a retry with it runs', async (_, failing, status, code) => {
    const user = newUser();
    const key = newKey();
    const failed = await post(a.url, '/v1/things', { user, key, body: { name: 'retry me' }, ...failing });
    expect(failed.status).toBe(status);
    expect(failed.body.code).toBe(code);
    expect(failed.headers.get('idempotent-replayed')).toBeNull();
    expect(await keyRow(user, key)).toBeUndefined();
    const retry = await post(a.url, '/v1/things', { user, key, body: { name: 'retry me' } });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(await sideEffects(key)).toBe(1);
  });

  it('keeps keys per user: the same key from another user is a new request', async () => {
    const key = newKey();
    const ada = await post(a.url, '/v1/things', { user: newUser(), key, body: { name: 'mine' } });
    const bob = await post(a.url, '/v1/things', { user: newUser(), key, body: { name: 'mine' } });
    expect([ada.status, bob.status]).toEqual([201, 201]);
    expect(bob.headers.get('idempotent-replayed')).toBeNull();
    expect(bob.body.id).not.toBe(ada.body.id);
    const bobsOther = await post(a.url, '/v1/things', { user: newUser(), key, body: { name: 'something else' } });
    expect(bobsOther.status).toBe(201);
    expect(await sideEffects(key)).toBe(3);
  });

  it('keeps keys per route: the same key on another route is a new request, answered with that route’s status', async () => {
    const user = newUser();
    const key = newKey();
    const thing = await post(a.url, '/v1/things', { user, key, body: { name: 'same key' } });
    const batch = await post(a.url, '/v1/things/batches', { user, key, body: { name: 'same key' } });
    expect([thing.status, batch.status]).toEqual([201, 202]);
    expect(batch.headers.get('idempotent-replayed')).toBeNull();
    const batchAgain = await post(a.url, '/v1/things/batches', { user, key, body: { name: 'same key' } });
    expect(batchAgain.status).toBe(202);
    expect(batchAgain.headers.get('idempotent-replayed')).toBe('true');
    expect(await sideEffects(key)).toBe(2);
  });

  it('treats path parameters as part of the request: one key on two resources of a route is refused', async () => {
    const user = newUser();
    const key = newKey();
    expect((await post(a.url, '/v1/things/1/copies', { user, key, body: { name: 'copy' } })).status).toBe(201);
    const other = await post(a.url, '/v1/things/2/copies', { user, key, body: { name: 'copy' } });
    expect(other.status).toBe(422);
    expect(await sideEffects(key)).toBe(1);
  });

  it('replays on another replica: the key store is shared through Postgres', async () => {
    const user = newUser();
    const key = newKey();
    const first = await post(a.url, '/v1/things', { user, key, body: { name: 'replica' } });
    const onB = await post(b.url, '/v1/things', { user, key, body: { name: 'replica' } });
    expect(onB.status).toBe(201);
    expect(onB.text).toBe(first.text);
    expect(onB.headers.get('location')).toBe(first.headers.get('location'));
    expect(onB.headers.get('idempotent-replayed')).toBe('true');
    const reusedOnB = await post(b.url, '/v1/things', { user, key, body: { name: 'other' } });
    expect(reusedOnB.status).toBe(422);
    expect(await sideEffects(key)).toBe(1);
  });

  it('replays after a restart: a new app instance on the same database answers the original', async () => {
    const user = newUser();
    const key = newKey();
    const first = await post(a.url, '/v1/things', { user, key, body: { name: 'before restart' } });
    await a.close();
    a = await startIdempotencyTestApp();
    const after = await post(a.url, '/v1/things', { user, key, body: { name: 'before restart' } });
    expect(after.status).toBe(201);
    expect(after.text).toBe(first.text);
    expect(after.headers.get('location')).toBe(first.headers.get('location'));
    expect(after.headers.get('idempotent-replayed')).toBe('true');
    expect(await sideEffects(key)).toBe(1);
  });

  it('replays the stored status even when the route now answers another one (stored answer wins)', async () => {
    const user = newUser();
    const key = newKey();
    const body = { name: 'old deploy' };
    await admin.query(
      `INSERT INTO idempotency.keys (user_id, route, idempotency_key, fingerprint, state, response_status,
         response_headers, response_body, completed_at, expires_at)
       VALUES ($1, 'POST /v1/things', $2, $3, 'completed', 200, $4, '{"legacy":true}', now(), now() + interval '1 day')`,
      [
        user,
        key,
        requestFingerprint({ params: {}, query: {}, body }),
        { 'content-type': 'application/json; charset=utf-8', location: '/v1/things/legacy' },
      ],
    );
    const res = await post(a.url, '/v1/things', { user, key, body });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ legacy: true });
    expect(res.headers.get('location')).toBe('/v1/things/legacy');
    expect(res.headers.get('idempotent-replayed')).toBe('true');
    expect(await sideEffects(key)).toBe(0);
  });

  it('takes over a key left in progress by a process that died, once its lease has passed', async () => {
    const user = newUser();
    const key = newKey();
    const body = { name: 'orphan' };
    // What a process killed mid-request leaves behind: an in-progress row nobody renews.
    await admin.query(
      `INSERT INTO idempotency.keys (user_id, route, idempotency_key, fingerprint, state, lock_token, locked_until,
         expires_at)
       VALUES ($1, 'POST /v1/things', $2, $3, 'in_progress', gen_random_uuid(), now() + interval '700 milliseconds',
         now() + interval '1 day')`,
      [user, key, requestFingerprint({ params: {}, query: {}, body })],
    );
    expect((await post(a.url, '/v1/things', { user, key, body })).status).toBe(409);
    await sleep(900);
    // A different request never inherits the orphaned key.
    expect((await post(a.url, '/v1/things', { user, key, body: { name: 'not the orphan' } })).status).toBe(422);
    const retry = await post(a.url, '/v1/things', { user, key, body });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(await sideEffects(key)).toBe(1);
    expect(await keyRow(user, key)).toMatchObject({ state: 'completed', lock_token: null });
  });

  it('treats an expired key that is not yet pruned as unused', async () => {
    const user = newUser();
    const key = newKey();
    const first = await post(a.url, '/v1/things', { user, key, body: { name: 'old' } });
    await admin.query(
      `UPDATE idempotency.keys SET expires_at = now() - interval '1 second' WHERE idempotency_key = $1`,
      [key],
    );
    const again = await post(a.url, '/v1/things', { user, key, body: { name: 'new' } });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(first.body.id);
  });

  it('answers 503 with Retry-After, running nothing, while the key store is unusable, and recovers', async () => {
    const user = newUser();
    const key = newKey();
    await admin.query('ALTER TABLE idempotency.keys RENAME TO keys_away');
    let res;
    try {
      res = await post(a.url, '/v1/things', { user, key, body: { name: 'store down' } });
    } finally {
      await admin.query('ALTER TABLE idempotency.keys_away RENAME TO keys');
    }
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await sideEffects(key)).toBe(0);
    expect((await post(a.url, '/v1/things', { user, key, body: { name: 'store down' } })).status).toBe(201);
  });

  it('documents the Idempotency-Key header as required in the OpenAPI document', async () => {
    const doc = (await fetch(`${a.url}/docs-json`).then((r) => r.json())) as any;
    const parameters = doc.paths['/v1/things'].post.parameters;
    expect(parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true })]),
    );
  });

  it('answers anonymous callers 401 (keys are per user) and runs nothing', async () => {
    const key = newKey();
    const res = await post(a.url, '/v1/things', { key, body: { name: 'anonymous' } });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
    expect(await sideEffects(key)).toBe(0);
  });
});

describe('pruning expired keys', () => {
  it('a scheduled job deletes expired keys and keeps fresh ones and running ones', async () => {
    const user = newUser();
    await admin.query(
      `INSERT INTO idempotency.keys (user_id, route, idempotency_key, fingerprint, state, response_status,
         response_headers, response_body, completed_at, expires_at, lock_token, locked_until)
       VALUES
         ($1, 'POST /v1/things', 'expired', 'f', 'completed', 201, '{}', '{}', now() - interval '25 hours',
          now() - interval '1 hour', NULL, NULL),
         ($1, 'POST /v1/things', 'fresh', 'f', 'completed', 201, '{}', '{}', now() - interval '23 hours',
          now() + interval '1 hour', NULL, NULL)`,
      [user],
    );
    await admin.query(
      `INSERT INTO idempotency.keys (user_id, route, idempotency_key, fingerprint, state, lock_token, locked_until,
         expires_at)
       VALUES ($1, 'POST /v1/things', 'running', 'f', 'in_progress', gen_random_uuid(), now() + interval '1 hour',
         now() - interval '1 hour')`,
      [user],
    );
    const keys = async () =>
      (
        await admin.query('SELECT idempotency_key FROM idempotency.keys WHERE user_id = $1 ORDER BY 1', [user])
      ).rows.map((r) => r.idempotency_key);
    const deadline = Date.now() + 10_000;
    while ((await keys()).includes('expired') && Date.now() < deadline) await sleep(100);
    expect(await keys()).toEqual(['fresh', 'running']);
  });
});
