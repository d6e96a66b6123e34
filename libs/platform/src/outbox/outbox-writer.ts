import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import {
  type CallMeta,
  type ContextName,
  EVENT_SUBSCRIPTIONS,
  type EventDefinition,
  type SubscriptionRegistry,
} from '@ficus/contracts';

/** Postgres channel the relay listens on; the payload names the schema that has new rows. */
export const OUTBOX_CHANNEL = 'ficus_outbox';

export interface PendingEvent<P> {
  definition: EventDefinition<P>;
  aggregateId: string;
  payload: P;
}

/** Outbox rows as one data-modifying CTE, to splice into a statement that writes the state they announce. */
export interface OutboxCte {
  /** `outbox_rows AS (INSERT … RETURNING pg_notify(…))`, without a leading `WITH` or comma. */
  sql: string;
  /** Its parameters, numbered from the `firstParam` it was built with. */
  params: unknown[];
  /** The events' ids, in order. */
  ids: string[];
}

/**
 * Writes integration events into the context's outbox inside the caller's transaction. `NOTIFY` is
 * transactional in Postgres: the relay is woken only if the transaction commits, and an event written in a
 * rolled-back transaction never existed. Events the registry lists without any subscriber wake nobody:
 * the relay's poll marks them fanned out in bulk (a NOTIFY per such event made the relay run a
 * transaction per event for nothing).
 */
export class OutboxWriter {
  constructor(
    readonly context: ContextName,
    private readonly subscriptions: SubscriptionRegistry = EVENT_SUBSCRIPTIONS,
  ) {}

  async append<P>(manager: EntityManager, meta: Pick<CallMeta, 'correlationId'>, ...events: PendingEvent<P>[]) {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter.append must run inside a transaction with the state change it announces');
    }
    if (events.length === 0) return [];
    const cte = this.cte(meta, events, { firstParam: 1 });
    // One round trip for the rows and the wake-up: a data-modifying CTE runs whether or not it is read.
    await manager.query(`WITH ${cte.sql} SELECT 1`, cte.params);
    return cte.ids;
  }

  /**
   * The rows of `events` as a CTE named `outbox_rows`, for a single statement that also makes the state
   * change they announce (a statement is atomic by itself: no transaction needed). With `onlyIfRowsIn`,
   * the events are written only if that CTE of the statement returned rows (e.g. the insert it announces
   * did not hit a conflict).
   */
  cte<P>(
    meta: Pick<CallMeta, 'correlationId'>,
    events: PendingEvent<P>[],
    options: { firstParam: number; onlyIfRowsIn?: string },
  ): OutboxCte {
    return this.announcementsCte([{ correlationId: meta.correlationId, events }], options);
  }

  /**
   * The same for the events of several state changes at once (a batch of orders saved in one statement),
   * each with the correlation id of the call that caused it. With `onlyForIdsIn`, an event is written only
   * if its aggregate's id is among the `id`s that CTE of the statement returned (per-row `onlyIfRowsIn`:
   * e.g. the orders of a batch that were inserted, not the ones that hit a conflict).
   */
  announcementsCte<P>(
    announcements: { correlationId: string; events: PendingEvent<P>[] }[],
    options: { firstParam: number; onlyIfRowsIn?: string; onlyForIdsIn?: string },
  ): OutboxCte {
    const events = announcements.flatMap((a) => a.events);
    for (const event of events) {
      if (event.definition.source !== this.context) {
        throw new Error(`${this.context} may not publish ${event.definition.name}`);
      }
    }
    const ids = events.map(() => uuidv7());
    const p = (i: number) => `$${options.firstParam + i}`;
    // NOTIFY is deduplicated per transaction (same channel and payload): one wake-up however many rows.
    const wake = events.some((e) => (this.subscriptions[e.definition.name]?.length ?? 1) > 0);
    const sql = `outbox_rows AS (
      INSERT INTO "${this.context}".outbox (id, name, aggregate_id, correlation_id, payload, occurred_at)
      SELECT e.id, e.name, e.aggregate_id, e.correlation_id, e.payload::jsonb, clock_timestamp()
      FROM unnest(${p(0)}::uuid[], ${p(1)}::text[], ${p(2)}::text[], ${p(3)}::text[], ${p(4)}::text[])
        WITH ORDINALITY AS e (id, name, aggregate_id, correlation_id, payload, n)
      WHERE ${options.onlyIfRowsIn ? `EXISTS (SELECT 1 FROM ${options.onlyIfRowsIn})` : 'true'}
        AND ${options.onlyForIdsIn ? `e.aggregate_id IN (SELECT id::text FROM ${options.onlyForIdsIn})` : 'true'}
      ORDER BY e.n
      RETURNING ${wake ? `pg_notify(${p(5)}, ${p(6)})` : `${p(5)}::text, ${p(6)}::text`}
    )`;
    const params = [
      ids,
      events.map((e) => e.definition.name),
      events.map((e) => e.aggregateId),
      announcements.flatMap((a) => a.events.map(() => a.correlationId)),
      events.map((e) => JSON.stringify(e.payload)),
      OUTBOX_CHANNEL,
      this.context,
    ];
    return { sql, params, ids };
  }
}
