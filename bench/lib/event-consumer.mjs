// The remote subscriber of bench/events.mjs, in a process of its own (started by the runner through
// spawnNode, so with the orphan guard), built from the platform's own code in dist/ (`npm run bench`
// builds first): `EventQueues.startWorker` — the BullMQ Worker, options and error handling every consuming
// host runs (`EventDeliveryModule`) — on the queue the producing relay enqueues into (`<prefix>:bull`,
// `ie.<subscriber>`), and a handler that takes each event in through `Inbox.runOnce` on the consumer's
// `<subscriber>.inbox` table, with group commit as configured (INBOX_BATCH_MAX, the app's default 100; 1 = one
// transaction per event, the code before group commit). What a consuming host adds and this does not: Nest's
// @EventPattern dispatch (InProcessServer.deliver) and a real effect (here the inbox row is the effect).
//
// Environment: DATABASE_URL, REDIS_URL, BULL_PREFIX, SUBSCRIBER, CONCURRENCY, POOL_SIZE, INBOX_BATCH_MAX,
// INBOX_FLUSHES.
// Stdout: `ready` once the worker runs; `done <eventId> <receivedAtMs> <doneAtMs> <1|0 inserted>` per handler
// call (wall clock, sub-millisecond; done = runOnce resolved, i.e. after the commit); `pong <n> <nowMs>` for
// each `ping <n>` line on stdin (clock offset).
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers';
import { DataSource } from 'typeorm';
import { EventQueues } from '../../dist/libs/platform/src/outbox/event-queues.js';
import { Inbox } from '../../dist/libs/platform/src/outbox/inbox.js';
import { messagingTablesMigration } from '../../dist/libs/platform/src/outbox/messaging-tables.migration.js';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const subscriber = env('SUBSCRIBER');
const wallNow = () => performance.timeOrigin + performance.now();
const write = (line) => process.stdout.write(`${line}\n`);
// `done` lines are written once per turn of the event loop, not one write(2) each: a pipe write per event
// cost the consumer ~20 µs of CPU per event, the bench's overhead rather than the platform's. The times in
// them are taken when each event is done, so the delay does not change any figure.
const doneLines = [];
const reportDone = (line) => {
  if (doneLines.push(line) === 1) setImmediate(() => write(doneLines.splice(0).join('\n')));
};

// As ContextDataModule configures a context's DataSource (its pool size, no entities needed here).
const dataSource = await new DataSource({
  type: 'postgres',
  url: env('DATABASE_URL'),
  poolSize: Number(env('POOL_SIZE')),
  extra: { application_name: 'ficus-bench-consumer' },
}).initialize();
// The consumer's messaging tables, from the migration every context runs first.
await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${subscriber}"`);
const runner = dataSource.createQueryRunner();
await new (messagingTablesMigration(subscriber))().up(runner);
await runner.release();

const inbox = new Inbox(subscriber, dataSource, {
  batchMax: Number(env('INBOX_BATCH_MAX')),
  flushes: Number(env('INBOX_FLUSHES')),
});
const queues = new EventQueues({
  redisUrl: env('REDIS_URL'),
  prefix: env('BULL_PREFIX'),
  maxAttempts: 10,
  backoffBaseMs: 1000,
  workerConcurrency: Number(env('CONCURRENCY')),
  leaseMs: 30_000,
});
const worker = queues.startWorker(subscriber, async (event) => {
  const receivedAt = wallNow();
  const inserted = await inbox.runOnce(event, async () => undefined);
  reportDone(`done ${event.id} ${receivedAt.toFixed(3)} ${wallNow().toFixed(3)} ${inserted ? 1 : 0}`);
});

createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, n] = line.split(' ');
  if (command === 'ping') write(`pong ${n} ${wallNow().toFixed(3)}`);
});

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  void (async () => {
    await queues.close().catch(() => undefined);
    await dataSource.destroy().catch(() => undefined);
    process.exit(0);
  })();
});

await worker.waitUntilReady();
write('ready');
