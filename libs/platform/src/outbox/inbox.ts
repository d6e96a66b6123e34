import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { ContextName, IntegrationEvent } from '@ficus/contracts';
import { GroupCommit } from '../database/group-commit.js';

type Effect = (manager: EntityManager) => Promise<void>;

interface Arrival {
  id: string;
  effect: Effect;
}

export interface InboxOptions {
  /**
   * Most events one shared transaction takes in (INBOX_BATCH_MAX); 1 turns group commit off, every event
   * then has a transaction of its own.
   */
  batchMax: number;
  /**
   * How many of its transactions may run at once (INBOX_FLUSHES): effects run one after the other inside a
   * batch, so one transaction alone leaves the rest of the pool idle while it waits on each round trip.
   */
  flushes: number;
}

/**
 * Makes a consumer's effect happen once per event although delivery is at least once: the inbox row and
 * the effect commit together, and a duplicate finds the row and does nothing. Two copies racing block on
 * the primary key until the first commits, then the second skips.
 *
 * **Group commit** (`GroupCommit`). Concurrent `runOnce` calls of one consumer in this process share a
 * transaction: one multi-row INSERT of their inbox rows, the effects of the new events one after the other
 * on the same connection, one COMMIT — N events cost one commit and one connection instead of N. Up to
 * `flushes` such transactions run at once; a batch is what queued while they were busy (at most
 * `batchMax`). Nothing waits for a batch to fill: an idle consumer's event starts at the next turn of the
 * event loop, alone, as before. Each caller still learns whether its own effect ran, and only after the
 * shared COMMIT (so after-commit work — cache eviction, queueing jobs — follows the commit, as it did).
 * When anything in a batch fails (an effect throws, a deadlock with another replica's batch, a
 * serialization error), the whole batch rolls back and its events run again one by one, each in its own
 * transaction: only the failing event fails, the others commit.
 *
 * What an effect must allow for: it may run, be rolled back and run again (alone); anything it hands out
 * of the transaction must be set afresh on each run and used only when `runOnce` answered `true`. It must
 * not wait for another `runOnce` of the same inbox (that call would queue behind the batch running it). And
 * it holds its row locks until the batch commits, so an effect that locks rows and waits on something outside
 * the database does not belong here (ordering's saga takes its events in with its own statement for that
 * reason, see `OrderRepository.takeInAndLock`).
 */
export class Inbox {
  private readonly logger = new Logger('Inbox');
  private readonly group: GroupCommit<Arrival, boolean>;

  constructor(
    readonly consumer: ContextName,
    private readonly dataSource: DataSource,
    options: Partial<InboxOptions> = {},
  ) {
    this.group = new GroupCommit<Arrival, boolean>(
      {
        batch: (arrivals) => this.dataSource.transaction((manager) => this.takeIn(manager, arrivals)),
        alone: ({ id, effect }) => this.runAlone(id, effect),
        keyOf: (arrival) => arrival.id,
        onBatchFailed: (error, arrivals) =>
          this.logger.warn(
            {
              event: 'inbox.batch-rolled-back',
              consumer: this.consumer,
              events: arrivals.length,
              err: (error as Error).message,
            },
            'inbox batch rolled back; its events run one by one',
          ),
      },
      { batchMax: options.batchMax ?? 1, flushes: options.flushes ?? 1 },
    );
  }

  /**
   * Runs `effect` in a transaction unless this event was already handled; returns whether it ran (false
   * for a duplicate, also for a second copy of the event in the same batch).
   */
  runOnce(event: Pick<IntegrationEvent, 'id'>, effect: Effect): Promise<boolean> {
    return this.group.submit({ id: event.id, effect });
  }

  /** The batch's inbox rows in one statement, then each new event's effect, in arrival order. */
  private async takeIn(manager: EntityManager, batch: Arrival[]): Promise<boolean[]> {
    // Sorted, so two replicas' batches that share events take their row locks in the same order.
    const ids = [...new Set(batch.map((w) => w.id.toLowerCase()))].sort();
    const rows: { event_id: string }[] = await manager.query(
      `INSERT INTO "${this.consumer}".inbox (event_id, consumer)
       SELECT id, $2 FROM unnest($1::uuid[]) AS t(id) ORDER BY id
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [ids, this.consumer],
    );
    const taken = new Set(rows.map((r) => r.event_id));
    const ran: boolean[] = [];
    for (const arrival of batch) {
      // The first copy of an id takes it in; a second copy in the same batch is a duplicate.
      const mine = taken.delete(arrival.id.toLowerCase());
      // A manager of its own over the shared connection: what one effect records against its manager
      // (cache changes to evict after commit) stays its own.
      if (mine) await arrival.effect(manager.connection.createEntityManager(manager.queryRunner!));
      ran.push(mine);
    }
    return ran;
  }

  /** One event, one transaction. */
  private runAlone(id: string, effect: Effect): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO "${this.consumer}".inbox (event_id, consumer) VALUES ($1, $2)
         ON CONFLICT DO NOTHING RETURNING 1`,
        [id, this.consumer],
      );
      if (inserted.length === 0) return false;
      await effect(manager);
      return true;
    });
  }
}
