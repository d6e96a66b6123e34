export * from './outbox-writer.js';
export * from './inbox.js';
export * from './outbox-relay.js';
export * from './messaging-tables.migration.js';
export { listParked, replayParked, backlog } from './outbox.sql.js';
export * from './outbox-registry.js';
export * from './event-queues.js';
export * from './event-delivery.module.js';
