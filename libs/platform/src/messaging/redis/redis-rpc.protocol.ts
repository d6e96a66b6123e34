import { Redis } from 'ioredis';
import { CONTEXT_NAMES, type ContextName, isQueryPattern } from '@ficus/contracts';
import { hasIdempotencyKey, isRetrySafe } from '../retry-safety.js';

/**
 * The wire protocol of Ficus's Redis request/response transport, shared by `RedisRpcServer` and
 * `RedisRpcClient`. Everything on the wire is JSON.
 *
 * - A request is `XADD`ed (field `p`, the stream capped with `MAXLEN ~`) to the stream
 *   `<prefix>:rpc:requests:<context>`. Every replica hosting that context reads it through the one
 *   consumer group `hosts` (`XREADGROUP`, consumer = the replica's instance id), so each request is
 *   delivered to one replica, oldest first.
 * - A delivered request stays pending in the group until the replica has answered it (`XACK`, then
 *   `XDEL` to keep the stream small). While it runs, the replica re-claims it every lease/3
 *   (`XCLAIM … JUSTID`), so only the requests of a replica that died go idle past the lease; any
 *   replica then takes them over (`XAUTOCLAIM`) and re-delivers them: queries run again, commands with an
 *   idempotency key run again unless their reply is stored (`<prefix>:rpc:replied:<id>`, kept until the
 *   caller's deadline), and other commands, which may have run, are answered with a transport failure.
 * - The reply is `PUBLISH`ed on `<prefix>:rpc:reply:<instanceId>`, the channel the calling client
 *   instance subscribed to; the client matches it to its caller by packet id.
 *
 * Version 2 (streams) replaced version 1 (a list per context, `LPUSH`/`BRPOP`, where a request taken by a
 * replica that died was lost); the two do not read each other's requests, so callers and hosts of a
 * context are deployed together.
 */
export const RPC_PROTOCOL_VERSION = 2;

/** Transport id of the Redis RPC transport, as `RpcContext`/hooks see it. */
export const REDIS_RPC_TRANSPORT = Symbol('ficus.redis-rpc');

/** The consumer group every host replica of a context reads its request stream through. */
export const RPC_CONSUMER_GROUP = 'hosts';

/** The stream entry field that holds the request packet. */
export const REQUEST_FIELD = 'p';

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
  /** Epoch ms after which the caller has given up; a request taken later is dropped, not run. */
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

/** One entry read from a request stream; `raw` (the packet) is undefined when it has none, or is deleted. */
export interface StreamEntry {
  stream: string;
  id: string;
  raw?: string;
}

export function requestStreamKey(prefix: string, context: ContextName): string {
  return `${prefix}:rpc:requests:${context}`;
}

export function replyChannel(prefix: string, instanceId: string): string {
  return `${prefix}:rpc:reply:${instanceId}`;
}

/** Where the replies of a finished command with an idempotency key are kept for a re-delivery. */
export function storedReplyKey(prefix: string, requestId: string): string {
  return `${prefix}:rpc:replied:${requestId}`;
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

/**
 * What a server does with a request it has taken:
 * - `expired`: the caller's deadline has passed; drop it unrun;
 * - `run`: run the handler (a first delivery, or a re-delivered query);
 * - `replay`: a re-delivered command with an idempotency key: re-send its stored reply if it finished,
 *   else run it again (the key makes a second run harmless);
 * - `refuse`: a re-delivered command without an idempotency key: it may have run on the replica that
 *   died, so answer with a transport failure (the caller reports 503) rather than risk a second effect.
 */
export type DeliveryAction = 'expired' | 'run' | 'replay' | 'refuse';

export function deliveryAction(packet: RpcRequestPacket, redelivered: boolean, now: number): DeliveryAction {
  if (packet.deadline !== undefined && packet.deadline <= now) return 'expired';
  if (!redelivered) return 'run';
  if (!isRetrySafe(packet.pattern, contractDataOf(packet))) return 'refuse';
  return isStoredReplyWanted(packet) ? 'replay' : 'run';
}

/** Whether a finished request's replies are stored for a re-delivery: commands with an idempotency key. */
export function isStoredReplyWanted(packet: RpcRequestPacket): boolean {
  return !isQueryPattern(packet.pattern) && hasIdempotencyKey(contractDataOf(packet));
}

/** How long stored replies are kept: until the caller's deadline (nothing is re-delivered after it), plus slack. */
export function storedReplyTtlMs(packet: RpcRequestPacket, now: number): number {
  const SLACK_MS = 1000;
  const WITHOUT_DEADLINE_MS = 60_000;
  return packet.deadline === undefined ? WITHOUT_DEADLINE_MS : Math.max(0, packet.deadline - now) + SLACK_MS;
}

/** The answer to a re-delivered command that may have run: a plain string, which callers map to 503. */
export function lostRequestError(packet: RpcRequestPacket): string {
  return `${packet.pattern} was taken by a replica that stopped; not run again (a command without an idempotency key)`;
}

function contractDataOf(packet: RpcRequestPacket): unknown {
  return (packet.data as { data?: unknown } | null)?.data;
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

/** Parses a taken request; undefined for anything that is not a request of this protocol version. */
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
    // ContextUnavailable quickly, and the server's read loop notices and retries.
    enableOfflineQueue: false,
    // A command in flight when the connection drops is rejected right away, never re-sent after the
    // reconnect: a re-sent XADD could run a request twice, a re-sent XREADGROUP would hide the outage.
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    retryStrategy: (times: number) => (wasReady ? Math.min(times * 100, 1000) : null),
  });
  redis.once('ready', () => (wasReady = true));
  return redis;
}
