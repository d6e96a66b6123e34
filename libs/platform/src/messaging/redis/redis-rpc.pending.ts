import type { Redis } from 'ioredis';
import type { StreamEntry } from './redis-rpc.protocol.js';
import type { RequestStreams } from './redis-rpc.streams.js';

const ACK_DELAY_MS = 20;
const ACK_BATCH = 100;

/**
 * The requests one server has taken and not acknowledged yet. While a request runs it is renewed with the
 * others (one XCLAIM per stream every lease/3), so no other replica takes it over. Once answered (or
 * dropped) it is acknowledged in a batch, ACK_DELAY_MS after the first of the batch (at once when the
 * batch is full): off the path between a reply and the caller's next request, and one round trip for
 * many. A replica that dies in between leaves its batch pending: re-delivered, those requests are answered
 * again (queries, stored replies) or refused, and their callers, already answered, ignore that.
 */
export class PendingEntries {
  private readonly running = new Map<string, Set<string>>();
  private answered = new Map<string, string[]>();
  private answeredCount = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly streams: RequestStreams,
    /** The connection for commands, undefined once the server is closed. */
    private readonly redis: () => Redis | undefined,
    private readonly onError: (error: unknown) => Promise<void>,
  ) {}

  begin(entry: StreamEntry): void {
    let ids = this.running.get(entry.stream);
    if (!ids) this.running.set(entry.stream, (ids = new Set()));
    ids.add(entry.id);
  }

  isRunning(entry: StreamEntry): boolean {
    return this.running.get(entry.stream)?.has(entry.id) ?? false;
  }

  /** The request is answered or dropped: acknowledge it with the next batch. */
  finish(entry: StreamEntry): void {
    this.running.get(entry.stream)?.delete(entry.id);
    const ids = this.answered.get(entry.stream);
    if (ids) ids.push(entry.id);
    else this.answered.set(entry.stream, [entry.id]);
    if (++this.answeredCount >= ACK_BATCH) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), ACK_DELAY_MS);
  }

  async renew(): Promise<void> {
    const redis = this.redis();
    if (redis) await this.streams.renew(redis, this.running);
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.answeredCount = 0;
    const answered = this.answered;
    this.answered = new Map();
    const redis = this.redis();
    if (!answered.size || !redis) return;
    // On failure the entries stay pending: re-delivered after the lease (and answered again, or dropped
    // once past their deadline), unless Redis lost them anyway.
    await this.streams.ack(redis, answered).catch(this.onError);
  }
}
