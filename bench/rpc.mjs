// `npx node bench/rpc.mjs`: what one request costs in Ficus's Redis request/response transport, alone.
//
// A host process (lib/rpc-host.mjs: `RedisRpcServer` with handlers that do no work) and this runner as the
// caller (`ContextClient` over `RedisRpcClient`, as the monolith calls an extracted context), against a
// redis-server of the bench's own (a free port, nothing on disk), so that Redis's CPU is the bench's alone.
// For a query and for a command with an idempotency key:
//
// - one call in flight at a time, RPC_BENCH_SEQUENTIAL (3000) calls: round-trip latency p50/p99, and CPU
//   per call (caller + host + Redis);
// - RPC_BENCH_CONCURRENCY (64) calls in flight for RPC_BENCH_DURATION_S (5) s after a 1 s warm-up:
//   calls/s, and CPU per call of the caller, the host and Redis (/proc and INFO cpu), summed.
//
// RPC_BENCH_ROUNDS (3) rounds, interleaved; the table shows each figure's median, and Redis's own time per
// command (INFO commandstats). RPC_BENCH_HOST_NODE_ARGS passes flags to the host (e.g. --cpu-prof). The sources are imported
// through libs/platform/test/ts-hooks.mjs (no build) from RPC_BENCH_ROOT (default: this repository): point
// it at another checkout to measure the code before a change with the same bench. Results also go to
// bench/results/rpc-latest.json. Not part of `npm run bench` (it measures the transport, not an HTTP route;
// `BENCH_ONLY=ficus-me-remote npm run bench` measures the extracted route end to end).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { BenchError, freePort, killAllChildrenNow, log, spawnNode } from './lib/proc.mjs';

const BENCH_QUERY = 'identity.get-bench-user.v1';
const BENCH_COMMAND = 'identity.touch-bench-user.v1';
const HOST_ENTRY = fileURLToPath(new URL('./lib/rpc-host.mjs', import.meta.url));
const RESULTS_FILE = fileURLToPath(new URL('./results/rpc-latest.json', import.meta.url));
const CLOCK_TICKS_PER_S = 100;

const settings = {
  sequentialCalls: positiveInt('RPC_BENCH_SEQUENTIAL', 3000),
  concurrency: positiveInt('RPC_BENCH_CONCURRENCY', 64),
  durationS: positiveInt('RPC_BENCH_DURATION_S', 5),
  rounds: positiveInt('RPC_BENCH_ROUNDS', 3),
};
const root = process.env.RPC_BENCH_ROOT ?? fileURLToPath(new URL('../', import.meta.url));
const source = (path) => pathToFileURL(join(root, path)).href;

function positiveInt(name, fallback) {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

const userId = '0190a8f2-0000-7000-8000-000000000001';
const meta = (i) => ({ correlationId: `bench-${i}`, actor: { userId, roles: ['customer'] } });
let sequence = 0;
const calls = {
  query: (client) => client.send(BENCH_QUERY, { userId }, meta(sequence++)),
  command: (client) => {
    const i = sequence++;
    return client.send(BENCH_COMMAND, { userId, idempotencyKey: `bench-${process.pid}-${i}` }, meta(i));
  },
};

async function startRedis() {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.on('exit', () => proc.kill('SIGKILL'));
  await new Promise((resolve, reject) => {
    let output = '';
    proc.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) resolve();
    });
    proc.once('exit', (code) => reject(new BenchError(`redis-server exited (${code})`, output)));
    setTimeout(() => reject(new BenchError('redis-server did not start within 10 s', output)), 10_000).unref();
  });
  return { proc, url: `redis://127.0.0.1:${port}` };
}

async function startHost(url, prefix) {
  const host = spawnNode({
    name: 'rpc-host',
    args: [HOST_ENTRY],
    // e.g. RPC_BENCH_HOST_NODE_ARGS="--cpu-prof --cpu-prof-dir=bench/results/profiles" to profile the host.
    nodeArgs: (process.env.RPC_BENCH_HOST_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
    env: { RPC_URL: url, RPC_PREFIX: prefix, RPC_BENCH_ROOT: root },
  });
  const ready = await host.waitForLine((line) => line === 'ready', 60_000);
  if (!ready) throw new BenchError('the RPC host did not start', host.tail());
  return host;
}

/** utime + stime of a process, in seconds. */
function processCpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}

/** CPU seconds redis-server has used (its main thread and the others), from INFO cpu. */
async function redisCpuSeconds(redis) {
  const info = await redis.info('cpu');
  const field = (name) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)[1]);
  return field('used_cpu_sys') + field('used_cpu_user');
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function sequential(client, call, hostPid, redis) {
  for (let i = 0; i < 300; i++) await call(client);
  const latencies = [];
  const meter = await cpuMeter(hostPid, redis);
  for (let i = 0; i < settings.sequentialCalls; i++) {
    const started = performance.now();
    await call(client);
    latencies.push((performance.now() - started) * 1000);
  }
  const cpu = await meter(settings.sequentialCalls);
  latencies.sort((a, b) => a - b);
  return {
    p50Us: Math.round(percentile(latencies, 50)),
    p99Us: Math.round(percentile(latencies, 99)),
    seqCallerUs: cpu.callerUs,
    seqHostUs: cpu.hostUs,
    seqRedisUs: cpu.redisUs,
    seqTotalUs: cpu.totalUs,
  };
}

/** Starts counting CPU of the caller (this process), the host and Redis; the result is per call. */
async function cpuMeter(hostPid, redis) {
  const start = { caller: process.cpuUsage(), host: processCpuSeconds(hostPid), redis: await redisCpuSeconds(redis) };
  return async (calls) => {
    const caller = process.cpuUsage(start.caller);
    const perCall = (cpuSeconds) => Math.round((cpuSeconds * 1e6) / calls);
    const cpu = {
      callerUs: perCall((caller.user + caller.system) / 1e6),
      hostUs: perCall(processCpuSeconds(hostPid) - start.host),
      redisUs: perCall((await redisCpuSeconds(redis)) - start.redis),
    };
    return { ...cpu, totalUs: cpu.callerUs + cpu.hostUs + cpu.redisUs };
  };
}

/** `concurrency` callers in a loop until `ms` have passed; resolves with the number of answered calls. */
async function load(client, call, ms) {
  const until = performance.now() + ms;
  let done = 0;
  const worker = async () => {
    while (performance.now() < until) {
      await call(client);
      done++;
    }
  };
  await Promise.all(Array.from({ length: settings.concurrency }, worker));
  return done;
}

async function concurrent(client, call, hostPid, redis) {
  await load(client, call, 1000);
  const started = performance.now();
  const meter = await cpuMeter(hostPid, redis);
  const done = await load(client, call, settings.durationS * 1000);
  const seconds = (performance.now() - started) / 1000;
  return { callsPerS: Math.round(done / seconds), ...(await meter(done)) };
}

async function main() {
  log(`RPC transport bench: sources from ${root}`);
  log(
    `${settings.rounds} rounds; ${settings.sequentialCalls} sequential calls, then ${settings.concurrency} in flight for ${settings.durationS} s`,
  );
  const redisServer = await startRedis();
  const prefix = `ficus-bench-rpc-${process.pid}`;
  const host = await startHost(redisServer.url, prefix);
  await import(source('libs/platform/test/ts-hooks.mjs'));
  const { ContextClient } = await import(source('libs/platform/src/messaging/context-client.ts'));
  const { RedisRpcClient } = await import(source('libs/platform/src/messaging/redis/redis-rpc.client.ts'));
  const client = new ContextClient('identity', new RedisRpcClient({ url: redisServer.url, keyPrefix: prefix }), 5000);
  const redis = new Redis(redisServer.url);
  const rounds = [];
  try {
    // JIT and connection warm-up, not counted: the first kind measured would otherwise pay for it.
    for (const call of Object.values(calls)) await load(client, call, 2000);
    for (let round = 1; round <= settings.rounds; round++) {
      const result = {};
      for (const [kind, call] of Object.entries(calls)) {
        result[kind] = {
          ...(await sequential(client, call, host.pid, redis)),
          ...(await concurrent(client, call, host.pid, redis)),
        };
        const r = result[kind];
        log(
          `round ${round} ${kind}: p50 ${r.p50Us} µs, p99 ${r.p99Us} µs, CPU/call caller ${r.seqCallerUs} + ` +
            `host ${r.seqHostUs} + redis ${r.seqRedisUs} = ${r.seqTotalUs} µs; ` +
            `${r.callsPerS} calls/s, CPU/call ` +
            `caller ${r.callerUs} + host ${r.hostUs} + redis ${r.redisUs} = ${r.totalUs} µs`,
        );
      }
      rounds.push(result);
    }
    const stats = await redis.info('commandstats');
    log(
      `Redis commands (usec per call): ${[
        ...stats.matchAll(/cmdstat_(\w+):calls=(\d+),usec=\d+,usec_per_call=([\d.]+)/g),
      ]
        .filter(([, , calls]) => Number(calls) > 1000)
        .map(([, name, calls, usec]) => `${name} ${usec} (${calls} calls)`)
        .join(', ')}`,
    );
  } finally {
    await client.close();
    await redis.quit();
    await host.stop(5000);
    redisServer.proc.kill('SIGKILL');
  }
  const summary = {};
  for (const kind of Object.keys(calls)) {
    summary[kind] = Object.fromEntries(
      Object.keys(rounds[0][kind]).map((metric) => [metric, median(rounds.map((r) => r[kind][metric]))]),
    );
  }
  log('medians over the rounds:');
  for (const [kind, s] of Object.entries(summary)) {
    const label = kind === 'query' ? 'query' : 'command with idempotency key';
    log(
      `  ${label}: 1 in flight p50 ${s.p50Us} µs / p99 ${s.p99Us} µs, CPU ${s.seqTotalUs} µs/call ` +
        `(caller ${s.seqCallerUs}, host ${s.seqHostUs}, redis ${s.seqRedisUs}); ` +
        `${settings.concurrency} in flight ` +
        `${s.callsPerS} calls/s, CPU ${s.totalUs} µs/call (caller ${s.callerUs}, host ${s.hostUs}, redis ${s.redisUs})`,
    );
  }
  await mkdir(join(RESULTS_FILE, '..'), { recursive: true });
  await writeFile(
    RESULTS_FILE,
    `${JSON.stringify({ at: new Date().toISOString(), root, settings, summary, rounds }, null, 2)}\n`,
  );
}

try {
  await main();
} catch (error) {
  process.stderr.write(`[bench] ERROR: ${error.message}\n${error.details ?? ''}\n`);
  process.exitCode = 1;
} finally {
  killAllChildrenNow();
}
process.exit();
