import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Logger, type LoggerService } from '@nestjs/common';
import { type CustomTransportStrategy, RedisContext, Server, type WritePacket } from '@nestjs/microservices';
import type { Redis } from 'ioredis';
import { throwError } from 'rxjs';
import type { ContextName } from '@ficus/contracts';
import {
  createRpcConnection,
  deliveryAction,
  isStoredReplyWanted,
  lostRequestError,
  parseRequest,
  REDIS_RPC_TRANSPORT,
  requestStreamKey,
  type RpcRequestPacket,
  type StreamEntry,
} from './redis-rpc.protocol.js';
import { PendingEntries } from './redis-rpc.pending.js';
import { RpcReplies } from './redis-rpc.replies.js';
import { isLostGroupError, RequestStreams } from './redis-rpc.streams.js';

export interface RedisRpcServerOptions {
  url: string;
  keyPrefix: string;
  /** The contexts this process hosts: it takes requests from their streams only. */
  contexts: ContextName[];
  /** Handlers running at once; the server takes no more requests while all slots are busy. Default 50. */
  concurrency?: number;
  /**
   * A request taken by a replica that has not renewed it for this long (the replica died) is taken over
   * by another one. Running requests are renewed every lease/3. Default 2000 ms; keep it well under the
   * callers' deadline (CONTEXT_CALL_TIMEOUT_MS), or a dead replica's requests are dropped, not re-run.
   */
  leaseMs?: number;
  /** How long one XREADGROUP waits: bounds how long `close()` waits for it. Default 2000 ms. */
  blockMs?: number;
  /** Pause before reading again after a Redis error. Default 250 ms. */
  retryDelayMs?: number;
  /** How long `close()` waits for running handlers to answer. Default 10 s. */
  drainTimeoutMs?: number;
  /** Replicas that have not read for this long and have nothing pending leave the group. Default 10 min. */
  consumerIdleMs?: number;
  logger?: LoggerService;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const MAINTAIN_EVERY_MS = 60_000;
/** A request stream nobody has served for this long is removed by Redis (see RequestStreams#maintain). */
const STREAM_TTL_MS = 24 * 3_600_000;

/**
 * Ficus's Redis transport, server half. Replicas of a context share its request stream through one
 * consumer group, so each request runs on one replica, up to `concurrency` at a time; replies are
 * published on the caller's own channel. A request stays pending until answered: if its replica dies,
 * another takes it over after the lease (queries run again, commands only with an idempotency key; see
 * `deliveryAction`). A request whose caller's deadline has passed is dropped instead of run. Handlers stay
 * plain `@MessagePattern` methods and go through Nest's pipeline (pipes, guards, RPC exception filters).
 */
export class RedisRpcServer extends Server implements CustomTransportStrategy {
  override readonly transportId = REDIS_RPC_TRANSPORT;
  /** This replica's consumer name in the group: unique per server instance, readable in XINFO. */
  readonly instanceId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly log: LoggerService;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly streams: RequestStreams;
  private blocking?: Redis;
  private commands?: Redis;
  private closing = false;
  private loopDone: Promise<void> = Promise.resolve();
  /** Handlers running now; `allDone` is called when it drops to zero (close() waits for it). */
  private running = 0;
  private allDone?: () => void;
  private readonly pending: PendingEntries;
  private readonly replies: RpcReplies;
  private slotFreed?: () => void;
  private timers: { renew?: NodeJS.Timeout; reap?: NodeJS.Timeout; maintain?: NodeJS.Timeout } = {};
  private reaping?: Promise<void>;
  private restoring?: Promise<void>;
  private errorLogged = false;
  /** Redis's id for the reading connection (it changes on every reconnect), so close() can unblock it. */
  private blockingId?: number;

  constructor(private readonly options: RedisRpcServerOptions) {
    super();
    this.log = options.logger ?? new Logger(RedisRpcServer.name);
    this.concurrency = Math.max(1, options.concurrency ?? 50);
    this.leaseMs = Math.max(30, options.leaseMs ?? 2000);
    const keys = options.contexts.map((context) => requestStreamKey(options.keyPrefix, context));
    this.streams = new RequestStreams(keys, this.instanceId);
    this.pending = new PendingEntries(
      this.streams,
      () => this.commands,
      (error) => this.onRedisError(error),
    );
    this.replies = new RpcReplies(options.keyPrefix, () => this.commands, this.log);
  }

  async listen(callback: (err?: unknown) => void): Promise<void> {
    // A read of no stream at all is an error in Redis, retried for ever: refuse at once instead.
    if (!this.options.contexts.length) return callback(new Error('RedisRpcServer: no context to serve'));
    // XREADGROUP holds its connection for seconds at a time, so everything else goes through a second one.
    this.blocking = this.connection('rpc-server-read');
    this.commands = this.connection('rpc-server-reply');
    const blocking = this.blocking;
    const rememberId = (id: unknown) => (this.blockingId = Number(id));
    blocking.on('ready', () => void blocking.client('ID').then(rememberId, () => undefined));
    try {
      await Promise.all([this.blocking.connect(), this.commands.connect()]);
      await this.streams.ensureGroups(this.commands);
    } catch (error) {
      for (const redis of [this.blocking, this.commands]) if (redis.status !== 'end') redis.disconnect();
      this.blocking = this.commands = undefined;
      return callback(error);
    }
    this.closing = false;
    this.loopDone = this.loop();
    this.startTimers();
    void this.maintain().catch((error: unknown) => this.onRedisError(error));
    this.log.log(
      {
        event: 'rpc.server.listening',
        contexts: this.options.contexts,
        concurrency: this.concurrency,
        leaseMs: this.leaseMs,
        consumer: this.instanceId,
      },
      `Taking requests for ${this.options.contexts.join(', ')}`,
    );
    callback();
  }

  /**
   * Graceful: stops taking requests, lets running handlers answer (still renewing them), then disconnects.
   * What is still running after `drainTimeoutMs` is not acknowledged, so another replica takes it over.
   */
  async close(): Promise<void> {
    if (!this.blocking || this.closing) return;
    this.closing = true;
    clearInterval(this.timers.reap);
    clearInterval(this.timers.maintain);
    this.slotFreed?.();
    // CLIENT UNBLOCK ends a waiting XREADGROUP as if it had timed out: prompt, and unlike dropping the
    // connection it cannot lose a request Redis has already handed to us.
    if (this.blockingId !== undefined) await this.commands?.client('UNBLOCK', this.blockingId).catch(() => undefined);
    await this.loopDone;
    await this.reaping;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>(
      (resolve) => (timer = setTimeout(resolve, this.options.drainTimeoutMs ?? 10_000, false)),
    );
    const idle = new Promise<true>((resolve) => (this.allDone = () => resolve(true)));
    const drained = this.running === 0 || (await Promise.race([idle, timedOut]));
    clearTimeout(timer);
    clearInterval(this.timers.renew);
    if (!drained) {
      this.log.warn({ event: 'rpc.server.drain-timeout', running: this.running }, 'Closing with handlers running');
    }
    await this.pending.flush();
    await Promise.all([this.blocking, this.commands].map((r) => r?.quit().catch(() => r.disconnect())));
    this.blocking = this.commands = undefined;
  }

  // Same signature as Nest's `Server#on`; listeners go on both connections.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  on<K extends string = string, C extends Function = Function>(event: K, callback: C): void {
    const listener = callback as unknown as (...args: unknown[]) => void;
    this.blocking?.on(event, listener);
    this.commands?.on(event, listener);
  }

  unwrap<T>(): T {
    if (!this.blocking) throw new Error('Not listening yet: call listen() first');
    return [this.blocking, this.commands] as T;
  }

  private connection(name: string): Redis {
    const redis = createRpcConnection(this.options.url, name);
    redis.on('error', (error: Error) => this.logRedisError(error));
    redis.on('ready', () => {
      if (this.errorLogged) this.log.log({ event: 'rpc.server.redis-ready' }, 'Redis is back; taking requests again');
      this.errorLogged = false;
    });
    return redis;
  }

  private startTimers(): void {
    const every = (ms: number, task: () => Promise<void>) => {
      const timer = setInterval(() => void task().catch((error: unknown) => this.onRedisError(error)), ms);
      timer.unref();
      return timer;
    };
    this.timers = {
      renew: every(Math.floor(this.leaseMs / 3), () => this.pending.renew()),
      reap: every(
        Math.floor(this.leaseMs / 4),
        () => (this.reaping ??= this.reap().finally(() => (this.reaping = undefined))),
      ),
      maintain: every(Math.min(MAINTAIN_EVERY_MS, this.options.consumerIdleMs ?? MAINTAIN_EVERY_MS), () =>
        this.maintain(),
      ),
    };
  }

  private async loop(): Promise<void> {
    while (!this.closing) {
      const free = this.concurrency - this.running;
      if (free <= 0) {
        await new Promise<void>((resolve) => (this.slotFreed = resolve));
        continue;
      }
      let entries: StreamEntry[];
      try {
        entries = await this.streams.read(this.blocking!, free, this.options.blockMs ?? 2000);
      } catch (error) {
        if (this.closing) break;
        // Redis lost the stream or its group: recreate it and read again. Redis went away: ioredis
        // reconnects on its own, we try again shortly.
        if (isLostGroupError(error)) await this.onRedisError(error);
        else await this.onRedisError(error).then(() => sleep(this.options.retryDelayMs ?? 250));
        continue;
      }
      for (const entry of entries) this.start(entry, false);
    }
  }

  /** Takes over requests whose replica stopped renewing them (it died), as far as slots are free. */
  private async reap(): Promise<void> {
    for (const key of this.streams.keys) {
      const free = this.concurrency - this.running;
      if (this.closing || free <= 0) return;
      const { entries } = await this.streams.claimIdle(this.commands!, key, this.leaseMs, free);
      // Our own requests come back only if renewing them failed for a whole lease: they are still running.
      for (const entry of entries) if (!this.pending.isRunning(entry)) this.start(entry, true);
    }
  }

  private async maintain(): Promise<void> {
    const idleMs = this.options.consumerIdleMs ?? 600_000;
    const removed = await this.streams.maintain(this.commands!, idleMs, STREAM_TTL_MS);
    if (removed) this.log.log({ event: 'rpc.server.consumers-removed', removed }, 'Removed consumers of gone replicas');
  }

  private async onRedisError(error: unknown): Promise<void> {
    if (!isLostGroupError(error)) return this.logRedisError(error as Error);
    // Redis lost a stream or its group (FLUSHALL, restart): recreate it, from the stream's start.
    this.restoring ??= this.streams
      .ensureGroups(this.commands!)
      .then((created) => {
        if (created) this.log.warn({ event: 'rpc.server.group-restored', created }, 'Recreated lost consumer groups');
      })
      .catch((e: Error) => this.logRedisError(e))
      .finally(() => (this.restoring = undefined));
    await this.restoring;
  }

  private start(entry: StreamEntry, redelivered: boolean): void {
    this.pending.begin(entry);
    this.running++;
    void this.run(entry, redelivered);
  }

  private async run(entry: StreamEntry, redelivered: boolean): Promise<void> {
    try {
      await this.handle(entry, redelivered);
    } catch (error) {
      this.log.error({ event: 'rpc.request.failed', err: String(error) }, 'Handling failed');
    } finally {
      this.pending.finish(entry);
      this.running--;
      const wake = this.slotFreed;
      this.slotFreed = undefined;
      wake?.();
      if (this.running === 0) this.allDone?.();
    }
  }

  private async handle(entry: StreamEntry, redelivered: boolean): Promise<void> {
    const packet = entry.raw === undefined ? undefined : parseRequest(entry.raw);
    if (!packet) {
      this.log.warn({ event: 'rpc.request.malformed', stream: entry.stream, entry: entry.id }, 'Dropped a bad entry');
      return;
    }
    const { correlationId, traceparent } = packet.headers;
    const fields = { pattern: packet.pattern, id: packet.id, correlationId, traceparent, redelivered };
    const action = deliveryAction(packet, redelivered, Date.now());
    if (action === 'expired') {
      // The caller has already given up (its ContextClient timed out): running it would only waste work,
      // or worse, apply a command whose failure the caller has already reported. Assumes host clocks
      // agree to well within a call timeout, as any deadline propagation does.
      this.log.warn(
        { event: 'rpc.request.expired', ...fields, lateMs: Date.now() - packet.deadline! },
        `Dropped ${packet.pattern}: the caller's deadline has passed`,
      );
      return;
    }
    if (action === 'refuse') {
      this.log.warn({ event: 'rpc.request.lost', ...fields }, `${packet.pattern} was lost with its replica`);
      return this.replies.send(packet, { err: lostRequestError(packet), isDisposed: true });
    }
    if (action === 'replay' && (await this.replies.replay(packet))) {
      this.log.log({ event: 'rpc.request.replayed', ...fields }, `Re-sent the stored reply of ${packet.pattern}`);
      return;
    }
    if (redelivered) this.log.log({ event: 'rpc.request.redelivered', ...fields }, `Running ${packet.pattern} again`);
    // A contract pattern is a plain string: looked up as is first (`getHandlerByPattern` tries JSON.parse
    // on it, which throws and catches a SyntaxError per call).
    const handler = this.messageHandlers.get(packet.pattern) ?? this.getHandlerByPattern(packet.pattern);
    if (!handler || handler.isEventHandler) {
      this.log.warn({ event: 'rpc.request.no-handler', ...fields }, `No handler for ${packet.pattern}`);
      // A plain string, not a contract error: the caller maps it to ContextUnavailable, as in-process.
      return this.replies.send(packet, { err: `No handler for ${packet.pattern} in this service`, isDisposed: true });
    }
    this.log.debug?.({ event: 'rpc.request', ...fields }, `Handling ${packet.pattern}`);
    const context = new RedisContext([entry.stream, { ...headersOf(packet), ...packet.metadata }]);
    const stored = isStoredReplyWanted(packet) ? [] : undefined;
    await new Promise<void>((done) => {
      const respond = async (reply: WritePacket) => {
        try {
          await this.replies.send(packet, reply, stored);
        } finally {
          if (reply.isDisposed) done();
        }
      };
      // Never let `produce` reject: Nest's `send` then always ends with an `isDisposed` reply, which
      // is what frees this request's concurrency slot.
      const produce = async () => {
        try {
          return this.transformToObservable(await handler(packet.data, context));
        } catch (error) {
          return throwError(() => error);
        }
      };
      this.handleRequest(context, produce, respond);
    });
  }

  private logRedisError(error: Error): void {
    if (this.errorLogged || this.closing) return;
    this.errorLogged = true;
    this.log.warn({ event: 'rpc.server.redis-error', err: error.message }, 'Redis unavailable; retrying');
  }
}

function headersOf(packet: RpcRequestPacket): Record<string, string> {
  return Object.fromEntries(Object.entries(packet.headers).filter(([, v]) => typeof v === 'string'));
}
