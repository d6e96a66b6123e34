/**
 * Fixtures of redis-transport.int-spec.ts: a tiny echo service under a real context name (`identity`),
 * hosted in-process by `RedisRpcServer` or in a child process (rpc-replica.mjs), and a throw-away
 * redis-server for the restart test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Controller, type DynamicModule, type INestMicroservice, Module } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { Ctx, MessagePattern, Payload, type RedisContext } from '@nestjs/microservices';
import type { CallMeta, ContractMessage } from '@ficus/contracts';
import { Redis } from 'ioredis';
import {
  AllExceptionsFilter,
  DomainError,
  RedisRpcServer,
  type RedisRpcServerOptions,
  requestStreamKey,
  RPC_CONSUMER_GROUP,
  type RpcRequestPacket,
} from '@ficus/platform';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** A command (no query verb): without an idempotency key it is never run twice. */
export const ECHO = 'identity.echo.v1';
/** The same echo as a query, which may run again after a replica dies. */
export const GET_ECHO = 'identity.get-echo.v1';
export const FAIL = 'identity.fail.v1';
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const meta = (i: number | string): CallMeta => ({ correlationId: `corr-${i}`, actor: null });

/** What the in-process replicas' handlers saw: runs per request id, and per replica. */
export const probe = { counts: new Map<string, number>(), byReplica: new Map<string, number>() };
const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);

export type Echo = { id: string; replica: string; metadata?: Record<string, string> };

class WidgetMissing extends DomainError {
  readonly code = 'WIDGET_NOT_FOUND';
  readonly kind = 'not_found' as const;
}

@Controller()
class EchoController {
  /** Replica label per controller instance: every replica is its own Nest app of the same module. */
  static readonly replica = new WeakMap<object, string>();

  @MessagePattern(GET_ECHO)
  getEcho(@Payload() msg: ContractMessage<{ id: string; delayMs?: number }>, @Ctx() ctx: RedisContext) {
    return this.echo(msg, ctx);
  }

  @MessagePattern(ECHO)
  async echo(@Payload() msg: ContractMessage<{ id: string; delayMs?: number }>, @Ctx() ctx: RedisContext) {
    const replica = EchoController.replica.get(this) ?? '?';
    bump(probe.counts, msg.data.id);
    bump(probe.byReplica, replica);
    if (msg.data.delayMs) await sleep(msg.data.delayMs);
    return { id: msg.data.id, replica, metadata: ctx.getMetadata?.() } satisfies Echo;
  }

  @MessagePattern(FAIL)
  fail(): never {
    throw new WidgetMissing('no widget 7');
  }
}

/** The echo service with Ficus's one exception filter, as every real host has it. */
export function echoModule(): DynamicModule {
  @Module({ controllers: [EchoController], providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }] })
  class EchoModule {}
  return { module: EchoModule };
}

export function labelReplica(app: INestMicroservice, name: string): void {
  EchoController.replica.set(app.get(EchoController), name);
}

export async function startReplica(
  name: string,
  options: Partial<RedisRpcServerOptions> & { keyPrefix: string },
): Promise<INestMicroservice> {
  const strategy = new RedisRpcServer({ url: REDIS_URL, contexts: ['identity'], ...options });
  const app = await NestFactory.createMicroservice(echoModule(), { strategy, logger: false });
  labelReplica(app, name);
  await app.listen();
  return app;
}

/**
 * A replica that takes requests and dies without a trace: it reads up to `count` requests through the
 * consumer group as consumer `ghost` (creating the group if need be) and never answers or renews them.
 */
export async function ghostTakes(prefix: string, count = 1): Promise<{ entryId: string; packet: RpcRequestPacket }[]> {
  const redis = new Redis(REDIS_URL);
  try {
    const key = requestStreamKey(prefix, 'identity');
    await redis.call('XGROUP', 'CREATE', key, RPC_CONSUMER_GROUP, '0', 'MKSTREAM').catch(() => undefined);
    const taken: { entryId: string; packet: RpcRequestPacket }[] = [];
    while (taken.length < count) {
      const reply = await redis.xreadgroup(
        'GROUP',
        RPC_CONSUMER_GROUP,
        'ghost',
        'COUNT',
        count - taken.length,
        'BLOCK',
        5000,
        'STREAMS',
        key,
        '>',
      );
      if (!reply) throw new Error('the ghost replica got no request within 5 s');
      for (const [, entries] of reply as [string, [string, string[]][]][]) {
        for (const [entryId, fields] of entries)
          taken.push({ entryId, packet: JSON.parse(fields[1]) as RpcRequestPacket });
      }
    }
    return taken;
  } finally {
    await redis.quit();
  }
}

/** A replica in a process of its own, answering as `name`; resolves once it listens. */
export async function spawnReplica(
  name: string,
  keyPrefix: string,
  extraEnv: Record<string, string> = {},
): Promise<ChildProcess> {
  const script = new URL('./rpc-replica.mjs', import.meta.url).pathname;
  const env = { ...process.env, RPC_URL: REDIS_URL, RPC_PREFIX: keyPrefix, REPLICA: name, ...extraEnv };
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  await waitForOutput(child, 'ready', 20_000).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return child;
}

/** A throw-away redis-server of the test's own: the machine's Redis on 6379 is never touched. */
export async function startRedis(port: number): Promise<ChildProcess> {
  const args = ['--port', String(port), '--save', '', '--appendonly', 'no'];
  const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  await waitForOutput(proc, 'Ready to accept connections', 10_000);
  return proc;
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

export interface Timed<T> {
  start: number;
  ms: number;
  value?: T;
  error?: unknown;
}

/** Settles a call: its outcome and how long it took. */
export async function timed<T>(call: () => Promise<T>): Promise<Timed<T>> {
  const start = Date.now();
  try {
    return { start, value: await call(), ms: Date.now() - start };
  } catch (error) {
    return { start, error, ms: Date.now() - start };
  }
}

function waitForOutput(proc: ChildProcess, text: string, ms: number): Promise<void> {
  let output = '';
  let timer: NodeJS.Timeout | undefined;
  return new Promise<void>((resolve, reject) => {
    proc.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(text)) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`${proc.spawnfile} exited (${code}): ${output}`)));
    timer = setTimeout(() => reject(new Error(`${proc.spawnfile} printed no "${text}" within ${ms} ms`)), ms);
  }).finally(() => clearTimeout(timer));
}
