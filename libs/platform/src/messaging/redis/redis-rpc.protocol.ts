import { Redis } from 'ioredis';
import { CONTEXT_NAMES, type ContextName } from '@ficus/contracts';

/**
 * The wire protocol of Ficus's Redis request/response transport, shared by `RedisRpcServer` and
 * `RedisRpcClient`. Everything on the wire is JSON.
 *
 * - A request is `LPUSH`ed onto `<prefix>:rpc:<context>`; every replica hosting that context `BRPOP`s
 *   the same list, so each request is taken (and run) by exactly one replica, oldest first.
 * - The reply is `PUBLISH`ed on `<prefix>:rpc:reply:<instanceId>`, the channel the calling client
 *   instance subscribed to; the client matches it to its caller by packet id.
 */
export const RPC_PROTOCOL_VERSION = 1;

/** Transport id of the Redis RPC transport, as `RpcContext`/hooks see it. */
export const REDIS_RPC_TRANSPORT = Symbol('ficus.redis-rpc');

/** Out-of-band values the server logs with; copied from the call's `meta` (and the dispatch hook). */
export interface RpcHeaders {
  correlationId?: string;
  traceparent?: string;
}

export interface RpcRequestPacket {
  v: typeof RPC_PROTOCOL_VERSION;
  id: string;
  pattern: string;
  data: unknown;
  /** Instance id of the caller: the server replies on `replyChannel(prefix, replyTo)`. */
  replyTo: string;
  /** Epoch ms after which the caller has given up; a request popped later is dropped, not run. */
  deadline?: number;
  headers: RpcHeaders;
  /** Nest packet metadata, as set by a `setOnDispatchHook` hook on the client. */
  metadata?: Record<string, string>;
}

/** One reply; `isDisposed` marks the last one of a request (always, unless a handler streams). */
export interface RpcReplyPacket {
  id: string;
  response?: unknown;
  err?: unknown;
  isDisposed?: boolean;
}

export function requestQueueKey(prefix: string, context: ContextName): string {
  return `${prefix}:rpc:${context}`;
}

export function replyChannel(prefix: string, instanceId: string): string {
  return `${prefix}:rpc:reply:${instanceId}`;
}

/** `identity.get-user.v1` → `identity`; undefined when the first segment is no context. */
export function contextOfRpcPattern(pattern: string): ContextName | undefined {
  const head = pattern.split('.', 1)[0];
  return (CONTEXT_NAMES as readonly string[]).includes(head) ? (head as ContextName) : undefined;
}

/** Reads the caller's deadline and headers from a `ContractMessage`-shaped payload (`{ meta, data }`). */
export function callMetaOf(data: unknown): { deadline?: number; headers: RpcHeaders } {
  const meta = (data as { meta?: Record<string, unknown> } | null)?.meta;
  if (typeof meta !== 'object' || meta === null) return { headers: {} };
  const headers: RpcHeaders = {};
  if (typeof meta.correlationId === 'string') headers.correlationId = meta.correlationId;
  if (typeof meta.traceparent === 'string') headers.traceparent = meta.traceparent;
  return { deadline: typeof meta.deadline === 'number' ? meta.deadline : undefined, headers };
}

function parseObject(raw: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Parses a popped request; undefined for anything that is not a request of this protocol version. */
export function parseRequest(raw: string): RpcRequestPacket | undefined {
  const p = parseObject(raw);
  if (!p || p.v !== RPC_PROTOCOL_VERSION) return undefined;
  if (typeof p.id !== 'string' || typeof p.pattern !== 'string' || typeof p.replyTo !== 'string') return undefined;
  if (p.deadline !== undefined && typeof p.deadline !== 'number') return undefined;
  const headers = typeof p.headers === 'object' && p.headers !== null ? (p.headers as RpcHeaders) : {};
  return { ...(p as unknown as RpcRequestPacket), headers };
}

/** Parses a reply received on the reply channel; undefined when it carries no packet id. */
export function parseReply(raw: string): RpcReplyPacket | undefined {
  const p = parseObject(raw);
  return p && typeof p.id === 'string' ? (p as unknown as RpcReplyPacket) : undefined;
}

/**
 * A connection as both halves use it: fails fast while Redis is away and, once it has been up, reconnects
 * by itself for ever. A first connection that fails ends instead, so `connect()` rejects and the caller
 * can start over cleanly.
 */
export function createRpcConnection(url: string, name: string): Redis {
  let wasReady = false;
  const redis = new Redis(url, {
    connectionName: name,
    lazyConnect: true,
    // A command issued while Redis is down fails at once instead of waiting in a queue: callers get
    // ContextUnavailable quickly, and the server's BRPOP loop notices and retries.
    enableOfflineQueue: false,
    // A command in flight when the connection drops is rejected right away, never re-sent after the
    // reconnect: a re-sent LPUSH could run a request twice, a re-sent BRPOP would hide the outage.
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    retryStrategy: (times: number) => (wasReady ? Math.min(times * 100, 1000) : null),
  });
  redis.once('ready', () => (wasReady = true));
  return redis;
}
