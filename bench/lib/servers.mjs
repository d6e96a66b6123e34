// How the bench starts the processes it measures. Each start function returns a handle:
// `{ name, baseUrl, pid, pids?, startup, exitInfo, stop(), tail(), ... }` (`pids`: every process whose CPU
// counts as the server's). Add new kinds here and give them a name in bench/scenarios.mjs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { BenchError, freePort, log, runNodeCommand, spawnNode, waitForHttp200 } from './proc.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BARE_ENTRY = fileURLToPath(new URL('../bare-fastify.mjs', import.meta.url));
const NEST_HELLO_ENTRY = fileURLToPath(new URL('../nest-fastify-hello.mjs', import.meta.url));
const FICUS_ENTRY = 'dist/apps/monolith/src/main.js';
const RUNTIME_NODE_FLAGS =
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).config?.runtimeNodeFlags ?? '';
const FICUS_CLI = 'dist/apps/monolith/src/cli.js';
const contextHostEntry = (context) => `dist/apps/extracted/${context}/src/main.js`;
const GENERIC_HOST_ENTRY = fileURLToPath(new URL('./context-host.mjs', import.meta.url));
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 45_000;

/**
 * For experiments without touching the app: extra Node flags and environment for every Ficus process the
 * bench starts, e.g. BENCH_FICUS_NODE_ARGS="--max-semi-space-size=8" or BENCH_FICUS_ENV="API_DOCS=false".
 */
export const ficusExtras = {
  // By default Ficus runs with the heap flags of `npm start` and the Docker image (package.json
  // config.runtimeNodeFlags); BENCH_FICUS_NODE_ARGS replaces them (set it to " " for none).
  nodeArgs: (process.env.BENCH_FICUS_NODE_ARGS ?? RUNTIME_NODE_FLAGS).split(/\s+/).filter(Boolean),
  // MALLOC_ARENA_MAX=2 as in `npm start` and the Docker image.
  env: Object.fromEntries(
    (process.env.BENCH_FICUS_ENV ?? 'MALLOC_ARENA_MAX=2')
      .split(',')
      .map((pair) => pair.trim())
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  ),
};

/** A single-file server that takes PORT and HOST and answers GET /health/live. */
async function startScript(name, entry) {
  const port = await freePort(HOST);
  const handle = spawnNode({ name, args: [entry], env: { PORT: String(port), HOST }, cwd: ROOT });
  const baseUrl = `http://${HOST}:${port}`;
  try {
    const wallMs = await waitForHttp200(handle, `${baseUrl}/health/live`, { timeoutMs: READY_TIMEOUT_MS });
    // Object.assign, not a spread: a spread would freeze the handle's `exitInfo` getter at null.
    return Object.assign(handle, { baseUrl, startup: { wallMs: round(wallMs) } });
  } catch (error) {
    await handle.stop(2000);
    throw error;
  }
}

/** The baseline: bare Fastify 5, logger off (bench/bare-fastify.mjs). */
export const startBareFastify = () => startScript('bare-fastify', BARE_ENTRY);

/** Nest 12 + Fastify with nothing of Ficus (bench/nest-fastify-hello.mjs). */
export const startNestHello = () => startScript('nest-fastify-hello', NEST_HELLO_ENTRY);

/**
 * The environment a Ficus process runs with in the bench: its own database and Redis prefix, quiet logs,
 * no seeding, rate limits out of the way (the limiter still runs and still makes its Redis round trip).
 */
export function ficusEnv(ctx, overrides = {}) {
  return {
    NODE_ENV: 'development',
    HOST,
    DATABASE_URL: ctx.databaseUrl,
    REDIS_URL: ctx.redisUrl,
    REDIS_KEY_PREFIX: ctx.redisPrefix,
    JWT_KEY_FILE: ctx.jwtKeyFile,
    LOG_LEVEL: 'warn',
    SEED_ON_START: 'false',
    // The config caps these at 1,000,000 per minute (a larger value is a configuration error).
    RATE_LIMIT_PER_IP_PER_MIN: '1000000',
    RATE_LIMIT_PER_USER_PER_MIN: '1000000',
    ...ficusExtras.env,
    ...overrides,
  };
}

/**
 * Starts the monolith and measures its cold start: wall clock from spawn to the first 200 on `readyPath`
 * (/health/live unless told; runner side), plus the app's own `startupMs` from its `app.listening` log line
 * when the log level lets that line through (it is logged at info).
 */
export async function startFicus(ctx, { name = 'ficus', env = {}, nodeArgs = [], readyPath = '/health/live' } = {}) {
  const port = await freePort(HOST);
  const handle = spawnNode({
    name,
    args: [FICUS_ENTRY],
    nodeArgs: [...ficusExtras.nodeArgs, ...nodeArgs],
    env: ficusEnv(ctx, { PORT: String(port), ...env }),
    cwd: ROOT,
  });
  let startupMs = null;
  const stopListening = handle.onLine((line) => {
    if (!line.includes('"app.listening"')) return;
    try {
      const parsed = JSON.parse(line);
      startupMs = parsed.startupMs ?? findDeep(parsed, 'startupMs');
    } catch {
      const match = line.match(/"startupMs":\s*(\d+)/);
      if (match) startupMs = Number(match[1]);
    }
  });
  const baseUrl = `http://${HOST}:${port}`;
  let wallMs;
  try {
    wallMs = await waitForHttp200(handle, `${baseUrl}${readyPath}`, { timeoutMs: READY_TIMEOUT_MS });
  } catch (error) {
    await handle.stop(2000);
    throw error;
  }
  const logLevel = ficusEnv(ctx, env).LOG_LEVEL;
  if (startupMs === null && ['info', 'debug', 'trace'].includes(logLevel)) {
    // `listen()` resolves just before the line is written.
    await handle.waitForLine((line) => line.includes('"app.listening"'), 3000);
  }
  stopListening();
  return Object.assign(handle, {
    baseUrl,
    startup: { wallMs: round(wallMs), appStartupMs: startupMs, logLevel, readyPath },
  });
}

/**
 * An extracted context host (`apps/extracted/<context>`), with the same database, Redis, key prefix and
 * JWT key as the monolith, its health endpoints on a free HEALTH_PORT. Ready at the first 200 on
 * /health/ready. `env`/`nodeArgs` add to Ficus's (bench/events.mjs preloads its subscriber shim this way).
 * A context not extracted yet (no `apps/extracted/<context>`) runs in lib/context-host.mjs, the same
 * `bootstrapContextHost` call the generated host makes, when `allowGeneric`; `startup.entry` says which.
 */
export async function startContextHost(
  ctx,
  context,
  { name = `${context}-host`, env = {}, nodeArgs = [], allowGeneric = false } = {},
) {
  const generated = contextHostEntry(context);
  const useGeneric = allowGeneric && !existsSync(join(ROOT, 'apps/extracted', context));
  const entry = useGeneric ? GENERIC_HOST_ENTRY : generated;
  if (!existsSync(join(ROOT, useGeneric ? `dist/libs/${context}/src/index.js` : entry))) {
    throw new BenchError(
      `${useGeneric ? `dist/libs/${context}` : entry} is missing: build with \`npm run build\`` +
        (useGeneric || existsSync(join(ROOT, 'apps/extracted', context))
          ? ''
          : ` (and extract it: \`npm run extract -- ${context}\`)`),
    );
  }
  if (useGeneric) env = { BENCH_CONTEXT: context, ...env };
  const port = await freePort(HOST);
  const handle = spawnNode({
    name,
    args: [entry],
    nodeArgs: [...ficusExtras.nodeArgs, ...nodeArgs],
    env: ficusEnv(ctx, { HEALTH_PORT: String(port), ...env }),
    cwd: ROOT,
  });
  const baseUrl = `http://${HOST}:${port}`;
  try {
    const wallMs = await waitForHttp200(handle, `${baseUrl}/health/ready`, { timeoutMs: READY_TIMEOUT_MS });
    return Object.assign(handle, {
      baseUrl,
      startup: {
        wallMs: round(wallMs),
        readyPath: '/health/ready',
        entry: useGeneric ? 'bench/lib/context-host.mjs' : entry,
      },
    });
  } catch (error) {
    await handle.stop(2000);
    throw error;
  }
}

/** The extracted identity host (see startContextHost). */
export const startIdentityHost = (ctx, options = {}) =>
  startContextHost(ctx, 'identity', { name: 'identity-host', ...options });

/**
 * Identity extracted: the identity host, then a second monolith with FICUS_REMOTE_CONTEXTS=identity (same
 * database and Redis prefix as the in-process one), ready when its /health/ready answers 200 (which pings
 * identity over Redis). One handle for both: HTTP goes to the monolith, `pids` covers both processes (the
 * CPU per request of an extracted call is spent in two processes), `parts` gives each one.
 */
export async function startFicusWithRemoteIdentity(ctx) {
  const host = await startIdentityHost(ctx);
  let monolith;
  try {
    monolith = await startFicus(ctx, {
      name: 'ficus-remote-identity',
      env: { FICUS_REMOTE_CONTEXTS: 'identity' },
      readyPath: '/health/ready',
    });
  } catch (error) {
    await host.stop(2000);
    throw error;
  }
  const parts = { monolith, identityHost: host };
  return {
    name: monolith.name,
    pid: monolith.pid,
    pids: [monolith.pid, host.pid],
    baseUrl: monolith.baseUrl,
    parts,
    startup: { ...monolith.startup, identityHost: host.startup, identityHostUrl: host.baseUrl },
    get exitInfo() {
      const gone = Object.values(parts).find((p) => p.exitInfo);
      return gone ? { ...gone.exitInfo, name: gone.name } : null;
    },
    tail: () =>
      Object.values(parts)
        .map((p) => `--- ${p.name}\n${p.tail()}`)
        .join('\n'),
    async stop(graceMs) {
      const [exit] = await Promise.all(Object.values(parts).map((p) => p.stop(graceMs)));
      return exit;
    },
  };
}

/**
 * `node dist/apps/monolith/src/cli.js seed --products N` with the server's environment, through the same
 * Node binary: the catalog the catalog scenarios read. Idempotent (deterministic SKUs), so a database that
 * already has them only costs the check. Returns the CLI's own figures plus the wall clock.
 */
export async function seedCatalog(ctx, products) {
  const started = performance.now();
  const handle = await runNodeCommand(
    {
      name: 'seed',
      args: [FICUS_CLI, 'seed', '--products', String(products)],
      nodeArgs: ficusExtras.nodeArgs,
      env: ficusEnv(ctx),
      cwd: ROOT,
    },
    { timeoutMs: 120_000 },
  );
  const wallMs = round(performance.now() - started);
  const match = handle
    .tail()
    .match(
      /seeded (\d+) categories and (\d+) products in ([\d.]+) s \((\d+)\/s\): (\d+) inserted, (\d+) already there/,
    );
  if (!match) throw new BenchError('the seed command did not print its summary line', handle.tail());
  const [, categories, seeded, seconds, perSecond, inserted, skipped] = match.map(Number);
  if (seeded !== products) throw new BenchError(`asked to seed ${products} products, the CLI did ${seeded}`);
  return { products, categories, seedSeconds: seconds, perSecond, inserted, skipped, wallMs };
}

/** `node dist/apps/monolith/src/cli.js <args>` with the servers' environment (e.g. `users:grant-admin <email>`). */
export function runFicusCli(ctx, args, { timeoutMs = 60_000 } = {}) {
  return runNodeCommand(
    {
      name: `cli ${args[0]}`,
      args: [FICUS_CLI, ...args],
      nodeArgs: ficusExtras.nodeArgs,
      env: ficusEnv(ctx),
      cwd: ROOT,
    },
    { timeoutMs },
  );
}

/**
 * Cold start, twice: against a fresh database (creates it, schemas, roles, runs every migration) and
 * against the now-migrated one (the normal case). Logs at info so the app reports its `startupMs`; the
 * health probe is not request-logged, so the log level does not change what is measured otherwise.
 */
export async function measureFicusColdStarts(ctx) {
  const runs = {};
  for (const [key, label] of [
    ['freshDb', 'fresh database (create + migrate)'],
    ['migratedDb', 'migrated database'],
  ]) {
    log(`cold start: Ficus against a ${label}…`);
    const server = await startFicus(ctx, { name: `ficus-coldstart-${key}`, env: { LOG_LEVEL: 'info' } });
    runs[key] = server.startup;
    log(`  first 200 after ${server.startup.wallMs} ms (app startupMs ${server.startup.appStartupMs ?? 'n/a'})`);
    const exit = await server.stop();
    if (exit.signal === 'SIGKILL') log(`  warning: ${server.name} ignored SIGTERM and was killed`);
  }
  return runs;
}

function round(value) {
  return Math.round(value * 10) / 10;
}

function findDeep(value, key) {
  if (!value || typeof value !== 'object') return null;
  if (key in value) return value[key];
  for (const child of Object.values(value)) {
    const found = findDeep(child, key);
    if (found !== null && found !== undefined) return found;
  }
  return null;
}
