import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Controller, type DynamicModule, type INestMicroservice, type LoggerService, Module } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { ClientProxyFactory, Ctx, MessagePattern, Payload, RedisContext, Transport } from '@nestjs/microservices';
import { Redis } from 'ioredis';
import type { CallMeta, ContractMessage } from '@ficus/contracts';
import {
  AllExceptionsFilter,
  ContextClient,
  ContextUnavailableError,
  ContractCallError,
  DomainError,
  RedisRpcClient,
  RedisRpcServer,
  type RedisRpcServerOptions,
} from '@ficus/platform';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ECHO = 'identity.echo.v1';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const meta = (i: number | string): CallMeta => ({ correlationId: `corr-${i}`, actor: null });

/** What every in-process replica's handler saw: per request id, and per replica. */
const probe = { counts: new Map<string, number>(), byReplica: new Map<string, number>() };
const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);

class WidgetMissing extends DomainError {
  readonly code = 'WIDGET_NOT_FOUND';
  readonly kind = 'not_found' as const;
}

type Echo = { id: string; replica: string; metadata?: Record<string, string> };

@Controller()
class EchoController {
  static replica = new WeakMap<object, string>();
  @MessagePattern(ECHO)
  async echo(@Payload() msg: ContractMessage<{ id: string; delayMs?: number }>, @Ctx() ctx: RedisContext) {
    const replica = EchoController.replica.get(this) ?? '?';
    bump(probe.counts, msg.data.id);
    bump(probe.byReplica, replica);
    if (msg.data.delayMs) await sleep(msg.data.delayMs);
    return { id: msg.data.id, replica, metadata: ctx.getMetadata?.() } satisfies Echo;
  }
  @MessagePattern('identity.fail.v1')
  fail(): never {
    throw new WidgetMissing('no widget 7');
  }
}

function echoModule(): DynamicModule {
  @Module({ controllers: [EchoController], providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }] })
  class EchoModule {}
  return { module: EchoModule };
}

async function startReplica(name: string, options: Partial<RedisRpcServerOptions>): Promise<INestMicroservice> {
  const strategy = new RedisRpcServer({ url: REDIS_URL, keyPrefix: '', contexts: ['identity'], ...options });
  const app = await NestFactory.createMicroservice(echoModule(), { strategy, logger: false });
  EchoController.replica.set(app.get(EchoController), name);
  await app.listen();
  return app;
}

/** Settles a call: its outcome and how long it took. */
async function timed<T>(call: () => Promise<T>) {
  const start = Date.now();
  try {
    return { start, value: await call(), ms: Date.now() - start };
  } catch (error) {
    return { start, error, ms: Date.now() - start };
  }
}

let prefix: string;
let apps: INestMicroservice[];
let clients: ContextClient[];
const children: ChildProcess[] = [];
const client = (timeoutMs: number, url = REDIS_URL) => {
  const c = new ContextClient('identity', new RedisRpcClient({ url, keyPrefix: prefix }), timeoutMs);
  clients.push(c);
  return c;
};

beforeEach(() => {
  prefix = `ficus-test:rpc:${process.pid}:${randomBytes(4).toString('hex')}`;
  apps = [];
  clients = [];
  probe.counts.clear();
  probe.byReplica.clear();
});
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(apps.map((a) => a.close()));
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

describe('Ficus Redis transport', () => {
  it('answers 1,000 concurrent calls through two replicas, running each request exactly once', async () => {
    apps.push(await startReplica('a', { keyPrefix: prefix }), await startReplica('b', { keyPrefix: prefix }));
    const c = client(10_000);
    const ids = Array.from({ length: 1000 }, (_, i) => `req-${i}`);
    const replies = await Promise.all(ids.map((id, i) => c.send<Echo>(ECHO, { id, delayMs: 2 }, meta(i))));
    expect(replies.map((r) => r.id)).toEqual(ids);
    expect([...probe.counts.values()].every((n) => n === 1)).toBe(true);
    expect(probe.counts.size).toBe(1000);
    expect(probe.byReplica.get('a')).toBeGreaterThan(0);
    expect(probe.byReplica.get('b')).toBeGreaterThan(0);
  }, 30_000);

  it('loses no call and hangs none past its deadline when a replica is SIGKILLed mid-run', async () => {
    apps.push(await startReplica('a', { keyPrefix: prefix }));
    const child = await spawnReplica('child');
    const timeoutMs = 1500;
    const c = client(timeoutMs);
    let killedAt = Infinity;
    const calls: Promise<Awaited<ReturnType<typeof timed<Echo>>>>[] = [];
    for (let i = 0; i < 300; i++) {
      calls.push(timed(() => c.send<Echo>(ECHO, { id: `k-${i}`, delayMs: 50 }, meta(i))));
      if (i === 100) {
        child.kill('SIGKILL');
        killedAt = Date.now();
      }
      await sleep(5);
    }
    const results = await Promise.all(calls);
    for (const r of results) {
      expect(r.ms).toBeLessThan(timeoutMs + 300);
      if (r.error) expect(r.error).toBeInstanceOf(ContextUnavailableError);
      // Once the child is gone only replica `a` pops: nothing sent afterwards may fail.
      if (r.start > killedAt) expect(r.error).toBeUndefined();
    }
    const served = (replica: string) => results.filter((r) => r.value?.replica === replica).length;
    expect(served('child')).toBeGreaterThan(0);
    expect(served('a')).toBeGreaterThan(0);
    const lost = results.filter((r) => r.error).length;
    console.log(`SIGKILL mid-run: ${served('child')} by child, ${served('a')} by a, ${lost} unavailable`);
  }, 30_000);

  it('reconnects client and server by themselves after Redis is restarted', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    let redis = await startRedis(port);
    try {
      apps.push(await startReplica('a', { url, keyPrefix: prefix }));
      const c = client(2000, url);
      await expect(c.send<Echo>(ECHO, { id: 'before' }, meta(1))).resolves.toMatchObject({ id: 'before' });
      redis.kill('SIGKILL');
      await once(redis, 'exit');
      await sleep(100);
      const down = await timed(() => c.send(ECHO, { id: 'down' }, meta(2)));
      expect(down.error).toBeInstanceOf(ContextUnavailableError);
      expect(down.ms).toBeLessThan(500);
      redis = await startRedis(port);
      const restarted = Date.now();
      let answer: Echo | undefined;
      while (!answer && Date.now() - restarted < 10_000) {
        answer = (await timed(() => c.send<Echo>(ECHO, { id: 'after' }, meta(3)))).value;
        if (!answer) await sleep(100);
      }
      expect(answer).toMatchObject({ id: 'after', replica: 'a' });
      console.log(`Redis restart: first call answered ${Date.now() - restarted} ms after Redis came back`);
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.close()));
      await Promise.all(apps.splice(0).map((a) => a.close()));
      redis.kill('SIGKILL');
    }
  }, 30_000);

  it('drops a request whose deadline has passed without running it, and logs that it did', async () => {
    const warnings: unknown[] = [];
    const logger: LoggerService = { log: () => undefined, error: () => undefined, warn: (m) => warnings.push(m) };
    const late = { meta: { ...meta('late'), deadline: Date.now() - 1000 }, data: { id: 'expired' } };
    const packet = { v: 1, id: 'p-late', pattern: ECHO, data: late, replyTo: 'nobody', deadline: late.meta.deadline };
    const redis = new Redis(REDIS_URL);
    await redis.lpush(`${prefix}:rpc:identity`, JSON.stringify({ ...packet, headers: { correlationId: 'corr-late' } }));
    await redis.quit();
    apps.push(await startReplica('a', { keyPrefix: prefix, logger }));
    // Requests are taken oldest first: once a later call is answered, the stale one was popped.
    await expect(client(5000).send<Echo>(ECHO, { id: 'fresh' }, meta(1))).resolves.toMatchObject({ id: 'fresh' });
    expect(probe.counts.has('expired')).toBe(false);
    expect(warnings).toContainEqual(expect.objectContaining({ event: 'rpc.request.expired', correlationId: 'corr-late' }));
  }, 15_000);

  it('round-trips a typed domain error as a ContractCallError with the same code and status', async () => {
    apps.push(await startReplica('a', { keyPrefix: prefix }));
    const error = await client(5000)
      .send('identity.fail.v1', {}, meta(1))
      .catch((e: unknown) => e);
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
    EchoController.replica.set(app.get(EchoController), 'stock');
    await app.listen();
    apps.push(app);
    const c = new ContextClient('identity', ClientProxyFactory.create({ transport: Transport.REDIS, options }), 5000);
    clients.push(c);
    await expect(c.send<Echo>(ECHO, { id: 'smoke' }, meta(1))).resolves.toMatchObject({ id: 'smoke', replica: 'stock' });
  }, 15_000);
});

async function spawnReplica(name: string): Promise<ChildProcess> {
  const script = new URL('./rpc-replica.mjs', import.meta.url);
  const env = { ...process.env, RPC_URL: REDIS_URL, RPC_PREFIX: prefix, REPLICA: name };
  const child = spawn(process.execPath, [script.pathname], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`replica exited with ${code}`)));
  });
  children.push(child);
  await Promise.race([ready, sleep(20_000).then(() => Promise.reject(new Error('replica did not start')))]);
  return child;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** A throw-away redis-server of this test's own: the machine's Redis on 6379 is never touched. */
async function startRedis(port: number): Promise<ChildProcess> {
  const proc = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const probeConn = new Redis({ port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    const up = await probeConn.connect().then(
      () => true,
      () => false,
    );
    probeConn.disconnect();
    if (up) return proc;
    await sleep(50);
  }
  proc.kill('SIGKILL');
  throw new Error(`redis-server did not start on ${port}`);
}
