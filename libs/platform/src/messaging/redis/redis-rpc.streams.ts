import type { ChainableCommander, Redis } from 'ioredis';
import { REQUEST_FIELD, RPC_CONSUMER_GROUP, type StreamEntry } from './redis-rpc.protocol.js';

/**
 * The Redis Streams commands of the server half: the request streams of the contexts one server hosts,
 * read through the consumer group `hosts` as one consumer (the server's instance id). See
 * redis-rpc.protocol.ts for the whole protocol.
 */
export class RequestStreams {
  constructor(
    readonly keys: string[],
    readonly consumer: string,
  ) {}

  /**
   * Creates each stream's group where it is missing, from the stream's start: requests sent before any
   * host existed (or after Redis lost the group) are still served. Returns how many were created.
   */
  async ensureGroups(redis: Redis): Promise<number> {
    let created = 0;
    for (const key of this.keys) {
      try {
        await redis.call('XGROUP', 'CREATE', key, RPC_CONSUMER_GROUP, '0', 'MKSTREAM');
        created++;
      } catch (error) {
        if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
      }
    }
    return created;
  }

  /** Blocks up to `blockMs` for new requests; at most about `free` of them (at least one per stream). */
  async read(redis: Redis, free: number, blockMs: number): Promise<StreamEntry[]> {
    const count = Math.max(1, Math.floor(free / this.keys.length));
    const reply = await redis.call(
      'XREADGROUP',
      'GROUP',
      RPC_CONSUMER_GROUP,
      this.consumer,
      'COUNT',
      count,
      'BLOCK',
      blockMs,
      'STREAMS',
      ...this.keys,
      ...this.keys.map(() => '>'),
    );
    return parseReadReply(reply);
  }

  /** Takes over up to `count` requests of `key` that no consumer has touched for `leaseMs`. */
  async claimIdle(redis: Redis, key: string, leaseMs: number, count: number): Promise<ClaimedEntries> {
    const reply = await redis.call(
      'XAUTOCLAIM',
      key,
      RPC_CONSUMER_GROUP,
      this.consumer,
      leaseMs,
      '0-0',
      'COUNT',
      count,
    );
    return parseAutoclaimReply(key, reply);
  }

  /** Resets the idle time of requests this consumer is running, so no other replica takes them over. */
  async renew(redis: Redis, running: ReadonlyMap<string, ReadonlySet<string>>): Promise<void> {
    const pipeline = redis.pipeline();
    for (const [key, ids] of running) {
      if (ids.size) pipeline.call('XCLAIM', key, RPC_CONSUMER_GROUP, this.consumer, 0, ...ids, 'JUSTID');
    }
    if (pipeline.length) await execAll(pipeline);
  }

  /** Acknowledges answered requests and deletes them, so the stream holds only waiting or running ones. */
  async ack(redis: Redis, done: ReadonlyMap<string, readonly string[]>): Promise<void> {
    const pipeline = redis.pipeline();
    for (const [key, ids] of done) {
      pipeline.call('XACK', key, RPC_CONSUMER_GROUP, ...ids);
      pipeline.call('XDEL', key, ...ids);
    }
    await execAll(pipeline);
  }

  /**
   * Housekeeping, every minute or so: removes consumers (replicas gone for good) that have nothing
   * pending and have not read for `idleMs`, and keeps each stream for `ttlMs` more, so that the streams
   * of a deployment that no longer runs do not stay in Redis for ever. Returns the consumers removed.
   */
  async maintain(redis: Redis, idleMs: number, ttlMs: number): Promise<number> {
    let removed = 0;
    for (const key of this.keys) {
      removed += Number(await redis.eval(FORGET_IDLE_CONSUMERS, 1, key, RPC_CONSUMER_GROUP, idleMs, this.consumer));
      await redis.pexpire(key, ttlMs);
    }
    return removed;
  }
}

export interface ClaimedEntries {
  entries: StreamEntry[];
  /** Ids that were pending but whose entries are gone (trimmed): Redis dropped them from the group. */
  deleted: string[];
}

/**
 * Atomically, so a consumer cannot read between the check and the removal: deletes the consumers of the
 * group (but this one) with no pending entry and idle for at least ARGV[2] ms. `idle` counts from the last
 * read attempt, so a live replica blocked in XREADGROUP is never idle for long.
 */
const FORGET_IDLE_CONSUMERS = `
local removed = 0
for _, consumer in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  local info = {}
  for i = 1, #consumer, 2 do info[consumer[i]] = consumer[i + 1] end
  if info['pending'] == 0 and info['idle'] >= tonumber(ARGV[2]) and info['name'] ~= ARGV[3] then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], info['name'])
    removed = removed + 1
  end
end
return removed
`;

/** Runs a pipeline and throws the first error of its commands, as a single command would. */
async function execAll(pipeline: ChainableCommander): Promise<void> {
  const results = await pipeline.exec();
  const failed = results?.find(([error]) => error)?.[0];
  if (failed) throw failed;
}

/** Whether Redis lost a stream or its group (FLUSHALL, a restart without persistence, an expiry). */
export function isLostGroupError(error: unknown): boolean {
  // NOGROUP: a command on a missing group; UNBLOCKED: the stream was deleted while XREADGROUP waited on it.
  return error instanceof Error && /^(NOGROUP|UNBLOCKED)\b/.test(error.message);
}

/**
 * XREADGROUP's reply, or null when nothing came: `[[stream, [[id, [field, value, …] | null], …]], …]` over
 * RESP2, a map `stream → entries` over RESP3 (ioredis's default), which ioredis flattens to
 * `[stream, entries, stream, entries, …]`.
 */
export function parseReadReply(reply: unknown): StreamEntry[] {
  const entries: StreamEntry[] = [];
  if (!Array.isArray(reply)) return entries;
  const flat = typeof reply[0] === 'string';
  for (let i = 0; i < reply.length; i += flat ? 2 : 1) {
    const pair: unknown = reply[i];
    const [stream, streamEntries]: unknown[] = flat ? [pair, reply[i + 1]] : Array.isArray(pair) ? pair : [];
    if (typeof stream !== 'string' || !Array.isArray(streamEntries)) continue;
    for (const entry of streamEntries as unknown[]) {
      const parsed = parseEntry(stream, entry);
      if (parsed) entries.push(parsed);
    }
  }
  return entries;
}

/** XAUTOCLAIM's reply: `[next cursor, [[id, fields], …], [deleted id, …]]` (the last part since Redis 7). */
export function parseAutoclaimReply(stream: string, reply: unknown): ClaimedEntries {
  if (!Array.isArray(reply) || !Array.isArray(reply[1])) return { entries: [], deleted: [] };
  const entries: StreamEntry[] = [];
  const deleted = Array.isArray(reply[2]) ? reply[2].filter((id): id is string => typeof id === 'string') : [];
  for (const entry of reply[1] as unknown[]) {
    // Redis 6.2 lists a deleted entry here, with null fields (an entry without `raw`), not in the third part.
    const parsed = parseEntry(stream, entry);
    if (parsed) entries.push(parsed);
  }
  return { entries, deleted };
}

function parseEntry(stream: string, entry: unknown): StreamEntry | undefined {
  if (!Array.isArray(entry) || typeof entry[0] !== 'string') return undefined;
  const fields: unknown = entry[1];
  if (!Array.isArray(fields)) return { stream, id: entry[0] };
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === REQUEST_FIELD && typeof fields[i + 1] === 'string') {
      return { stream, id: entry[0], raw: fields[i + 1] as string };
    }
  }
  return { stream, id: entry[0] };
}
