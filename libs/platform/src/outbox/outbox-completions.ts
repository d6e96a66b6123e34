import type { DataSource } from 'typeorm';
import { outboxDeliveries } from '../metrics/metrics.js';
import * as sql from './outbox.sql.js';

/**
 * Completed queue jobs (`<eventId>.<subscriber>`, see `eventJobId`) → delivered, in one UPDATE. Every
 * relay of every replica hears every completion of the queues it hands events to: ids of other contexts'
 * events match no row of this schema, and another replica's UPDATE finds the rows delivered already, so
 * the metric counts the rows this UPDATE changed.
 */
export async function recordCompletedJobs(dataSource: DataSource, schema: string, jobIds: string[]): Promise<void> {
  const events: string[] = [];
  const subscribers: string[] = [];
  for (const jobId of jobIds) {
    const dot = jobId.indexOf('.'); // event ids are UUIDs: the first dot ends them
    if (dot > 0) {
      events.push(jobId.slice(0, dot));
      subscribers.push(jobId.slice(dot + 1));
    }
  }
  if (!events.length) return;
  const rows: { subscriber: string; n: number }[] = await dataSource.query(sql.markManyDelivered(schema), [
    events,
    subscribers,
  ]);
  for (const { subscriber, n } of rows) outboxDeliveries.inc({ context: schema, subscriber, outcome: 'delivered' }, n);
}
