import type { DataSource, EntityManager } from 'typeorm';
import type { ContextName, IntegrationEvent } from '@ficus/contracts';

/**
 * Makes a consumer's effect happen once per event although delivery is at least once: the inbox row and
 * the effect commit together, and a duplicate finds the row and does nothing. Two copies racing block on
 * the primary key until the first commits, then the second skips.
 */
export class Inbox {
  constructor(
    readonly consumer: ContextName,
    private readonly dataSource: DataSource,
  ) {}

  /** Runs `effect` in a transaction unless this event was already handled; returns whether it ran. */
  async runOnce(
    event: Pick<IntegrationEvent, 'id'>,
    effect: (manager: EntityManager) => Promise<void>,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO "${this.consumer}".inbox (event_id, consumer) VALUES ($1, $2)
         ON CONFLICT DO NOTHING RETURNING 1`,
        [event.id, this.consumer],
      );
      if (inserted.length === 0) return false;
      await effect(manager);
      return true;
    });
  }
}
