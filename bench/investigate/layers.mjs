// Where Ficus's time goes on GET /health/live: a Nest+Fastify hello with Ficus's HTTP layers added one at
// a time (bench/investigate/layers-server.mjs), then Ficus itself, each loaded the same way as in
// `npm run bench`. Reports req/s and, less noise-sensitive, the server's CPU time per request.
//
//   npx node bench/investigate/layers.mjs            (Node 24 through npx; `npm run build` first for Ficus)
//   LAYERS_STEPS="helmet;helmet,cors" LAYERS_ROUNDS=3 LAYERS_DURATION_S=5 LAYERS_FICUS=0 npx node …
//
// Steps are cumulative by default; rounds are interleaved and the median per step is reported. Deltas of a
// few µs/req are within noise unless the machine is otherwise idle (see the "other cores" column).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deleteRedisKeys, dropDatabase } from '../lib/cleanup.mjs';
import { runLoad } from '../lib/load.mjs';
import { cpuMeter, freePort, killAllChildrenNow, log, readMemory, spawnNode, waitForHttp200 } from '../lib/proc.mjs';
import { startFicus } from '../lib/servers.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = fileURLToPath(new URL('./layers-server.mjs', import.meta.url));
const durationS = Number(process.env.LAYERS_DURATION_S ?? 5);
const warmupS = Number(process.env.LAYERS_WARMUP_S ?? 2);
const rounds = Number(process.env.LAYERS_ROUNDS ?? 2);
const withFicus = process.env.LAYERS_FICUS !== '0';
const cumulative = ['hooks', 'pino', 'versioning', 'helmet', 'cors', 'guards', 'pipe', 'docs'];
const steps = process.env.LAYERS_STEPS
  ? process.env.LAYERS_STEPS.split(';').map((s) => s.trim())
  : ['', ...cumulative.map((_, i) => cumulative.slice(0, i + 1).join(','))];

const runId = `layers_${Date.now()}_${process.pid}`;
const ctx = {
  runId,
  databaseUrl: `${(process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '')}/ficus_bench_${runId}`,
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  redisPrefix: `ficus-bench-${runId}`,
  jwtKeyFile: null,
};
process.on('exit', killAllChildrenNow);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => finish(130));

async function startLayers(layerList) {
  const port = await freePort();
  const handle = spawnNode({
    name: `layers[${layerList || 'none'}]`,
    args: [ENTRY],
    env: { PORT: String(port), HOST: '127.0.0.1', LAYERS: layerList },
    cwd: ROOT,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttp200(handle, `${baseUrl}/health/live`, { timeoutMs: 30_000 });
  return { ...handle, baseUrl };
}

async function measure(server) {
  const url = `${server.baseUrl}/health/live`;
  await runLoad({ url, durationS: warmupS });
  const meter = cpuMeter(server.pid);
  const load = await runLoad({ url, durationS: durationS });
  const cpu = meter();
  if (load.status.non2xx || load.errors || load.timeouts) throw new Error(`${server.name}: non-2xx/errors under load`);
  return {
    reqPerSec: load.reqPerSec,
    p99: load.latencyMs.p99,
    usPerReq: (cpu.serverCpuSeconds * 1e6) / load.totalRequests,
    otherCores: cpu.otherCores,
    rssMiB: readMemory(server.pid).rssMiB,
  };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

let finished = false;
async function finish(code) {
  if (finished) return;
  finished = true;
  killAllChildrenNow();
  if (withFicus) {
    await dropDatabase(ctx.databaseUrl).catch((e) => log(`could not drop ${ctx.databaseUrl}: ${e.message}`));
    await deleteRedisKeys(ctx.redisUrl, ctx.redisPrefix).catch(() => undefined);
  }
  if (ctx.tmpDir) await rm(ctx.tmpDir, { recursive: true, force: true });
  process.exit(code);
}

const names = [
  ...steps.map((s) => (s ? `+ ${s.split(',').at(-1)}` : 'Nest+Fastify hello')),
  ...(withFicus ? ['Ficus monolith'] : []),
];
if (!process.env.LAYERS_STEPS)
  names.splice(0, steps.length, ...steps.map((s, i) => (i === 0 ? 'Nest+Fastify hello' : `+ ${cumulative[i - 1]}`)));
else names.splice(0, steps.length, ...steps.map((s) => `[${s || 'none'}]`));
const samples = names.map(() => []);

try {
  if (withFicus) {
    ctx.tmpDir = await mkdtemp(join(os.tmpdir(), 'ficus-layers-'));
    ctx.jwtKeyFile = join(ctx.tmpDir, 'jwt.json');
  }
  for (let round = 1; round <= rounds; round++) {
    for (const [i, step] of steps.entries()) {
      log(`round ${round}/${rounds}: ${names[i]}…`);
      const server = await startLayers(step);
      samples[i].push(await measure(server));
      await server.stop();
    }
    if (withFicus) {
      log(`round ${round}/${rounds}: Ficus monolith…`);
      const server = await startFicus(ctx);
      samples[steps.length].push(await measure(server));
      await server.stop();
    }
  }
  const rows = names.map((name, i) => ({
    name,
    reqPerSec: median(samples[i].map((s) => s.reqPerSec)),
    usPerReq: median(samples[i].map((s) => s.usPerReq)),
    p99: median(samples[i].map((s) => s.p99)),
    rssMiB: median(samples[i].map((s) => s.rssMiB)),
    otherCores: median(samples[i].map((s) => s.otherCores)),
  }));
  const width = Math.max(...names.map((n) => n.length));
  process.stdout.write(`\nGET /health/live, ${durationS} s per step, median of ${rounds} round(s)\n`);
  process.stdout.write(
    `${'step'.padEnd(width)}  ${'req/s'.padStart(7)}  ${'srv µs/req'.padStart(10)}  ${'Δ µs/req'.padStart(8)}  ${'p99 ms'.padStart(6)}  ${'RSS MiB'.padStart(7)}  other cores\n`,
  );
  rows.forEach((row, i) => {
    const delta = i === 0 ? '' : (row.usPerReq - rows[i - 1].usPerReq).toFixed(1);
    process.stdout.write(
      `${row.name.padEnd(width)}  ${Math.round(row.reqPerSec).toString().padStart(7)}  ${row.usPerReq.toFixed(1).padStart(10)}  ${delta.padStart(8)}  ${String(row.p99).padStart(6)}  ${row.rssMiB.toFixed(0).padStart(7)}  ${row.otherCores}\n`,
    );
  });
  await finish(0);
} catch (error) {
  log(`failed: ${error.stack ?? error}`);
  await finish(1);
}
