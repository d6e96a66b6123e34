import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import type { Redis } from 'ioredis';
import {
  callMetaOf,
  contextOfRpcPattern,
  parseReply,
  replyChannel,
  REQUEST_FIELD,
  requestStreamKey,
  createRpcConnection,
  RPC_PROTOCOL_VERSION,
  type RpcRequestPacket,
} from './redis-rpc.protocol.js';

export interface RedisRpcClientOptions {
  url: string;
  keyPrefix: string;
  /** Names this caller's reply channel; unique per process by default. */
  instanceId?: string;
  /**
   * Bound of each context's request stream (`XADD … MAXLEN ~`), so that it cannot grow without end while
   * no host serves it; the oldest requests go first (their callers time out). Default 10,000.
   */
  maxQueueLength?: number;
}

/** The transport could not take the request (Redis down, not connected, …): the caller maps it to 503. */
export class RedisRpcUnavailableError extends Error {
  constructor(reason: string) {
    super(`Redis RPC unavailable: ${reason}`);
    this.name = 'RedisRpcUnavailableError';
  }
}

interface Links {
  pub: Redis;
  sub: Redis;
}

/**
 * Ficus's Redis transport, client half: adds each request to its context's stream (`XADD`) and waits for
 * the reply on this instance's own channel (one subscriber connection per instance, whatever the number of
 * contexts). It never waits for Redis: a request while Redis is down fails at once, and `ContextClient`'s
 * deadline covers a reply that never comes. Calls made through one instance share its connections.
 */
export class RedisRpcClient extends ClientProxy {
  readonly instanceId: string;
  private readonly logger = new Logger(RedisRpcClient.name);
  private readonly channel: string;
  private links?: Links;
  private opening?: Promise<void>;
  /** Bumped by close(), so connections still opening when it ran are thrown away, not kept. */
  private generation = 0;

  constructor(private readonly options: RedisRpcClientOptions) {
    super();
    this.instanceId = options.instanceId ?? randomUUID();
    this.channel = replyChannel(options.keyPrefix, this.instanceId);
  }

  /** Opens both connections on first use; later calls only check that they are up, without waiting. */
  async connect(): Promise<void> {
    if (this.opening) return this.opening;
    if (!this.links) {
      this.opening = this.open().finally(() => (this.opening = undefined));
      return this.opening;
    }
    if (this.links.pub.status !== 'ready' || this.links.sub.status !== 'ready') {
      throw new RedisRpcUnavailableError(`connection is ${this.links.pub.status}/${this.links.sub.status}`);
    }
  }

  async close(): Promise<void> {
    const links = this.links;
    this.links = undefined;
    this.generation++;
    this.failPending('client closed');
    if (links) await Promise.all([links.pub, links.sub].map((r) => r.quit().catch(() => r.disconnect())));
  }

  unwrap<T>(): T {
    if (!this.links) throw new Error('Not connected yet: call connect() first');
    return [this.links.pub, this.links.sub] as T;
  }

  override on(event: string, callback: (...args: unknown[]) => void): void {
    this.links?.pub.on(event, callback);
    this.links?.sub.on(event, callback);
  }

  private async open(): Promise<void> {
    const generation = this.generation;
    const links: Links = {
      pub: createRpcConnection(this.options.url, `rpc-client-${this.instanceId}`),
      sub: createRpcConnection(this.options.url, `rpc-reply-${this.instanceId}`),
    };
    let warned = false;
    for (const redis of [links.pub, links.sub]) {
      redis.on('error', (error: Error) => {
        if (!warned) this.logger.warn({ event: 'rpc.client.redis-error', err: error.message }, 'Redis unavailable');
        warned = true;
      });
      redis.on('ready', () => (warned = false));
    }
    links.sub.on('message', (_channel: string, raw: string) => this.onReply(raw));
    // Pub/sub drops what is published while a subscriber is away: replies to calls in flight are lost,
    // so those calls fail now instead of at their deadline. ioredis re-subscribes once back.
    links.sub.on('close', () => this.links === links && this.failPending('connection to Redis lost'));
    try {
      await Promise.all([links.pub.connect(), links.sub.connect().then(() => links.sub.subscribe(this.channel))]);
    } catch (error) {
      // Start over on the next call rather than keep half-opened connections around.
      for (const redis of [links.pub, links.sub]) if (redis.status !== 'end') redis.disconnect();
      throw new RedisRpcUnavailableError(error instanceof Error ? error.message : String(error));
    }
    if (generation !== this.generation) {
      await Promise.all([links.pub.quit(), links.sub.quit()]).catch(() => undefined);
      throw new RedisRpcUnavailableError('client closed');
    }
    this.links = links;
  }

  protected publish(partial: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    const { id } = this.assignPacketId(partial);
    const pattern = this.normalizePattern(partial.pattern);
    const context = contextOfRpcPattern(pattern);
    const links = this.links;
    if (!context || !links) {
      callback({ err: new RedisRpcUnavailableError(context ? 'not connected' : `no context serves ${pattern}`) });
      return () => undefined;
    }
    const { deadline, headers } = callMetaOf(partial.data);
    const packet: RpcRequestPacket = {
      v: RPC_PROTOCOL_VERSION,
      id,
      pattern,
      data: partial.data,
      replyTo: this.instanceId,
      deadline,
      headers,
      metadata: partial.metadata,
    };
    const key = requestStreamKey(this.options.keyPrefix, context);
    const maxLength = this.options.maxQueueLength ?? 10_000;
    this.routingMap.set(id, callback);
    links.pub
      .xadd(key, 'MAXLEN', '~', maxLength, '*', REQUEST_FIELD, JSON.stringify(packet))
      .catch((error: Error) => this.fail(id, error.message));
    // Teardown (reply received, timeout, unsubscribe): the pending entry never outlives its caller.
    return () => this.routingMap.delete(id);
  }

  protected dispatchEvent<T>(): Promise<T> {
    throw new Error('Integration events travel through the outbox, not through ClientProxy.emit');
  }

  private onReply(raw: string): void {
    const reply = parseReply(raw);
    const callback = reply && this.routingMap.get(reply.id);
    // Late replies (the caller timed out and tore down) have nobody waiting: nothing to do.
    if (!reply || !callback) return;
    if (reply.err !== undefined || reply.isDisposed) {
      this.routingMap.delete(reply.id);
      callback({ err: reply.err, response: reply.response, isDisposed: true });
    } else {
      callback({ response: reply.response });
    }
  }

  private fail(id: string, reason: string): void {
    const callback = this.routingMap.get(id);
    this.routingMap.delete(id);
    callback?.({ err: new RedisRpcUnavailableError(reason) });
  }

  private failPending(reason: string): void {
    for (const id of [...this.routingMap.keys()]) this.fail(id, reason);
  }
}
