// CPU-profiles Ficus under the same load as `npm run bench` and splits the server's time into layers.
//
//   npx node bench/investigate/profile.mjs                       (`npm run build` first)
//   PROFILE_SCENARIOS=ficus-me PROFILE_DURATION_S=8 npx node bench/investigate/profile.mjs
//
// Scenarios are the ids in bench/scenarios.mjs whose server is `ficus`. Profiles are written to
// bench/results/profiles/<scenario>.cpuprofile (open them in Chrome DevTools or speedscope). Profiling
// itself slows the server down a little; compare µs/req with `npm run bench`, not req/s.
import { mkdir, mkdtemp, rename, rm, readFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deleteRedisKeys, dropDatabase } from '../lib/cleanup.mjs';
import { LOAD_DEFAULTS, runLoad } from '../lib/load.mjs';
import { cpuMeter, killAllChildrenNow, log, readMemory, request } from '../lib/proc.mjs';
import { startFicus } from '../lib/servers.mjs';
import { scenarios } from '../scenarios.mjs';
import { attribute, formatAttribution } from './attribute.mjs';

const PRELOAD = fileURLToPath(new URL('./profiler-preload.mjs', import.meta.url));
const OUT_DIR = fileURLToPath(new URL('../results/profiles/', import.meta.url));
const durationS = Number(process.env.PROFILE_DURATION_S ?? 8);
const warmupS = Number(process.env.PROFILE_WARMUP_S ?? 2);
const wanted = (
  process.env.PROFILE_SCENARIOS ??
  scenarios
    .filter((s) => s.server === 'ficus')
    .map((s) => s.id)
    .join(',')
)
  .split(',')
  .map((s) => s.trim());
const selected = scenarios.filter((s) => wanted.includes(s.id) && s.server === 'ficus');
if (!selected.length) {
  process.stderr.write(`no Ficus scenario among "${wanted.join(',')}"\n`);
  process.exit(1);
}

const runId = `profile_${Date.now()}_${process.pid}`;
const ctx = {
  runId,
  databaseUrl: `${(process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '')}/ficus_bench_${runId}`,
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  redisPrefix: `ficus-bench-${runId}`,
};
let done = false;
async function finish(code) {
  if (done) return;
  done = true;
  killAllChildrenNow();
  await dropDatabase(ctx.databaseUrl).catch((e) => log(`could not drop ${ctx.databaseUrl}: ${e.message}`));
  await deleteRedisKeys(ctx.redisUrl, ctx.redisPrefix).catch(() => undefined);
  if (ctx.tmpDir) await rm(ctx.tmpDir, { recursive: true, force: true });
  process.exit(code);
}
process.on('exit', killAllChildrenNow);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => finish(130));

try {
  await mkdir(OUT_DIR, { recursive: true });
  ctx.tmpDir = await mkdtemp(join(os.tmpdir(), 'ficus-profile-'));
  ctx.jwtKeyFile = join(ctx.tmpDir, 'jwt.json');
  log('starting Ficus with the profiler preload…');
  const server = await startFicus(ctx, { nodeArgs: ['--import', PRELOAD], env: { PROFILE_DIR: ctx.tmpDir } });
  for (const scenario of selected) {
    const extra = scenario.setup ? await scenario.setup(server, ctx) : {};
    const headers = { ...scenario.request.headers, ...extra.headers };
    const url = `${server.baseUrl}${scenario.request.path}`;
    const probe = await request(url, { method: scenario.request.method, headers });
    if (probe.status !== (scenario.expectStatus ?? 200)) throw new Error(`${scenario.id}: answered ${probe.status}`);
    const options = { url, method: scenario.request.method, headers, connections: LOAD_DEFAULTS.connections };
    log(`${scenario.name}: warming ${warmupS} s, then profiling ${durationS} s…`);
    await runLoad({ ...options, durationS: warmupS });
    const started = server.waitForLine((line) => line.startsWith('PROFILER started'), 5000);
    process.kill(server.pid, 'SIGWINCH');
    if (!(await started)) throw new Error('the profiler did not start');
    const meter = cpuMeter(server.pid);
    const load = await runLoad({ ...options, durationS });
    const cpu = meter();
    const wrote = server.waitForLine((line) => line.startsWith('PROFILER wrote'), 10_000);
    process.kill(server.pid, 'SIGWINCH');
    const line = await wrote;
    if (!line) throw new Error('the profiler wrote nothing');
    const file = join(OUT_DIR, `${scenario.id}.cpuprofile`);
    await rename(line.slice('PROFILER wrote '.length).trim(), file);
    const usPerReq = (cpu.serverCpuSeconds * 1e6) / load.totalRequests;
    process.stdout.write(
      `\n${scenario.name} (profiled): ${Math.round(load.reqPerSec)} req/s, p99 ${load.latencyMs.p99} ms, ` +
        `server CPU ${usPerReq.toFixed(0)} µs/req, cores server ${cpu.serverCores} / autocannon ${cpu.runnerCores} / other ${cpu.otherCores}, ` +
        `RSS ${readMemory(server.pid).rssMiB} MiB\n`,
    );
    process.stdout.write(`${formatAttribution(attribute(JSON.parse(await readFile(file, 'utf8'))), usPerReq)}\n`);
    process.stdout.write(`profile: ${file.replace(fileURLToPath(new URL('../../', import.meta.url)), '')}\n`);
  }
  await server.stop();
  await finish(0);
} catch (error) {
  log(`failed: ${error.stack ?? error}`);
  await finish(1);
}
