import { randomBytes } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import { Redis } from 'ioredis';
import {
  ContextClient,
  ContextUnavailableError,
  RedisRpcClient,
  requestStreamKey,
  RPC_CONSUMER_GROUP,
  storedReplyKey,
} from '@ficus/platform';
import {
  ECHO,
  type Echo,
  GET_ECHO,
  ghostTakes,
  meta,
  probe,
  REDIS_URL,
  sleep,
  startReplica,
  timed,
} from './redis-transport.fixtures.js';

/**
 * A request stays pending in its stream's consumer group until a replica has answered it. Here a "ghost"
 * replica takes requests and dies without a trace (it never answers, renews or acknowledges them); a real
 * replica with a short lease then takes them over. Every call has a 5 s deadline.
 */
const LEASE_MS = 300;
let prefix: string;
let apps: INestMicroservice[];
let clients: ContextClient[];
let redis: Redis;
const client = (timeoutMs = 5000, maxQueueLength?: number) => {
  const c = new ContextClient('identity', new RedisRpcClient({ url: REDIS_URL, keyPrefix: prefix, maxQueueLength }), {
    timeoutMs,
    retries: 0,
  });
  clients.push(c);
  return c;
};
const replica = (name: string, options: { consumerIdleMs?: number } = {}) =>
  startReplica(name, { keyPrefix: prefix, leaseMs: LEASE_MS, ...options }).then((app) => (apps.push(app), app));

beforeEach(() => {
  prefix = `ficus-test:rpc-redelivery:${process.pid}:${randomBytes(4).toString('hex')}`;
  [apps, clients] = [[], []];
  redis = new Redis(REDIS_URL);
  probe.counts.clear();
  probe.byReplica.clear();
});
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(apps.map((a) => a.close()));
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe('a request whose replica died', () => {
  it('is a query: another replica runs it again, well before the deadline', async () => {
    const call = timed(() => client().send<Echo>(GET_ECHO, { id: 'q1' }, meta(1)));
    await ghostTakes(prefix);
    await replica('a');
    const r = await call;
    expect(r.value).toMatchObject({ id: 'q1', replica: 'a' });
    expect(r.ms).toBeLessThan(2500);
    expect(probe.counts.get('q1')).toBe(1);
  }, 15_000);

  it('is a command with an idempotency key that had not finished: another replica runs it again', async () => {
    const call = timed(() => client().send<Echo>(ECHO, { id: 'c1', idempotencyKey: 'k1' }, meta(1)));
    await ghostTakes(prefix);
    await replica('a');
    expect((await call).value).toMatchObject({ id: 'c1', replica: 'a' });
    expect(probe.counts.get('c1')).toBe(1);
  }, 15_000);

  it('is a command with an idempotency key that had finished: its stored reply is sent again, nothing runs', async () => {
    const call = timed(() => client().send<Echo>(ECHO, { id: 'c2', idempotencyKey: 'k2' }, meta(1)));
    const [{ packet }] = await ghostTakes(prefix);
    // What the ghost stored before it published its reply and died before acknowledging the request.
    const reply = JSON.stringify({ id: packet.id, response: { id: 'c2', replica: 'ghost' }, isDisposed: true });
    await redis.set(storedReplyKey(prefix, packet.id), JSON.stringify([reply]), 'PX', 10_000);
    await replica('a');
    expect((await call).value).toEqual({ id: 'c2', replica: 'ghost' });
    expect(probe.counts.has('c2')).toBe(false);
  }, 15_000);

  it('is a command without an idempotency key: answered unavailable (503) at once, never run twice', async () => {
    const call = timed(() => client().send<Echo>(ECHO, { id: 'c3' }, meta(1)));
    await ghostTakes(prefix);
    await replica('a');
    const r = await call;
    expect(r.error).toBeInstanceOf(ContextUnavailableError);
    expect(String((r.error as Error).message)).toContain('not run again');
    expect(r.ms).toBeLessThan(2500);
    expect(probe.counts.has('c3')).toBe(false);
  }, 15_000);

  it('is dropped unrun once its deadline has passed', async () => {
    const call = timed(() => client(400).send<Echo>(GET_ECHO, { id: 'late' }, meta(1)));
    await ghostTakes(prefix);
    expect((await call).error).toBeInstanceOf(ContextUnavailableError);
    await replica('a');
    await sleep(LEASE_MS * 3);
    expect(probe.counts.has('late')).toBe(false);
    // Taken over, dropped and acknowledged: nothing is left pending or in the stream.
    const key = requestStreamKey(prefix, 'identity');
    expect(await redis.xlen(key)).toBe(0);
    expect(((await redis.call('XPENDING', key, RPC_CONSUMER_GROUP)) as unknown[])[0]).toBe(0);
  }, 15_000);
});

describe('a live replica', () => {
  it('keeps a request that runs longer than the lease: it renews it, so no replica takes it over', async () => {
    await replica('a');
    await replica('b');
    const key = requestStreamKey(prefix, 'identity');
    const call = timed(() => client().send<Echo>(ECHO, { id: 'slow', delayMs: LEASE_MS * 5 }, meta(1)));
    // While it runs, its pending entry is never idle for a lease and never delivered again: a take-over
    // (XAUTOCLAIM, by any replica, even its own) would count a second delivery.
    let running = true;
    void call.finally(() => (running = false));
    const seen = { maxIdleMs: 0, maxDeliveries: 0, samples: 0 };
    while (running) {
      const pending = (await redis.call('XPENDING', key, RPC_CONSUMER_GROUP, '-', '+', 10)) as [
        string,
        string,
        number,
        number,
      ][];
      for (const [, , idleMs, deliveries] of pending) {
        seen.maxIdleMs = Math.max(seen.maxIdleMs, idleMs);
        seen.maxDeliveries = Math.max(seen.maxDeliveries, deliveries);
        seen.samples++;
      }
      await sleep(10);
    }
    expect((await call).error).toBeUndefined();
    expect(seen.samples).toBeGreaterThan(10);
    expect(seen.maxDeliveries).toBe(1);
    expect(seen.maxIdleMs).toBeLessThan(LEASE_MS);
    expect(probe.counts.get('slow')).toBe(1);
  }, 15_000);

  it('removes consumers of replicas gone for good, once they have nothing pending', async () => {
    const key = requestStreamKey(prefix, 'identity');
    const call = timed(() => client().send<Echo>(GET_ECHO, { id: 'g' }, meta(1)));
    await ghostTakes(prefix);
    await replica('a', { consumerIdleMs: 500 });
    await call;
    const consumers = async () =>
      ((await redis.call('XINFO', 'CONSUMERS', key, RPC_CONSUMER_GROUP)) as unknown[][]).map((c) => String(c[1]));
    let names = await consumers();
    for (let i = 0; i < 40 && names.includes('ghost'); i++) {
      await sleep(100);
      names = await consumers();
    }
    expect(names).not.toContain('ghost');
    expect(names).toHaveLength(1);
  }, 15_000);

  it('stores the replies of a finished command with an idempotency key until its deadline, and of nothing else', async () => {
    await replica('a');
    const c = client();
    await c.send(ECHO, { id: 'keyed', idempotencyKey: 'k9' }, meta(1));
    await c.send(ECHO, { id: 'unkeyed' }, meta(2));
    await c.send(GET_ECHO, { id: 'query', idempotencyKey: 'k10' }, meta(3));
    const keys = await redis.keys(storedReplyKey(prefix, '*'));
    expect(keys).toHaveLength(1);
    const [reply] = (JSON.parse((await redis.get(keys[0]))!) as string[]).map((body) => JSON.parse(body));
    expect(reply).toMatchObject({ response: { id: 'keyed', replica: 'a' }, isDisposed: true });
    expect(keys[0]).toBe(storedReplyKey(prefix, reply.id));
    expect(await redis.pttl(keys[0])).toBeGreaterThan(4000);
    expect(await redis.pttl(keys[0])).toBeLessThanOrEqual(6000);
  }, 15_000);

  it('refuses to listen when it has no context to serve', async () => {
    await expect(startReplica('none', { keyPrefix: prefix, contexts: [] })).rejects.toThrow('no context to serve');
  });
});

describe('the request stream', () => {
  it('stays bounded while no replica serves it', async () => {
    const c = client(200, 50);
    await Promise.all(Array.from({ length: 500 }, (_, i) => timed(() => c.send(ECHO, { id: `n${i}` }, meta(i)))));
    // MAXLEN ~ trims whole nodes of the stream (100 entries each by default), so a little over the bound.
    expect(await redis.xlen(requestStreamKey(prefix, 'identity'))).toBeLessThanOrEqual(150);
  }, 15_000);
});
