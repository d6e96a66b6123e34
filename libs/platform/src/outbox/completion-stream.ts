import { Redis } from 'ioredis';

/** Entries read per XREAD at most. */
const READ_COUNT = 5000;
/** After a read that found entries, wait this long before the next: one round trip per batch of events. */
const BATCH_WINDOW_MS = 20;
const BLOCK_MS = 1000;
const RETRY_MS = 1000;

/**
 * The job ids BullMQ reports `completed` on a queue's events stream (the stream `QueueEvents` reads; every
 * job adds ~5 entries: added, waiting, active, completed…). Not `QueueEvents` itself: its blocking XREAD
 * returns as soon as one entry arrives, so under load it pays a Redis round trip for every few entries and
 * builds and emits an object for every entry, of which the relay needs one in five. This reads in
 * batches, at most one XREAD per `BATCH_WINDOW_MS` while events flow, blocking only when the stream is
 * idle, and keeps only the completions. It starts at the stream's end: completions
 * from before it started (or while Redis was away and the stream was trimmed) are the reconciler's.
 */
export class CompletionStream {
  private readonly connection: Redis;
  private closed = false;
  private loop?: Promise<void>;

  constructor(
    redisUrl: string,
    private readonly key: string,
    private readonly onCompleted: (jobIds: string[]) => void,
    private readonly onError: (error: Error) => void,
  ) {
    // XREAD BLOCK holds the connection: it gets one of its own.
    this.connection = new Redis(redisUrl, { maxRetriesPerRequest: null, connectionName: 'ficus-events-completed' });
    this.connection.on('error', () => undefined); // reported by the read loop
  }

  start(): void {
    this.loop ??= this.run();
  }

  async close(): Promise<void> {
    this.closed = true;
    // A blocked XREAD would hold a graceful quit until it times out: drop the connection.
    this.connection.disconnect();
    await this.loop;
  }

  private async run(): Promise<void> {
    let lastId = '$';
    while (!this.closed) {
      try {
        const reply = (await this.connection.xread(
          'COUNT',
          READ_COUNT,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          this.key,
          lastId,
        )) as [string, [string, string[]][]][] | null;
        const entries = reply?.[0]?.[1] ?? [];
        if (!entries.length) continue;
        lastId = entries[entries.length - 1][0];
        const completed = completedJobIds(entries);
        if (completed.length) this.onCompleted(completed);
        if (entries.length < READ_COUNT) await sleep(BATCH_WINDOW_MS);
      } catch (error) {
        if (this.closed) return;
        this.onError(error as Error);
        await sleep(RETRY_MS);
      }
    }
  }
}

/** `event completed jobId <id> …` entries → their job ids. */
export function completedJobIds(entries: [string, string[]][]): string[] {
  const ids: string[] = [];
  for (const [, fields] of entries) {
    if (fields[0] !== 'event' || fields[1] !== 'completed') continue;
    for (let i = 2; i + 1 < fields.length; i += 2) {
      if (fields[i] === 'jobId') {
        ids.push(fields[i + 1]);
        break;
      }
    }
  }
  return ids;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
