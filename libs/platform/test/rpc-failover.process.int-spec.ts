import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { ContextClient, ContextUnavailableError, RedisRpcClient } from '@ficus/platform';
import { meta, REDIS_URL, sleep, spawnReplica, timed, type Timed } from './redis-transport.fixtures.js';

/**
 * Two host replicas in processes of their own (rpc-replica.mjs, the ledger service), a steady load of
 * queries, commands with an idempotency key and commands without one, and one replica SIGKILLed mid-run
 * with requests in flight. With the defaults (5 s call deadline, 2 s lease), every call gets an answer:
 * what the dead replica had taken is taken over by the other one and run again, except commands without
 * an idempotency key (they may have run), which are answered 503 instead of waiting out their deadline.
 * The ledger (in Redis) counts every run and every effect: nothing is applied twice.
 */
const CALLS = 600;
const KILL_AFTER = 200;
const TIMEOUT_MS = 5000;
type Kind = 'query' | 'keyed' | 'unkeyed';
const KINDS: Kind[] = ['query', 'keyed', 'unkeyed'];

describe('a host replica SIGKILLed under load', () => {
  let prefix: string;
  let redis: Redis;
  let client: ContextClient;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    prefix = `ficus-test:rpc-failover:${process.pid}:${randomBytes(4).toString('hex')}`;
    redis = new Redis(REDIS_URL);
    client = new ContextClient('identity', new RedisRpcClient({ url: REDIS_URL, keyPrefix: prefix }), TIMEOUT_MS);
    children.push(...(await Promise.all([spawnReplica('a', prefix), spawnReplica('b', prefix)])));
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    for (const child of children) child.kill('SIGKILL');
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('answers every call, re-runs what it had taken when that is safe, and applies nothing twice', async () => {
    const [, victim] = children;
    const calls: { id: string; kind: Kind; result: Promise<Timed<{ id: string; replica: string }>> }[] = [];
    for (let i = 0; i < CALLS; i++) {
      const kind = KINDS[i % 3];
      const id = `${kind}-${i}`;
      const data = { id, delayMs: 150 + (i % 5) * 50, ...(kind === 'keyed' ? { idempotencyKey: `key-${id}` } : {}) };
      const pattern = kind === 'query' ? 'identity.get-ledger.v1' : 'identity.apply-ledger.v1';
      calls.push({ id, kind, result: timed(() => client.send(pattern, data, meta(i))) });
      if (i === KILL_AFTER) {
        victim.kill('SIGKILL');
        await once(victim, 'exit');
      }
      await sleep(5);
    }
    const outcomes = await Promise.all(
      calls.map(async ({ id, kind, result }) => ({
        id,
        kind,
        ...(await result),
        runs: await redis.lrange(`${prefix}:ledger:runs:${id}`, 0, -1),
        effects: Number(await redis.get(`${prefix}:ledger:effects:${id}`)),
      })),
    );

    for (const o of outcomes) {
      // Answered, and before the deadline: a lost request would be a 503 only at its deadline.
      expect(o.ms).toBeLessThan(TIMEOUT_MS);
      if (o.kind !== 'unkeyed' || !o.error) {
        expect({ id: o.id, error: o.error }).toEqual({ id: o.id, error: undefined });
        expect(o.runs).toContain(o.value!.replica);
      }
      if (o.kind !== 'query') expect({ id: o.id, effects: o.effects }).toEqual({ id: o.id, effects: o.error ? 0 : 1 });
      if (o.kind === 'unkeyed') {
        // Never run twice; when refused, it had been taken by the replica that died, and only by it.
        expect(o.runs.length).toBeLessThanOrEqual(1);
        if (o.error) {
          expect(o.error).toBeInstanceOf(ContextUnavailableError);
          expect((o.error as Error).message).toContain('not run again');
          expect(o.runs.every((replica) => replica === 'b')).toBe(true);
        }
      }
    }
    const rerun = outcomes.filter((o) => o.runs.length === 2 && o.runs[0] === 'b' && o.value?.replica === 'a');
    const refused = outcomes.filter((o) => o.error);
    const byB = outcomes.filter((o) => o.value?.replica === 'b');
    expect(byB.length).toBeGreaterThan(0);
    // The take-over path ran: requests the dead replica had taken were run again on the other one.
    expect(rerun.length).toBeGreaterThan(0);
    const slowest = Math.max(...rerun.map((o) => o.ms));
    console.log(
      `SIGKILL of replica b: b answered ${byB.length}; ${rerun.length} taken over and run again by a ` +
        `(slowest answered after ${slowest} ms); ${refused.length} commands without a key answered 503`,
    );
  }, 60_000);
});
