// What `npm run bench` measures. To add a scenario, append to `scenarios` (and, if it needs a process the
// bench does not start yet, add it to `servers`, with its start function in lib/servers.mjs).
//
// server:   { label, start(ctx) → handle, coldStart?(ctx) → {…} }  (RSS is read after its last scenario)
// scenario: {
//   id, name, server (key of `servers`),
//   request: { method, path, headers?, body? },
//   setup?(server, ctx) → extra request options merged into `request` (e.g. an Authorization header),
//   expectStatus (checked once before the warm-up; default 200),
//   targets?: { minRatio?: { to: <scenario id>, ratio }, maxP99Ms? },
// }
// check (a number that is not a load result): { id, name, unit, value(results) → number|null, max?, min?, note? }
import { measureFicusColdStarts, startBareFastify, startFicus, startNestHello } from './lib/servers.mjs';
import { BenchError, request } from './lib/proc.mjs';

export const servers = {
  bare: { label: 'bare Fastify 5', start: () => startBareFastify() },
  nest: { label: 'Nest 12 + Fastify hello', start: () => startNestHello() },
  ficus: {
    label: 'Ficus monolith',
    start: (ctx) => startFicus(ctx),
    coldStart: (ctx) => measureFicusColdStarts(ctx),
  },
};

/** Registers one user per server the first time a scenario needs one; later scenarios reuse the token. */
export async function benchUser(server, ctx) {
  if (server.user) return server.user;
  const email = `bench-${ctx.runId}@example.com`;
  const res = await request(`${server.baseUrl}/v1/auth/register`, {
    method: 'POST',
    body: { email, password: 'bench-password-123', name: 'Bench User' },
  });
  if (res.status !== 201) throw new BenchError(`register answered ${res.status}, expected 201`, res.body);
  const { accessToken } = JSON.parse(res.body);
  if (!accessToken) throw new BenchError('register returned no accessToken', res.body);
  server.user = { email, accessToken };
  return server.user;
}

export const scenarios = [
  {
    id: 'bare-health',
    name: 'bare Fastify GET /health/live',
    server: 'bare',
    request: { method: 'GET', path: '/health/live' },
  },
  {
    // No target: shows how much of the gap to bare Fastify is Nest itself rather than Ficus's layers.
    id: 'nest-health',
    name: 'Nest+Fastify hello GET /health/live',
    server: 'nest',
    request: { method: 'GET', path: '/health/live' },
  },
  {
    id: 'ficus-health',
    name: 'Ficus GET /health/live',
    server: 'ficus',
    request: { method: 'GET', path: '/health/live' },
    targets: { minRatio: { to: 'bare-health', ratio: 0.85 } },
  },
  {
    id: 'ficus-me',
    name: 'Ficus GET /v1/me',
    server: 'ficus',
    request: { method: 'GET', path: '/v1/me' },
    setup: async (server, ctx) => {
      const { accessToken } = await benchUser(server, ctx);
      return { headers: { authorization: `Bearer ${accessToken}` } };
    },
    targets: { minRatio: { to: 'bare-health', ratio: 0.25 }, maxP99Ms: 20 },
  },
];

export const checks = [
  {
    id: 'ficus-cold-start-fresh',
    name: 'Ficus cold start, fresh DB (spawn → first 200)',
    unit: 'ms',
    value: (r) => r.coldStart.ficus?.freshDb.wallMs ?? null,
    detail: (r) => appStartup(r.coldStart.ficus?.freshDb),
    note: 'creates DB, schemas, roles, runs migrations; informational',
  },
  {
    id: 'ficus-cold-start',
    name: 'Ficus cold start, migrated DB (spawn → first 200)',
    unit: 'ms',
    value: (r) => r.coldStart.ficus?.migratedDb.wallMs ?? null,
    detail: (r) => appStartup(r.coldStart.ficus?.migratedDb),
    max: 1500,
  },
  {
    id: 'ficus-start-warn',
    name: 'Ficus start for the load runs (LOG_LEVEL=warn, migrated DB)',
    unit: 'ms',
    value: (r) => r.servers.ficus?.startup.wallMs ?? null,
    note: 'informational',
  },
  {
    id: 'ficus-rss',
    name: 'Ficus RSS after load (VmRSS)',
    unit: 'MiB',
    value: (r) => r.memory.ficus?.rssMiB ?? null,
    detail: (r) => (r.memory.ficus ? `peak ${r.memory.ficus.peakRssMiB} MiB` : ''),
    max: 160,
  },
];

function appStartup(run) {
  return run?.appStartupMs != null ? `app startupMs ${run.appStartupMs}` : '';
}
