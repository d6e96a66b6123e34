import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { INestMicroservice, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { Redis } from 'ioredis';
import {
  ContextClient,
  ContextUnavailableError,
  ContractCallError,
  REQUEST_FIELD,
  requestStreamKey,
  RedisRpcClient,
  RPC_PROTOCOL_VERSION,
} from '@ficus/platform';
import {
  ECHO,
  type Echo,
  echoModule,
  FAIL,
  freePort,
  labelReplica,
  meta,
  probe,
  REDIS_URL,
  sleep,
  spawnReplica,
  startRedis,
  startReplica,
  timed,
  type Timed,
} from './redis-transport.fixtures.js';

// Every test has its own key prefix, replicas and clients; nothing is shared with other test files.
let prefix: string;
let apps: INestMicroservice[];
let clients: ContextClient[];
let processes: ChildProcess[];
const client = (timeoutMs: number, url = REDIS_URL) => {
  const c = new ContextClient('identity', new RedisRpcClient({ url, keyPrefix: prefix }), timeoutMs);
  clients.push(c);
  return c;
};

beforeEach(() => {
  prefix = `ficus-test:rpc:${process.pid}:${randomBytes(4).toString('hex')}`;
  [apps, clients, processes] = [[], [], []];
  probe.counts.clear();
  probe.byReplica.clear();
});
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(apps.map((a) => a.close()));
  for (const proc of processes) proc.kill('SIGKILL');
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe('Ficus Redis transport', () => {
  it('answers 1,000 concurrent calls through two replicas, running each request exactly once', async () => {
    apps.push(await startReplica('a', { keyPrefix: prefix }), await startReplica('b', { keyPrefix: prefix }));
    const c = client(10_000);
    const ids = Array.from({ length: 1000 }, (_, i) => `req-${i}`);
    const replies = await Promise.all(ids.map((id, i) => c.send<Echo>(ECHO, { id, delayMs: 2 }, meta(i))));
    expect(replies.map((r) => r.id)).toEqual(ids);
    expect(probe.counts.size).toBe(1000);
    expect([...probe.counts.values()].every((n) => n === 1)).toBe(true);
    expect(probe.byReplica.get('a')).toBeGreaterThan(0);
    expect(probe.byReplica.get('b')).toBeGreaterThan(0);
    console.log(`1,000 calls: a ran ${probe.byReplica.get('a')}, b ran ${probe.byReplica.get('b')}`);
  }, 30_000);

  it('loses no call and hangs none past its deadline when a replica is SIGKILLed mid-run', async () => {
    apps.push(await startReplica('a', { keyPrefix: prefix }));
    const child = await spawnReplica('child', prefix);
    processes.push(child);
    const timeoutMs = 1500;
    const proxy = new RedisRpcClient({ url: REDIS_URL, keyPrefix: prefix });
    const c = new ContextClient('identity', proxy, timeoutMs);
    clients.push(c);
    let goneAt = Infinity;
    const calls: Promise<Timed<Echo>>[] = [];
    for (let i = 0; i < 300; i++) {
      calls.push(timed(() => c.send<Echo>(ECHO, { id: `k-${i}`, delayMs: 50 }, meta(i))));
      if (i === 100) {
        // 100 ms after the exit, Redis has long dropped the dead replica's blocked XREADGROUP.
        child.once('exit', () => (goneAt = Date.now() + 100));
        child.kill('SIGKILL');
      }
      await sleep(5);
    }
    const results = await Promise.all(calls);
    for (const r of results) {
      expect(r.ms).toBeLessThan(timeoutMs + 300);
      if (r.error) expect(r.error).toBeInstanceOf(ContextUnavailableError);
      // Only what the child had taken can fail: ECHO is a command without an idempotency key, never run
      // twice, and this deadline is shorter than the lease (rpc-failover.process.int-spec.ts shows the
      // take-over). Once the child is gone, replica `a` takes everything.
      if (r.start > goneAt) expect(r.error).toBeUndefined();
    }
    const served = (replica: string) => results.filter((r) => r.value?.replica === replica).length;
    expect(served('child')).toBeGreaterThan(0);
    expect(served('a')).toBeGreaterThan(0);
    // Timed-out calls tore down their pending entries: nothing waits for the lost replies any more.
    expect((proxy as unknown as { routingMap: Map<string, unknown> }).routingMap.size).toBe(0);
    const lost = results.filter((r) => r.error).length;
    console.log(`SIGKILL mid-run: child answered ${served('child')}, a ${served('a')}; ${lost} unavailable`);
  }, 30_000);

  it('reconnects client and server by themselves after Redis is restarted', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    processes.push(await startRedis(port));
    apps.push(await startReplica('a', { url, keyPrefix: prefix }));
    const c = client(2000, url);
    await expect(c.send<Echo>(ECHO, { id: 'before' }, meta(1))).resolves.toMatchObject({ id: 'before' });

    processes[0].kill('SIGKILL');
    await once(processes[0], 'exit');
    await sleep(100);
    const down = await timed(() => c.send(ECHO, { id: 'down' }, meta(2)));
    expect(down.error).toBeInstanceOf(ContextUnavailableError);
    expect(down.ms).toBeLessThan(500);

    processes.push(await startRedis(port));
    const restarted = Date.now();
    let answer: Echo | undefined;
    while (!answer && Date.now() - restarted < 10_000) {
      answer = (await timed(() => c.send<Echo>(ECHO, { id: 'after' }, meta(3)))).value;
      if (!answer) await sleep(100);
    }
    expect(answer).toMatchObject({ id: 'after', replica: 'a' });
    console.log(`Redis restart: answered again ${Date.now() - restarted} ms after Redis was back`);
    // Close while this Redis still runs: afterEach kills it after the clients and apps are closed.
  }, 30_000);

  it('serves again at once after Redis lost every key (FLUSHALL): the stream and its group are recreated', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    processes.push(await startRedis(port));
    apps.push(await startReplica('a', { url, keyPrefix: prefix }));
    const c = client(2000, url);
    await expect(c.send<Echo>(ECHO, { id: 'before' }, meta(1))).resolves.toMatchObject({ id: 'before' });
    const admin = new Redis(url);
    await admin.flushall();
    await admin.quit();
    const after = await timed(() => c.send<Echo>(ECHO, { id: 'after' }, meta(2)));
    expect(after.value).toMatchObject({ id: 'after', replica: 'a' });
    expect(after.ms).toBeLessThan(1000);
  }, 15_000);

  it('fails at once while Redis was never reachable, then connects on a later call', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const c = client(2000, url);
    const first = await timed(() => c.send(ECHO, { id: 'early' }, meta(1)));
    expect(first.error).toBeInstanceOf(ContextUnavailableError);
    expect(first.ms).toBeLessThan(500);
    processes.push(await startRedis(port));
    apps.push(await startReplica('a', { url, keyPrefix: prefix }));
    await expect(c.send<Echo>(ECHO, { id: 'late' }, meta(2))).resolves.toMatchObject({ id: 'late' });
  }, 15_000);

  it('drops a request whose deadline has passed without running it, and logs that it did', async () => {
    const warnings: unknown[] = [];
    const logger: LoggerService = { log: () => undefined, error: () => undefined, warn: (m) => warnings.push(m) };
    const deadline = Date.now() - 1000;
    const data = { meta: { ...meta('late'), deadline }, data: { id: 'expired' } };
    const packet = {
      v: RPC_PROTOCOL_VERSION,
      id: 'p1',
      pattern: ECHO,
      data,
      replyTo: 'gone',
      deadline,
      headers: { correlationId: 'late' },
    };
    const redis = new Redis(REDIS_URL);
    await redis.xadd(requestStreamKey(prefix, 'identity'), '*', REQUEST_FIELD, JSON.stringify(packet));
    await redis.quit();
    apps.push(await startReplica('a', { keyPrefix: prefix, logger }));
    // Requests are taken oldest first: once a later call is answered, the stale one has been popped.
    await expect(client(5000).send<Echo>(ECHO, { id: 'fresh' }, meta(1))).resolves.toMatchObject({ id: 'fresh' });
    expect(probe.counts.has('expired')).toBe(false);
    expect(warnings).toContainEqual(expect.objectContaining({ event: 'rpc.request.expired', correlationId: 'late' }));
  }, 15_000);

  it('round-trips a typed domain error as a ContractCallError with the same code and status', async () => {
    apps.push(await startReplica('a', { keyPrefix: prefix }));
    const { error } = await timed(() => client(5000).send(FAIL, {}, meta(1)));
    expect(error).toBeInstanceOf(ContractCallError);
    expect((error as ContractCallError).body).toEqual({
      code: 'WIDGET_NOT_FOUND',
      status: 404,
      detail: 'no widget 7',
      kind: 'not_found',
    });
  }, 15_000);

  it('answers a pattern nobody handles with ContextUnavailable at once, not at the deadline', async () => {
    apps.push(await startReplica('a', { keyPrefix: prefix }));
    const r = await timed(() => client(5000).send('identity.nothing-here.v1', {}, meta(1)));
    expect(r.error).toBeInstanceOf(ContextUnavailableError);
    expect(r.ms).toBeLessThan(1000);
  }, 15_000);

  it('carries the correlation id, traceparent and dispatch-hook metadata to the handler context', async () => {
    apps.push(await startReplica('a', { keyPrefix: prefix }));
    const proxy = new RedisRpcClient({ url: REDIS_URL, keyPrefix: prefix });
    proxy.setOnDispatchHook((packet) => (packet.metadata = { tenant: 'acme' }));
    const c = new ContextClient('identity', proxy, 5000);
    clients.push(c);
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const reply = await c.send<Echo>(ECHO, { id: 'traced' }, { ...meta('traced'), traceparent });
    expect(reply.metadata).toEqual({ correlationId: 'corr-traced', traceparent, tenant: 'acme' });
  }, 15_000);

  it("still works with Nest's stock Transport.REDIS and one replica (smoke)", async () => {
    const { hostname: host, port } = new URL(REDIS_URL);
    const options = { host, port: Number(port || 6379), retryAttempts: 5, retryDelay: 200 };
    const app = await NestFactory.createMicroservice(echoModule(), {
      transport: Transport.REDIS,
      options,
      logger: false,
    });
    labelReplica(app, 'stock');
    await app.listen();
    apps.push(app);
    const c = new ContextClient('identity', ClientProxyFactory.create({ transport: Transport.REDIS, options }), 5000);
    clients.push(c);
    await expect(c.send<Echo>(ECHO, { id: 'smoke' }, meta(1))).resolves.toMatchObject({
      id: 'smoke',
      replica: 'stock',
    });
  }, 15_000);
});
