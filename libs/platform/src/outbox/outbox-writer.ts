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
    const ids: string[] = [];
    for (const event of events) {
      if (event.definition.source !== this.context) {
        throw new Error(`${this.context} may not publish ${event.definition.name}`);
      }
      const id = uuidv7();
      ids.push(id);
      await manager.query(
        `INSERT INTO "${this.context}".outbox (id, name, aggregate_id, correlation_id, payload, occurred_at)
         VALUES ($1, $2, $3, $4, $5, clock_timestamp())`,
        [id, event.definition.name, event.aggregateId, meta.correlationId, JSON.stringify(event.payload)],
      );
    }
    await manager.query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, this.context]);
    return ids;
  }
}
