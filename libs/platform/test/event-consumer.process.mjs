/**
 * The `notifications` consumer of outbox-harness.ts in a process of its own, so
 * queued-events.process.int-spec.ts can SIGKILL it mid-run: the same harness module (effects table,
 * inbox, `@EventPattern` handler, Nest app), loaded through ts-hooks.mjs, hosting only the consumer side.
 * Its `ie.notifications` worker takes the events the producer (the jest process) enqueues.
 *
 * Environment: DATABASE_URL, REDIS_URL, REDIS_KEY_PREFIX (must match the producer's), CONSUMER_LABEL,
 * POISON_FIXED_FILE (the handler throws for payload tags starting with `poison` until this file exists),
 * and any other Ficus setting (DATABASE_POOL_SIZE, EVENT_WORKER_CONCURRENCY, ...).
 *
 * Stdout: `ready` once the worker runs; `poison-call <eventId> <epoch ms>` per handler call of a poison
 * event. IPC: answers `'stats'` with `{ calls, effects }` (handler calls / effects committed by this process;
 * the difference are duplicates the inbox absorbed, or poison attempts). Exits when the parent goes away.
 */
import './ts-hooks.mjs';

import { existsSync } from 'node:fs';

// Never outlive the test process, however it ends.
process.on('disconnect', () => process.exit(0));

await import('reflect-metadata');
const { EventQueues } = await import('@ficus/platform');
const { Probe, startOutboxApp } = await import('./outbox-harness.ts');

const label = process.env.CONSUMER_LABEL ?? 'child';
const fixedFile = process.env.POISON_FIXED_FILE;
const probe = new Probe();
let effects = 0;
probe.behaviour = (event) => {
  if (event.payload.tag.startsWith('poison')) {
    process.stdout.write(`poison-call ${event.id} ${Date.now()}\n`);
    if (!fixedFile || !existsSync(fixedFile)) throw new Error('cannot digest');
  }
  effects++;
};

// startOutboxApp points the config at a test environment; everything it must share with the producer is
// passed through as overrides.
const shared = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => /^(REDIS_|OUTBOX_|EVENT_|DATABASE_)/.test(key) && key !== 'DATABASE_URL',
  ),
);
const app = await startOutboxApp(process.env.DATABASE_URL, probe, label, shared, 'consumer');

// The worker starts when the in-process transport listens; `ready` only once it is connected and running.
const workers = app.app.get(EventQueues).workers;
if (workers.length !== 1) throw new Error(`expected one event worker, found ${workers.length}`);
await Promise.all(workers.map((w) => w.waitUntilReady()));
if (!workers.every((w) => w.isRunning())) throw new Error('event worker is not running');

process.on('message', (message) => {
  if (message === 'stats') {
    let calls = 0;
    for (const n of probe.calls.values()) calls += n;
    process.send?.({ calls, effects });
  }
});
process.once('SIGTERM', () => void app.close().finally(() => process.exit(0)));
process.stdout.write('ready\n');
