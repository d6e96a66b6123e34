/** How a `GroupCommit` forms its batches. */
export interface GroupCommitOptions {
  /** Most items in one batch; 1 turns batching off (every item runs alone). */
  batchMax: number;
  /**
   * How many batches may run at once: one batch alone leaves the rest of the pool idle while it waits on
   * its round trips, so a few run side by side.
   */
  flushes: number;
  /**
   * The smallest share a queue is split into when several flushes are free: below it, another commit
   * costs more than the parallelism gains (a burst still spreads over every free flush). Default 8.
   */
  minShare?: number;
}

/** What a `GroupCommit` runs. */
export interface GroupCommitWork<I, R> {
  /** The items together, all or nothing (one transaction or one statement): one result per item, in order. */
  batch(items: I[]): Promise<R[]>;
  /** One item on its own: a batch of one, and each item of a batch that failed. */
  alone(item: I): Promise<R>;
  /** A batch failed; its items now run alone (who failed and why is told by those runs). */
  onBatchFailed?(error: unknown, items: I[]): void;
  /**
   * The item's identity, to remember items that failed alone: until one succeeds, its retries skip
   * batches, so a poison item fails on its own instead of rolling back every batch it joins.
   */
  keyOf?(item: I): string;
}

/** Items whose failure alone is remembered at most (the memory is cleared when full). */
const REMEMBERED_FAILURES = 1000;

/**
 * Group commit for independent units of database work that arrive concurrently (events a worker takes
 * together, requests in flight at once): what queues while the flushes are busy goes out as one batch —
 * one transaction or one multi-row statement instead of one per item — and each caller still gets its
 * own result, only after the batch committed. Nothing waits for a batch to fill: an item that arrives at
 * an idle committer goes out at the next turn of the event loop (not a timer), alone, so a quiet system
 * pays no latency and a busy one amortizes its commits. A batch that fails (one item's bad data, a
 * deadlock, a serialization error) runs again item by item, so only the failing item fails.
 *
 * The work must allow for that second run: a batch's effects must be undone by its failure (a rolled-back
 * transaction, a single statement), and anything it hands out must come from the run that counted.
 */
export class GroupCommit<I, R> {
  private readonly batchMax: number;
  private readonly flushes: number;
  private readonly minShare: number;
  private queue: { item: I; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly failedAlone = new Set<string>();

  constructor(
    private readonly work: GroupCommitWork<I, R>,
    options: GroupCommitOptions,
  ) {
    this.batchMax = Math.max(1, Math.floor(options.batchMax));
    this.flushes = Math.max(1, Math.floor(options.flushes));
    this.minShare = Math.max(1, options.minShare ?? 8);
  }

  /** Runs `item`, in a batch with the items that queue with it; resolves with its own result. */
  submit(item: I): Promise<R> {
    if (this.batchMax === 1) return this.work.alone(item);
    const key = this.work.keyOf?.(item);
    if (key !== undefined && this.failedAlone.has(key)) return this.runSolo(item);
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled && this.inFlight < this.flushes) {
        this.scheduled = true;
        // The next turn of the event loop, not a timer: calls started together (a relay pass, a worker's
        // jobs, requests read from several sockets) reach this point within the same turn and go out
        // together; a lone item waits for nothing.
        setImmediate(() => {
          this.scheduled = false;
          this.dispatch();
        });
      }
    });
  }

  /**
   * Starts batches while flushes are free, sharing what waits evenly between them (shares of at least
   * `minShare`): a lone item goes out alone, a burst spreads over the free flushes, and once every one
   * is busy, what queues behind them makes the next batches.
   */
  private dispatch(): void {
    while (this.queue.length && this.inFlight < this.flushes) {
      const share = Math.ceil(this.queue.length / (this.flushes - this.inFlight));
      const size = Math.min(this.batchMax, Math.max(this.minShare, share));
      const batch = this.queue.splice(0, size);
      this.inFlight++;
      const done = batch.length === 1 ? this.settleAlone(batch[0]) : this.runBatch(batch);
      void done.finally(() => {
        this.inFlight--;
        this.dispatch();
      });
    }
  }

  private async runBatch(batch: GroupCommit<I, R>['queue']): Promise<void> {
    let results: R[];
    try {
      results = await this.work.batch(batch.map((waiting) => waiting.item));
      if (results.length !== batch.length) {
        throw new Error(`a batch of ${batch.length} answered ${results.length} results`);
      }
    } catch (error) {
      try {
        this.work.onBatchFailed?.(
          error,
          batch.map((waiting) => waiting.item),
        );
      } catch {
        // A failing hook (a log line) must not leave the batch's callers waiting forever.
      }
      await Promise.all(batch.map((waiting) => this.settleAlone(waiting)));
      return;
    }
    batch.forEach((waiting, i) => waiting.resolve(results[i]));
  }

  private settleAlone(waiting: GroupCommit<I, R>['queue'][number]): Promise<void> {
    return this.runSolo(waiting.item).then(waiting.resolve, waiting.reject);
  }

  /** Alone, remembering whether the item failed so that its retries skip batches until it succeeds. */
  private async runSolo(item: I): Promise<R> {
    const key = this.work.keyOf?.(item);
    try {
      const result = await this.work.alone(item);
      if (key !== undefined) this.failedAlone.delete(key);
      return result;
    } catch (error) {
      if (key !== undefined) {
        if (this.failedAlone.size >= REMEMBERED_FAILURES) this.failedAlone.clear();
        this.failedAlone.add(key);
      }
      throw error;
    }
  }
}
