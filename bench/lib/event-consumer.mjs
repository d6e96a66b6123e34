// The remote subscriber of bench/events.mjs, in a process of its own (started by the runner through
// spawnNode, so with the orphan guard): a BullMQ Worker on the queue the producing relay enqueues into
// (`<prefix>:bull`, `ie.<subscriber>`), whose handler commits one inbox row per event, as Inbox.runOnce does
// (BEGIN; INSERT … ON CONFLICT DO NOTHING; COMMIT) into `public.bench_inbox` (created by the runner).
//
// Environment: DATABASE_URL, REDIS_URL, BULL_PREFIX, SUBSCRIBER, CONCURRENCY, POOL_SIZE.
// Stdout: `ready` once the worker runs; `done <eventId> <receivedAtMs> <doneAtMs> <1|0 inserted>` per handler
// call (wall clock, sub-millisecond); `pong <n> <nowMs>` for each `ping <n>` line on stdin (clock offset).
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const subscriber = env('SUBSCRIBER');
const wallNow = () => performance.timeOrigin + performance.now();
const write = (line) => process.stdout.write(`${line}\n`);

const pool = new pg.Pool({
  connectionString: env('DATABASE_URL'),
  max: Number(env('POOL_SIZE')),
  application_name: 'ficus-bench-consumer',
});
const connection = new Redis(env('REDIS_URL'), { maxRetriesPerRequest: null, connectionName: 'ficus-bench-consumer' });

const worker = new Worker(
  `ie.${subscriber}`,
  async (job) => {
    const receivedAt = wallNow();
    const client = await pool.connect();
    let inserted;
    try {
      await client.query('BEGIN');
      const res = await client.query(
        'INSERT INTO public.bench_inbox (event_id, consumer) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1',
        [job.data.id, subscriber],
      );
      await client.query('COMMIT');
      inserted = res.rowCount === 1;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    write(`done ${job.data.id} ${receivedAt.toFixed(3)} ${wallNow().toFixed(3)} ${inserted ? 1 : 0}`);
  },
  { connection, prefix: env('BULL_PREFIX'), concurrency: Number(env('CONCURRENCY')) },
);
worker.on('error', (error) => process.stderr.write(`worker error: ${error.message}\n`));
worker.on('failed', (job, error) => process.stderr.write(`job ${job?.id} failed: ${error.message}\n`));

createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, n] = line.split(' ');
  if (command === 'ping') write(`pong ${n} ${wallNow().toFixed(3)}`);
});

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  void (async () => {
    await worker.close().catch(() => undefined);
    connection.disconnect();
    await pool.end().catch(() => undefined);
    process.exit(0);
  })();
});

await worker.waitUntilReady();
write('ready');
