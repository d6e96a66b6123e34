import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { CallMeta, ContextName, EventDefinition } from '@ficus/contracts';

/** Postgres channel the relay listens on; the payload names the schema that has new rows. */
export const OUTBOX_CHANNEL = 'ficus_outbox';

export interface PendingEvent<P> {
  definition: EventDefinition<P>;
  aggregateId: string;
  payload: P;
}

/**
 * Writes integration events into the context's outbox inside the caller's transaction. `NOTIFY` is
 * transactional in Postgres: the relay is woken only if the transaction commits, and an event written in a
 * rolled-back transaction never existed.
 */
export class OutboxWriter {
  constructor(readonly context: ContextName) {}

  async append<P>(manager: EntityManager, meta: Pick<CallMeta, 'correlationId'>, ...events: PendingEvent<P>[]) {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter.append must run inside a transaction with the state change it announces');
    }
    for (const event of events) {
      if (event.definition.source !== this.context) {
        throw new Error(`${this.context} may not publish ${event.definition.name}`);
      }
    }
    if (events.length === 0) return [];
    const ids = events.map(() => uuidv7());
    // One round trip for the rows and the wake-up: a data-modifying CTE runs whether or not it is read.
    await manager.query(
      `WITH ins AS (
         INSERT INTO "${this.context}".outbox (id, name, aggregate_id, correlation_id, payload, occurred_at)
         SELECT e.id, e.name, e.aggregate_id, $4, e.payload::jsonb, clock_timestamp()
         FROM unnest($1::uuid[], $2::text[], $3::text[], $5::text[]) WITH ORDINALITY
           AS e (id, name, aggregate_id, payload, n)
         ORDER BY e.n
       )
       SELECT pg_notify($6, $7)`,
      [
        ids,
        events.map((e) => e.definition.name),
        events.map((e) => e.aggregateId),
        meta.correlationId,
        events.map((e) => JSON.stringify(e.payload)),
        OUTBOX_CHANNEL,
        this.context,
      ],
    );
    return ids;
  }
}
