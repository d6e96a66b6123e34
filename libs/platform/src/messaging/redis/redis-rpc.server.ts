import { Logger, type LoggerService } from '@nestjs/common';
import { type CustomTransportStrategy, RedisContext, Server, type WritePacket } from '@nestjs/microservices';
import type { Redis } from 'ioredis';
import { throwError } from 'rxjs';
import { type ContextName, isContractErrorBody } from '@ficus/contracts';
import { toContractErrorBody } from '../../errors/error-body.js';
import {
  createRpcConnection,
  parseRequest,
  REDIS_RPC_TRANSPORT,
  replyChannel,
  requestQueueKey,
  type RpcReplyPacket,
  type RpcRequestPacket,
} from './redis-rpc.protocol.js';

export interface RedisRpcServerOptions {
  url: string;
  keyPrefix: string;
  /** The contexts this process hosts: it takes requests from their lists only. */
  contexts: ContextName[];
  /** Handlers running at once; the loop stops popping while all slots are busy. Default 50. */
  concurrency?: number;
  /** BRPOP timeout: bounds how long `close()` waits for the blocked pop. Default 2 s. */
  blockTimeoutSeconds?: number;
  /** Pause before popping again after a Redis error. Default 250 ms. */
  retryDelayMs?: number;
  /** How long `close()` waits for running handlers to answer. Default 10 s. */
  drainTimeoutMs?: number;
  logger?: LoggerService;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Ficus's Redis transport, server half. Replicas of a context compete for its requests with `BRPOP`, so
 * each request runs exactly once, up to `concurrency` at a time; replies are published on the caller's
 * own channel. A request whose caller's deadline has passed is dropped instead of run. Handlers stay
 * plain `@MessagePattern` methods and go through Nest's pipeline (pipes, guards, RPC exception filters).
 */
export class RedisRpcServer extends Server implements CustomTransportStrategy {
  override readonly transportId = REDIS_RPC_TRANSPORT;
  private readonly log: LoggerService;
  private readonly concurrency: number;
  private blocking?: Redis;
  private publisher?: Redis;
  private closing = false;
  private loopDone: Promise<void> = Promise.resolve();
  private readonly running = new Set<Promise<void>>();
  private slotFreed?: () => void;
  private errorLogged = false;
  /** Redis's id for the BRPOP connection (it changes on every reconnect), so close() can unblock it. */
  private blockingId?: number;

  constructor(private readonly options: RedisRpcServerOptions) {
    super();
    this.log = options.logger ?? new Logger(RedisRpcServer.name);
    this.concurrency = Math.max(1, options.concurrency ?? 50);
  }

  async listen(callback: (err?: unknown) => void): Promise<void> {
    // A read of no list at all is an error in Redis, retried for ever: refuse at once instead.
    if (!this.options.contexts.length) return callback(new Error('RedisRpcServer: no context to serve'));
    // BRPOP holds its connection for seconds at a time, so replies go through a second one.
    this.blocking = this.connection('rpc-server-pop');
    this.publisher = this.connection('rpc-server-reply');
    const blocking = this.blocking;
    const rememberId = (id: unknown) => (this.blockingId = Number(id));
    blocking.on('ready', () => void blocking.client('ID').then(rememberId, () => undefined));
    try {
      await Promise.all([this.blocking.connect(), this.publisher.connect()]);
    } catch (error) {
      for (const redis of [this.blocking, this.publisher]) if (redis.status !== 'end') redis.disconnect();
      this.blocking = this.publisher = undefined;
      return callback(error);
    }
    this.closing = false;
    this.loopDone = this.loop(this.options.contexts.map((c) => requestQueueKey(this.options.keyPrefix, c)));
    this.log.log(
      { event: 'rpc.server.listening', contexts: this.options.contexts, concurrency: this.concurrency },
      `Taking requests for ${this.options.contexts.join(', ')}`,
    );
    callback();
  }

  /** Graceful: stops popping, lets running handlers answer, then disconnects. Nothing popped is lost. */
  async close(): Promise<void> {
    if (!this.blocking || this.closing) return;
    this.closing = true;
    this.slotFreed?.();
    // CLIENT UNBLOCK ends a waiting BRPOP as if it had timed out: prompt, and unlike dropping the
    // connection it cannot lose a request Redis has already popped for us.
    if (this.blockingId !== undefined) await this.publisher?.client('UNBLOCK', this.blockingId).catch(() => undefined);
    await this.loopDone;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>(
      (resolve) => (timer = setTimeout(resolve, this.options.drainTimeoutMs ?? 10_000, false)),
    );
    const drained = await Promise.race([Promise.all(this.running).then(() => true), timedOut]);
    clearTimeout(timer);
    if (!drained) {
      this.log.warn({ event: 'rpc.server.drain-timeout', running: this.running.size }, 'Closing with handlers running');
    }
    await Promise.all([this.blocking, this.publisher].map((r) => r?.quit().catch(() => r.disconnect())));
    this.blocking = this.publisher = undefined;
  }

  // Same signature as Nest's `Server#on`; listeners go on both connections.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  on<K extends string = string, C extends Function = Function>(event: K, callback: C): void {
    const listener = callback as unknown as (...args: unknown[]) => void;
    this.blocking?.on(event, listener);
    this.publisher?.on(event, listener);
  }

  unwrap<T>(): T {
    if (!this.blocking) throw new Error('Not listening yet: call listen() first');
    return [this.blocking, this.publisher] as T;
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

  private async loop(keys: string[]): Promise<void> {
    const timeout = this.options.blockTimeoutSeconds ?? 2;
    while (!this.closing) {
      if (this.running.size >= this.concurrency) {
        await new Promise<void>((resolve) => (this.slotFreed = resolve));
        continue;
      }
      let popped: [string, string] | null;
      try {
        popped = await this.blocking!.brpop(...keys, timeout);
      } catch (error) {
        // Redis went away (or is still away): ioredis reconnects on its own, we just try again shortly.
        this.logRedisError(error as Error);
        if (!this.closing) await sleep(this.options.retryDelayMs ?? 250);
        continue;
      }
      if (popped) this.track(this.handle(popped[0], popped[1]));
    }
  }

  private track(job: Promise<void>): void {
    this.running.add(job);
    void job.finally(() => {
      this.running.delete(job);
      const wake = this.slotFreed;
      this.slotFreed = undefined;
      wake?.();
    });
  }

  private async handle(queue: string, raw: string): Promise<void> {
    const packet = parseRequest(raw);
    if (!packet) {
      this.log.warn({ event: 'rpc.request.malformed', queue }, 'Dropped a packet that is not an RPC request');
      return;
    }
    const { correlationId, traceparent } = packet.headers;
    const fields = { pattern: packet.pattern, id: packet.id, correlationId, traceparent };
    if (packet.deadline !== undefined && packet.deadline <= Date.now()) {
      // The caller has already given up (its ContextClient timed out): running it would only waste work,
      // or worse, apply a command whose failure the caller has already reported. Assumes host clocks
      // agree to well within a call timeout, as any deadline propagation does.
      this.log.warn(
        { event: 'rpc.request.expired', ...fields, lateMs: Date.now() - packet.deadline },
        `Dropped ${packet.pattern}: the caller's deadline has passed`,
      );
      return;
    }
    const handler = this.getHandlerByPattern(packet.pattern);
    if (!handler || handler.isEventHandler) {
      this.log.warn({ event: 'rpc.request.no-handler', ...fields }, `No handler for ${packet.pattern}`);
      // A plain string, not a contract error: the caller maps it to ContextUnavailable, as in-process.
      return this.reply(packet, { err: `No handler for ${packet.pattern} in this service`, isDisposed: true });
    }
    this.log.debug?.({ event: 'rpc.request', ...fields }, `Handling ${packet.pattern}`);
    const context = new RedisContext([queue, { ...headersOf(packet), ...packet.metadata }]);
    await new Promise<void>((done) => {
      const respond = async (reply: WritePacket) => {
        try {
          await this.reply(packet, reply);
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

  private async reply(request: RpcRequestPacket, reply: WritePacket): Promise<void> {
    const packet: RpcReplyPacket = { id: request.id, response: reply.response, isDisposed: reply.isDisposed };
    if (reply.err !== undefined) {
      packet.err =
        typeof reply.err === 'string' || isContractErrorBody(reply.err) ? reply.err : toContractErrorBody(reply.err);
      packet.isDisposed = true;
    }
    try {
      await this.publisher!.publish(replyChannel(this.options.keyPrefix, request.replyTo), JSON.stringify(packet));
    } catch (error) {
      // The caller's ContextClient times out (or its subscriber saw the same outage and failed the call).
      this.log.warn(
        { event: 'rpc.reply.failed', id: request.id, correlationId: request.headers.correlationId, err: String(error) },
        'Could not publish a reply',
      );
    }
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
