// `npm run bench`: Ficus against a bare Fastify baseline on this machine, in one run.
//
// 1. cold start of the monolith (fresh database, then migrated database), spawn → first 200;
// 2. preparations the selected scenarios require (the catalog seed), then the servers as child processes
//    (bare Fastify, Nest hello, the Ficus monolith, and a second monolith with identity extracted plus the
//    identity host), autocannon in this process, the same settings for every scenario: BENCH_CONNECTIONS
//    (50) connections, a BENCH_WARMUP_S (2) s warm-up that is thrown away, then BENCH_DURATION_S (10) s;
// 3. each server's RSS after its load; the servers are stopped;
// 4. the events section (bench/events.mjs: outbox relay lag and cross-process event throughput, with a
//    database and identity host of its own);
// 5. the orders section (bench/orders.mjs: POST /v1/orders under load and confirmed orders per second, in-process
//    and with ordering and payments extracted, with a database of its own);
// 6. the media section (bench/media.mjs: 2 MB upload → READY latency, variants/s, RSS while 20 uploads of 8 MB
//    run at once: in-process, tuned, and with media extracted; a database and storage directory of its own);
// 7. a table with ratios and PASS / MISS per target, and bench/results/latest.json.
//
// Scenarios and targets live in bench/scenarios.mjs. BENCH_ONLY=id,id runs a subset (`events` and `orders` are
// the sections' ids); BENCH_ROUNDS=n runs every scenario n times, interleaved, and reports each one's best round.
// Exit code: 0 when the bench ran (targets may be missed: the table says MISS); 1 when it broke (a server
// did not start, a non-2xx answer under load, cleanup failed…); 2 on the overall time limit; 130/143 on
// SIGINT/SIGTERM. Children are always killed and the bench database is always dropped.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { deleteRedisKeys, dropDatabase, dropStaleBenchDatabases } from './lib/cleanup.mjs';
import { LOAD_DEFAULTS, runLoad, stopLoad } from './lib/load.mjs';
import {
  BenchError,
  cpuMeter,
  killAllChildrenNow,
  log,
  readMemory,
  request,
  sampleMachineBusyCores,
} from './lib/proc.mjs';
import { buildFigures, renderChart } from './lib/chart.mjs';
import { evaluate, printReport } from './lib/report.mjs';
import { ficusExtras } from './lib/servers.mjs';
import { EVENTS_BUDGET_S, runEventsBench } from './events.mjs';
import { MEDIA_BUDGET_S, runMediaBench } from './media.mjs';
import { NOTIFICATIONS_BUDGET_S, runNotificationsBench } from './notifications.mjs';
import { ordersBudgetS, ordersNotes, runOrdersBench } from './orders.mjs';
import { checks as allChecks, preparations, scenarios as allScenarios, servers as serverDefs } from './scenarios.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RESULTS_FILE = fileURLToPath(new URL('./results/latest.json', import.meta.url));
// A full run's figures and chart are the README's (docs/bench/, committed); a partial run's (BENCH_ONLY)
// go next to latest.json, so that they never replace the full picture.
const FIGURES_DIR = fileURLToPath(new URL(process.env.BENCH_ONLY ? './results/' : '../docs/bench/', import.meta.url));

const settings = {
  durationS: positiveInt('BENCH_DURATION_S', 10),
  warmupS: positiveInt('BENCH_WARMUP_S', 2),
  connections: positiveInt('BENCH_CONNECTIONS', LOAD_DEFAULTS.connections),
  rounds: positiveInt('BENCH_ROUNDS', 1),
  pipelining: LOAD_DEFAULTS.pipelining,
};
const pgUrl = (process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

const only = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const scenarios = only.length ? allScenarios.filter((s) => only.includes(s.id)) : allScenarios;
const runEvents = !only.length || only.includes('events');
const runOrders = !only.length || only.includes('orders');
const runMedia = !only.length || only.includes('media');
const runNotifications = !only.length || only.includes('notifications');
const requiredPreparations = [...new Set(scenarios.flatMap((s) => s.requires ?? []))];
// Everything must finish well inside this, or the run is aborted (and cleaned up).
const timeLimitS = positiveInt(
  'BENCH_TIMEOUT_S',
  100 +
    settings.rounds * scenarios.length * (settings.warmupS + settings.durationS + 5) +
    requiredPreparations.length * 60 +
    (runEvents ? EVENTS_BUDGET_S : 0) +
    (runOrders ? ordersBudgetS(settings) : 0) +
    (runMedia ? MEDIA_BUDGET_S : 0) +
    (runNotifications ? NOTIFICATIONS_BUDGET_S : 0),
);

const now = new Date();
const runId = `${now.toISOString().replace(/[-:T]/g, '').slice(0, 14)}_${process.pid}`;
const ctx = {
  runId,
  databaseUrl: `${pgUrl}/ficus_bench_${runId}`,
  redisUrl,
  redisPrefix: `ficus-bench-${runId}`,
  jwtKeyFile: null,
  tmpDir: null,
  // More databases and Redis prefixes to remove at the end (the events section's).
  extraDatabases: [],
  extraRedisPrefixes: [],
};

const results = {
  startedAt: now.toISOString(),
  finishedAt: null,
  env: {
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    totalMemMiB: Math.round(os.totalmem() / 2 ** 20),
    loadAvgAtStart: os.loadavg().map((n) => Math.round(n * 100) / 100),
  },
  settings: {
    ...settings,
    timeLimitS,
    only: only.length ? only : undefined,
    ficusNodeArgs: ficusExtras.nodeArgs.length ? ficusExtras.nodeArgs : undefined,
    ficusEnv: Object.keys(ficusExtras.env).length ? ficusExtras.env : undefined,
  },
  git: gitInfo(),
  database: ctx.databaseUrl,
  coldStart: {},
  preparations: {},
  servers: {},
  scenarios: [],
  memory: {},
  checks: [],
  errors: [],
};

const started = {}; // server key → handle
let cleanedUp = null;
let aborting = false; // set on a signal, a crash or the time limit: the main flow stops reporting

function gitInfo() {
  try {
    const git = (...args) =>
      execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { commit: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain', '--untracked-files=no') !== '' };
  } catch {
    return null;
  }
}

function positiveInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`[bench] ${name} must be a positive integer (got "${raw}")\n`);
    process.exit(1);
  }
  return value;
}

function fail(message, details) {
  results.errors.push(details ? { message, details: String(details).slice(-4000) } : { message });
  process.stderr.write(`\n[bench] ERROR: ${message}\n`);
  if (details)
    process.stderr.write(
      `${String(details)
        .split('\n')
        .slice(-25)
        .map((l) => `        ${l}`)
        .join('\n')}\n`,
    );
  process.stderr.write('\n');
}

/** Stops every server, drops the database, removes Redis keys and temp files. Runs once. */
function cleanup() {
  cleanedUp ??= (async () => {
    stopLoad();
    const handles = Object.values(started);
    if (handles.length) log('stopping servers…');
    await Promise.all(handles.map((h) => h.stop(5000).catch(() => undefined)));
    killAllChildrenNow();
    for (const databaseUrl of [ctx.databaseUrl, ...ctx.extraDatabases]) {
      log(`dropping database ${databaseUrl.split('/').pop()}…`);
      try {
        await withTimeout(dropDatabase(databaseUrl), 15_000, 'DROP DATABASE');
      } catch (error) {
        fail(`could not drop the bench database ${databaseUrl}: ${error.message}`);
      }
    }
    for (const prefix of [ctx.redisPrefix, ...ctx.extraRedisPrefixes]) {
      try {
        await withTimeout(deleteRedisKeys(ctx.redisUrl, prefix), 10_000, 'Redis cleanup');
      } catch (error) {
        fail(`could not delete Redis keys ${prefix}:*: ${error.message}`);
      }
    }
    if (ctx.tmpDir) await rm(ctx.tmpDir, { recursive: true, force: true }).catch(() => undefined);
  })();
  return cleanedUp;
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function abort(reason, code) {
  aborting = true;
  log(`${reason}; cleaning up…`);
  const hardExit = setTimeout(() => {
    killAllChildrenNow();
    process.exit(code);
  }, 20_000);
  hardExit.unref();
  await cleanup().catch(() => undefined);
  await writeResults().catch(() => undefined);
  process.exit(code);
}

process.on('exit', killAllChildrenNow);
let signalled = false;
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
]) {
  process.on(signal, () => {
    if (signalled) {
      killAllChildrenNow();
      process.exit(code);
    }
    signalled = true;
    results.errors.push({ message: `interrupted by ${signal}` });
    void abort(`${signal} received`, code);
  });
}
process.on('uncaughtException', (error) => {
  fail(`uncaught exception: ${error.stack ?? error}`);
  void abort('crashed', 1);
});
process.on('unhandledRejection', (error) => {
  fail(`unhandled rejection: ${error?.stack ?? error}`);
  void abort('crashed', 1);
});
const watchdog = setTimeout(() => {
  results.errors.push({ message: `time limit of ${timeLimitS} s reached` });
  void abort(`time limit of ${timeLimitS} s reached`, 2);
}, timeLimitS * 1000);
watchdog.unref();

async function writeResults() {
  results.finishedAt = new Date().toISOString();
  await mkdir(join(RESULTS_FILE, '..'), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
}

async function writeFigures() {
  const applicable = allChecks.filter((check) => !check.applies || check.applies(results));
  const figures = buildFigures(results, scenarios, applicable);
  const load = results.env.loadAvgAtStart.join(' / ');
  const busy = results.env.busyCoresBeforeStart;
  await mkdir(FIGURES_DIR, { recursive: true });
  await writeFile(
    join(FIGURES_DIR, 'figures.json'),
    `${JSON.stringify({ startedAt: results.startedAt, git: results.git, env: results.env, settings: results.settings, figures }, null, 2)}\n`,
  );
  await writeFile(
    join(FIGURES_DIR, 'chart.svg'),
    renderChart(figures, {
      title: `npm run bench — ${results.startedAt.slice(0, 16).replace('T', ' ')} UTC, commit ${results.git?.commit?.slice(0, 8) ?? '?'}`,
      subtitle: `${results.env.cpus} × ${results.env.cpuModel}; load average at start ${load}; other work ${busy ?? '?'} cores before start`,
    }),
  );
}

function loadProblems(load) {
  const problems = [];
  if (load.status.unexpected) {
    problems.push(
      `${load.status.unexpected} responses other than ${load.status.expected} (by status: ${JSON.stringify(load.status.codes)})`,
    );
  }
  if (load.errors) problems.push(`${load.errors} connection errors`);
  if (load.timeouts) problems.push(`${load.timeouts} timeouts`);
  if (!load.totalRequests) problems.push('no request completed');
  return problems;
}

const prepared = new Map(); // scenario id → { server, options }

/** Setup and a single probe request, once per scenario (before its first round). */
async function prepareScenario(scenario, server) {
  const entry = {
    id: scenario.id,
    name: scenario.name,
    server: scenario.server,
    request: { method: scenario.request.method ?? 'GET', path: scenario.request.path },
    load: null,
    rounds: [],
  };
  results.scenarios.push(entry);
  try {
    if (!server) throw new BenchError(`server "${scenario.server}" is not running`);
    if (server.exitInfo) throw new BenchError(`${server.name} has exited`, server.tail());
    const extra = (scenario.setup ? await scenario.setup(server, ctx, scenario.request) : null) ?? {};
    const req = {
      method: scenario.request.method ?? 'GET',
      path: extra.path ?? scenario.request.path,
      body: extra.body ?? scenario.request.body,
      headers: { ...scenario.request.headers, ...extra.headers },
    };
    entry.request = { method: req.method, path: req.path, headers: Object.keys(req.headers) };
    const url = `${server.baseUrl}${req.path}`;
    const expectStatus = scenario.expectStatus ?? 200;
    const probe = await request(url, req);
    if (probe.status !== expectStatus) {
      throw new BenchError(
        `${req.method} ${req.path} answered ${probe.status} before load, expected ${expectStatus}`,
        probe.body,
      );
    }
    prepared.set(scenario.id, {
      entry,
      server,
      options: {
        url,
        method: req.method,
        headers: req.headers,
        body: req.body,
        connections: settings.connections,
        expectStatus,
      },
      tally: scenario.tally,
    });
  } catch (error) {
    if (aborting) return;
    entry.error = error.message;
    fail(error.message, error.details);
  }
}

/** One round of one scenario: warm-up (not counted), then the measured run. */
async function runRound(scenario, round) {
  const p = prepared.get(scenario.id);
  if (!p || p.entry.error) return;
  const { entry, server, options } = p;
  const tag = settings.rounds > 1 ? ` [round ${round}/${settings.rounds}]` : '';
  try {
    if (server.exitInfo) throw new BenchError(`${server.name} has exited`, server.tail());
    log(`warming ${scenario.name}${tag} (${settings.warmupS} s, not counted)…`);
    const warmup = await runLoad({ ...options, durationS: settings.warmupS });
    const warmupProblems = loadProblems(warmup);
    if (warmupProblems.length)
      throw new BenchError(`${scenario.name} during warm-up: ${warmupProblems.join(', ')}`, server.tail());

    log(`measuring ${scenario.name}${tag} (${settings.durationS} s, ${settings.connections} connections)…`);
    const stopMeter = cpuMeter(server.pids ?? server.pid);
    const stopPartMeters = Object.entries(server.parts ?? {}).map(([part, h]) => [part, cpuMeter(h.pid)]);
    // What the answers said, by the scenario's label (GET /v1/home: complete, or which sections degraded).
    const tally = p.tally ? {} : null;
    const onResponse = tally
      ? (status, body) => {
          const label = p.tally(status, body);
          tally[label] = (tally[label] ?? 0) + 1;
        }
      : undefined;
    const load = await runLoad({ ...options, durationS: settings.durationS, onResponse });
    if (tally) load.answers = tally;
    const cpu = stopMeter();
    const perReq = (seconds) =>
      seconds === null || !load.totalRequests ? null : Math.round((seconds * 1e6) / load.totalRequests);
    cpu.serverCpuUsPerReq = perReq(cpu.serverCpuSeconds);
    if (stopPartMeters.length) {
      // Where the CPU of a multi-process server goes (the monolith and the identity host).
      cpu.parts = Object.fromEntries(
        stopPartMeters.map(([part, stop]) => {
          const partCpu = stop();
          return [part, { cpuUsPerReq: perReq(partCpu.serverCpuSeconds), cores: partCpu.serverCores }];
        }),
      );
    }
    const split = cpu.parts
      ? ` (${Object.entries(cpu.parts)
          .map(([part, p]) => `${part} ${p.cpuUsPerReq}`)
          .join(' + ')})`
      : '';
    log(
      `  ${Math.round(load.reqPerSec)} req/s, p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms, ` +
        `not ${load.status.expected} ${load.status.unexpected}; RSS ${readMemory(server.pid).rssMiB} MiB; ` +
        `server CPU ${cpu.serverCpuUsPerReq} µs/req${split}; cores: server ${cpu.serverCores}, autocannon ${cpu.runnerCores}, other ${cpu.otherCores}` +
        (tally ? `; answers ${JSON.stringify(tally)}` : ''),
    );
    const problems = loadProblems(load);
    if (problems.length) {
      entry.invalidRound = { round, load, cpu };
      throw new BenchError(`${scenario.name}: ${problems.join(', ')} — the numbers are not valid`, server.tail());
    }
    if (server.exitInfo) throw new BenchError(`${server.name} exited during the load`, server.tail());
    // RSS after every scenario (the table's RSS checks are read after each server's last one).
    const rssMiB = readMemory(server.pid).rssMiB;
    entry.rounds.push({ round, warmupReqPerSec: warmup.reqPerSec, load, cpu, rssMiB });
  } catch (error) {
    if (aborting) return;
    entry.error = error.message;
    fail(error.message, error.details);
  }
}

/**
 * With several rounds, a scenario's numbers are those of its best round (highest req/s): outside load on
 * the machine only ever slows a run down, so the best round is the closest to the real capacity.
 */
function settleRounds() {
  for (const entry of results.scenarios) {
    if (!entry.rounds.length) {
      // Show what an invalid run measured, marked ERROR in the table.
      if (entry.invalidRound) ({ load: entry.load, cpu: entry.cpu } = entry.invalidRound);
      continue;
    }
    const byRate = [...entry.rounds].sort((a, b) => a.load.reqPerSec - b.load.reqPerSec);
    const best = byRate.at(-1);
    entry.load = best.load;
    entry.cpu = best.cpu;
    entry.rssAfterMiB = entry.rounds.at(-1).rssMiB;
    entry.reportedRound = best.round;
    if (entry.rounds.length > 1) {
      entry.spread = {
        reqPerSec: [byRate[0].load.reqPerSec, byRate.at(-1).load.reqPerSec],
        serverCpuUsPerReq: [
          Math.min(...entry.rounds.map((r) => r.cpu.serverCpuUsPerReq)),
          Math.max(...entry.rounds.map((r) => r.cpu.serverCpuUsPerReq)),
        ],
      };
    }
  }
}

async function main() {
  log(
    `run ${runId}: Node ${process.version}, ${results.env.cpus} CPUs, ${settings.connections} connections, ` +
      `${settings.warmupS} s warm-up + ${settings.durationS} s per scenario` +
      (settings.rounds > 1 ? `, ${settings.rounds} rounds (best reported)` : ''),
  );
  if (results.settings.ficusNodeArgs || results.settings.ficusEnv) {
    log(
      `Ficus runs with extra node args ${JSON.stringify(ficusExtras.nodeArgs)} and env ${JSON.stringify(ficusExtras.env)}`,
    );
  }
  if (!existsSync(join(ROOT, 'dist/apps/monolith/src/main.js'))) {
    throw new BenchError('dist/ is missing: run `npm run bench` (it builds first) or `npx nest build monolith`');
  }
  const stale = await dropStaleBenchDatabases(pgUrl);
  if (stale.length) log(`dropped ${stale.length} database(s) left by killed bench runs: ${stale.join(', ')}`);
  results.env.busyCoresBeforeStart = await sampleMachineBusyCores(1000);
  if (results.env.busyCoresBeforeStart > 0.25) {
    log(
      `warning: other processes keep ${results.env.busyCoresBeforeStart} of ${results.env.cpus} cores busy; the numbers will be noisy`,
    );
  }
  ctx.tmpDir = await mkdtemp(join(os.tmpdir(), 'ficus-bench-'));
  ctx.jwtKeyFile = join(ctx.tmpDir, 'jwt-es256.json');

  const needed = [...new Set(scenarios.map((s) => s.server))];
  for (const key of needed) {
    if (!serverDefs[key]) throw new BenchError(`scenario refers to unknown server "${key}"`);
  }

  for (const key of needed) {
    const def = serverDefs[key];
    if (!def.coldStart) continue;
    results.coldStart[key] = await def.coldStart(ctx);
  }

  for (const key of requiredPreparations) {
    const preparation = preparations[key];
    if (!preparation) throw new BenchError(`scenario requires unknown preparation "${key}"`);
    log(`${preparation.label}…`);
    results.preparations[key] = await preparation.run(ctx);
    log(`  ${JSON.stringify(results.preparations[key])}`);
  }

  for (const key of needed) {
    const def = serverDefs[key];
    log(`starting ${def.label}…`);
    const handle = await def.start(ctx);
    started[key] = handle;
    results.servers[key] = { label: def.label, pid: handle.pid, baseUrl: handle.baseUrl, startup: handle.startup };
    log(`  ${def.label} pid ${handle.pid} on ${handle.baseUrl}, first 200 after ${handle.startup.wallMs} ms`);
  }

  for (const scenario of scenarios) {
    if (aborting) return;
    await prepareScenario(scenario, started[scenario.server]);
  }
  // Rounds run every scenario in turn, so that a burst of outside load hits all of them alike.
  for (let round = 1; round <= settings.rounds; round++) {
    for (const [index, scenario] of scenarios.entries()) {
      if (aborting) return;
      await runRound(scenario, round);
      if (aborting) return;
      const server = started[scenario.server];
      const lastForServer =
        round === settings.rounds && !scenarios.slice(index + 1).some((s) => s.server === scenario.server);
      if (lastForServer && server && !server.exitInfo) {
        results.memory[scenario.server] = { ...readMemory(server.pid), after: scenario.id };
        if (server.parts) {
          results.memory[scenario.server].parts = Object.fromEntries(
            Object.entries(server.parts).map(([part, handle]) => [part, readMemory(handle.pid)]),
          );
        }
        log(
          `  ${serverDefs[scenario.server].label} RSS ${results.memory[scenario.server].rssMiB} MiB ` +
            `(peak ${results.memory[scenario.server].peakRssMiB} MiB)`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  if (aborting || (!runEvents && !runOrders && !runMedia && !runNotifications)) return;
  // The load servers are done: stop them so that the sections below have the machine to themselves.
  await Promise.all(Object.values(started).map((h) => h.stop(5000).catch(() => undefined)));
  const track = (tag) => ({
    process: (handle) => (started[`${tag}:${handle.name}`] = handle),
    database: (url) => ctx.extraDatabases.push(url),
    redisPrefix: (prefix) => ctx.extraRedisPrefixes.push(prefix),
  });
  if (runEvents) {
    const eventsStarted = performance.now();
    try {
      results.events = await runEventsBench({
        pgUrl,
        redisUrl,
        runId,
        jwtKeyFile: join(ctx.tmpDir, 'jwt-es256-events.json'),
        track: track('events'),
      });
      results.events.wallS = Math.round((performance.now() - eventsStarted) / 100) / 10;
      log(`events section done in ${results.events.wallS} s`);
    } catch (error) {
      if (aborting) return;
      results.events = { error: error.message };
      fail(`events: ${error.message}`, error.details);
    }
  }
  if (runOrders && !aborting) {
    const ordersStarted = performance.now();
    try {
      results.orders = await runOrdersBench({
        pgUrl,
        redisUrl,
        runId,
        jwtKeyFile: join(ctx.tmpDir, 'jwt-es256-orders.json'),
        load: { connections: settings.connections, warmupS: settings.warmupS, durationS: settings.durationS },
        track: track('orders'),
      });
      results.orders.wallS = Math.round((performance.now() - ordersStarted) / 100) / 10;
      log(`orders section done in ${results.orders.wallS} s`);
    } catch (error) {
      if (aborting) return;
      results.orders = { error: error.message };
      fail(`orders: ${error.message}`, error.details);
    }
  }
  if (runMedia && !aborting) {
    const mediaStarted = performance.now();
    try {
      results.media = await runMediaBench({
        pgUrl,
        redisUrl,
        runId,
        jwtKeyFile: join(ctx.tmpDir, 'jwt-es256-media.json'),
        track: track('media'),
      });
      results.media.wallS = Math.round((performance.now() - mediaStarted) / 100) / 10;
      log(`media section done in ${results.media.wallS} s`);
    } catch (error) {
      if (aborting) return;
      results.media = { error: error.message };
      fail(`media: ${error.message}`, error.details);
    }
  }
  if (runNotifications && !aborting) {
    // Event → inbox item lag under a burst of confirmed orders (bench/notifications.mjs).
    try {
      results.notifications = await runNotificationsBench({
        pgUrl,
        redisUrl,
        runId,
        jwtKeyFile: join(ctx.tmpDir, 'jwt-es256-notifications.json'),
        track: track('notifications'),
      });
      log(
        `notifications: event → inbox p50 ${results.notifications.lagMs.p50} ms, p99 ${results.notifications.lagMs.p99} ms, ` +
          `${results.notifications.inboxItemsPerSec} items/s, monolith CPU ${results.notifications.monolithCpuUsPerEvent} µs/event ` +
          `(cores: monolith ${results.notifications.cores.monolith}, other ${results.notifications.cores.other})`,
      );
    } catch (error) {
      if (aborting) return;
      results.notifications = { error: error.message };
      fail(`notifications: ${error.message}`, error.details);
    }
  }
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  if (!aborting) fail(error.message, error.details);
}
if (aborting) await new Promise(() => {}); // abort() finishes the run and exits
await cleanup();
settleRounds();
if (results.orders?.modes) {
  results.orders.notes = ordersNotes(
    results.orders,
    results.scenarios.find((s) => s.id === 'bare-health')?.load?.reqPerSec ?? null,
  );
}
evaluate(
  results,
  scenarios,
  allChecks.filter((check) => !check.applies || check.applies(results)),
);
printReport(results);
try {
  await writeResults();
  log(`results written to ${RESULTS_FILE.replace(ROOT, '')}`);
  await writeFigures();
  log(`figures and chart written to ${FIGURES_DIR.replace(ROOT, '')}{figures.json,chart.svg}`);
} catch (error) {
  fail(`could not write ${RESULTS_FILE}: ${error.message}`);
}
if (results.errors.length) exitCode = 1;
log(`finished in ${Math.round(performance.now() / 1000)} s`);
clearTimeout(watchdog);
process.exitCode = exitCode;
