// What `npm run bench` measures. To add a scenario, append to `scenarios` (and, if it needs a process the
// bench does not start yet, add it to `servers`, with its start function in lib/servers.mjs).
//
// server:   { label, start(ctx) → handle, coldStart?(ctx) → {…} }  (RSS is read after its last scenario)
// scenario: {
//   id, name, server (key of `servers`),
//   request: { method, path, headers?, body? },
//   requires?: [<key of `preparations`>]   (run once, after the cold starts, before any server starts),
//   setup?(server, ctx) → extra request options merged into `request`: `headers`, `body`, and `path`
//                         (replaces request.path, e.g. with an id looked up in the setup),
//   expectStatus (every response must have it: checked once before the warm-up, then on every response of
//                 the load; default 200),
//   targets?: { minRatio?: { to: <scenario id>, ratio }, maxP99Ms? },
//   tally?(status, body) → label   (every answer under load is counted by its label: what a 200 said,
//                                   e.g. which sections of GET /v1/home were degraded),
// }
// preparation: { label, run(ctx) → details }  (its details land in results.preparations[key])
// check (a number that is not a load result): { id, name, unit, value(results) → number|null, max?, min?, note?,
//   applies?(results) (false: not part of this run, e.g. no selected scenario used its server) }
import {
  measureFicusColdStarts,
  seedCatalog,
  startBareFastify,
  startFicus,
  startFicusWithRemoteIdentity,
  startNestHello,
} from './lib/servers.mjs';
import { BenchError, request } from './lib/proc.mjs';
import { eventChecks } from './events.mjs';
import { mediaChecks } from './media.mjs';
import { orderChecks } from './orders.mjs';

const SEED_PRODUCTS = positiveIntEnv('BENCH_SEED_PRODUCTS', 10_000);

export const servers = {
  bare: { label: 'bare Fastify 5', start: () => startBareFastify() },
  nest: { label: 'Nest 12 + Fastify hello', start: () => startNestHello() },
  ficus: {
    label: 'Ficus monolith',
    start: (ctx) => startFicus(ctx),
    coldStart: (ctx) => measureFicusColdStarts(ctx),
  },
  ficusRemote: {
    label: 'Ficus monolith (FICUS_REMOTE_CONTEXTS=identity) + identity host',
    start: (ctx) => startFicusWithRemoteIdentity(ctx),
  },
};

export const preparations = {
  'catalog-seed': {
    label: `seed ${SEED_PRODUCTS.toLocaleString('en-US')} products (cli.js seed --products ${SEED_PRODUCTS})`,
    run: (ctx) => seedCatalog(ctx, SEED_PRODUCTS),
  },
};

/**
 * One bench user per run, registered through the first server that needs it; every other server (same
 * database) logs in as that user, so each one has gone through its own login path. Tokens are cached per
 * server.
 */
export async function benchUser(server, ctx) {
  if (server.user) return server.user;
  const email = `bench-${ctx.runId}@example.com`;
  const password = 'bench-password-123';
  const registered = Boolean(ctx.benchUserEmail);
  const res = registered
    ? await request(`${server.baseUrl}/v1/auth/login`, { method: 'POST', body: { email, password } })
    : await request(`${server.baseUrl}/v1/auth/register`, {
        method: 'POST',
        body: { email, password, name: 'Bench User' },
      });
  const expected = registered ? 200 : 201;
  if (res.status !== expected) {
    throw new BenchError(`${registered ? 'login' : 'register'} answered ${res.status}, expected ${expected}`, res.body);
  }
  const { accessToken } = JSON.parse(res.body);
  if (!accessToken) throw new BenchError('no accessToken in the answer', res.body);
  ctx.benchUserEmail = email;
  server.user = { email, accessToken };
  return server.user;
}

/** A seeded product, looked up once per run: `GET /v1/products?limit=1` → items[0] (id and ETag). */
async function sampleProduct(server, ctx) {
  if (ctx.sampleProduct) return ctx.sampleProduct;
  const list = await request(`${server.baseUrl}/v1/products?limit=1`);
  if (list.status !== 200) throw new BenchError(`GET /v1/products?limit=1 answered ${list.status}`, list.body);
  const id = JSON.parse(list.body).items?.[0]?.id;
  if (!id) throw new BenchError('GET /v1/products?limit=1 returned no product: is the catalog seeded?', list.body);
  const path = `/v1/products/${encodeURIComponent(id)}`;
  const one = await request(`${server.baseUrl}${path}`);
  if (one.status !== 200) throw new BenchError(`GET ${path} answered ${one.status}`, one.body);
  const etag = one.headers.etag;
  if (!etag) throw new BenchError(`GET ${path} sent no ETag`, JSON.stringify(one.headers));
  ctx.sampleProduct = { id, path, etag };
  return ctx.sampleProduct;
}

/**
 * The bench user's home screen with something in each section: three orders placed (each confirmed puts an
 * item into the inbox), then one probe must answer every section (nothing degraded on an idle server).
 */
async function homeWithOrders(server, ctx) {
  const { accessToken } = await benchUser(server, ctx);
  const headers = { authorization: `Bearer ${accessToken}` };
  const products = await request(`${server.baseUrl}/v1/products?limit=3`);
  if (products.status !== 200) throw new BenchError(`GET /v1/products answered ${products.status}`, products.body);
  for (const product of JSON.parse(products.body).items) {
    const placed = await request(`${server.baseUrl}/v1/orders`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': `bench-home-${ctx.runId}-${product.id}` },
      body: { items: [{ productId: product.id, quantity: 1 }], paymentToken: 'tok_ok' },
    });
    if (placed.status !== 202) throw new BenchError(`POST /v1/orders answered ${placed.status}`, placed.body);
  }
  const probe = await request(`${server.baseUrl}/v1/home`, { headers });
  const home = JSON.parse(probe.body);
  if (probe.status !== 200 || !home.me || home.recentOrders?.length !== 3 || home.featured?.length !== 10) {
    throw new BenchError('GET /v1/home did not show the user, 3 orders and 10 products', probe.body);
  }
  if (home.degraded.length) throw new BenchError(`GET /v1/home degraded on an idle server`, probe.body);
  return { headers };
}

/** What one GET /v1/home answer held: every section, or which contexts missed their deadline. */
function homeSections(status, body) {
  if (status !== 200) return `status ${status}`;
  try {
    const { degraded } = JSON.parse(body);
    return degraded.length ? `degraded: ${degraded.join('+')}` : 'complete';
  } catch {
    return 'unparsable';
  }
}

/** Fails the setup when a search finds nothing (a seed or search regression would make its numbers meaningless). */
function expectHits(minimum) {
  return async (server, _ctx, req) => {
    const res = await request(`${server.baseUrl}${req.path}`);
    if (res.status !== 200) throw new BenchError(`GET ${req.path} answered ${res.status}`, res.body);
    const items = JSON.parse(res.body).items ?? [];
    if (items.length < minimum) {
      throw new BenchError(`GET ${req.path} found ${items.length} products, expected at least ${minimum}`, res.body);
    }
    return {};
  };
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
  {
    // Issue 4: the same route with identity in its own process, called over Redis (same run, same user).
    id: 'ficus-me-remote',
    name: 'Ficus GET /v1/me, identity extracted',
    server: 'ficusRemote',
    request: { method: 'GET', path: '/v1/me' },
    setup: async (server, ctx) => {
      const { accessToken } = await benchUser(server, ctx);
      return { headers: { authorization: `Bearer ${accessToken}` } };
    },
    targets: { minRatio: { to: 'ficus-me', ratio: 0.6 }, maxP99Ms: 30 },
  },
  {
    // Issue 9: the app's first screen, signed in: identity, catalog (categories + 10 newest of the seeded
    // products), ordering (3 orders) and notifications (unread count) in parallel, 300 ms per section.
    id: 'ficus-home',
    name: 'Ficus GET /v1/home (signed in)',
    server: 'ficus',
    requires: ['catalog-seed'],
    request: { method: 'GET', path: '/v1/home' },
    setup: homeWithOrders,
    tally: homeSections,
  },
  {
    // Issue 5, with BENCH_SEED_PRODUCTS (10,000) seeded products.
    id: 'catalog-product',
    name: 'Ficus GET /v1/products/{id}',
    server: 'ficus',
    requires: ['catalog-seed'],
    request: { method: 'GET', path: '/v1/products/{id}' },
    setup: async (server, ctx) => ({ path: (await sampleProduct(server, ctx)).path }),
    targets: { minRatio: { to: 'bare-health', ratio: 0.35 }, maxP99Ms: 15 },
  },
  {
    id: 'catalog-product-304',
    name: 'Ficus GET /v1/products/{id}, If-None-Match → 304',
    server: 'ficus',
    requires: ['catalog-seed'],
    request: { method: 'GET', path: '/v1/products/{id}' },
    setup: async (server, ctx) => {
      const { path, etag } = await sampleProduct(server, ctx);
      return { path, headers: { 'if-none-match': etag } };
    },
    expectStatus: 304,
    targets: { minRatio: { to: 'bare-health', ratio: 0.6 } },
  },
  {
    id: 'catalog-search',
    name: 'Ficus GET /v1/products?q=headphones',
    server: 'ficus',
    requires: ['catalog-seed'],
    request: { method: 'GET', path: '/v1/products?q=headphones' },
    setup: expectHits(1),
    targets: { maxP99Ms: 50 },
  },
  {
    // Informational: typo-tolerant search (pg_trgm similarity) still finds the headphones.
    id: 'catalog-search-typo',
    name: 'Ficus GET /v1/products?q=hedphones (typo)',
    server: 'ficus',
    requires: ['catalog-seed'],
    request: { method: 'GET', path: '/v1/products?q=hedphones' },
    setup: expectHits(1),
  },
];

/** Whether a selected scenario ran on this server (BENCH_ONLY=events or =orders runs none of them). */
const measured = (r, server) => r.scenarios.some((s) => s.server === server);

export const checks = [
  {
    id: 'ficus-cold-start-fresh',
    applies: (r) => measured(r, 'ficus'),
    name: 'Ficus cold start, fresh DB (spawn → first 200)',
    unit: 'ms',
    value: (r) => r.coldStart.ficus?.freshDb.wallMs ?? null,
    detail: (r) => appStartup(r.coldStart.ficus?.freshDb),
    note: 'creates DB, schemas, roles, runs migrations; informational',
  },
  {
    id: 'ficus-cold-start',
    applies: (r) => measured(r, 'ficus'),
    name: 'Ficus cold start, migrated DB (spawn → first 200)',
    unit: 'ms',
    value: (r) => r.coldStart.ficus?.migratedDb.wallMs ?? null,
    detail: (r) => appStartup(r.coldStart.ficus?.migratedDb),
    max: 1500,
  },
  {
    id: 'ficus-start-warn',
    applies: (r) => measured(r, 'ficus'),
    name: 'Ficus start for the load runs (LOG_LEVEL=warn, migrated DB)',
    unit: 'ms',
    value: (r) => r.servers.ficus?.startup.wallMs ?? null,
    note: 'informational',
  },
  {
    id: 'ficus-rss',
    applies: (r) => measured(r, 'ficus'),
    name: 'Ficus RSS after load (VmRSS)',
    unit: 'MiB',
    value: (r) => r.memory.ficus?.rssMiB ?? null,
    detail: (r) => (r.memory.ficus ? `peak ${r.memory.ficus.peakRssMiB} MiB, after ${r.memory.ficus.after}` : ''),
    max: 160,
  },
  {
    id: 'catalog-seed',
    applies: (r) =>
      r.preparations['catalog-seed'] !== undefined || r.scenarios.some((s) => s.id.startsWith('catalog-')),
    name: 'Catalog seed before the load (cli.js seed)',
    unit: 'ms',
    value: (r) => r.preparations['catalog-seed']?.wallMs ?? null,
    detail: (r) => {
      const seed = r.preparations['catalog-seed'];
      return seed
        ? `${seed.products} products: ${seed.inserted} inserted, ${seed.skipped} already there; CLI rate ${seed.perSecond}/s`
        : '';
    },
    note: 'informational (spawn → exit, includes the CLI boot)',
  },
  {
    id: 'ficus-remote-start',
    applies: (r) => measured(r, 'ficusRemote'),
    name: 'Ficus with identity extracted: start (→ 200 on /health/ready)',
    unit: 'ms',
    value: (r) => r.servers.ficusRemote?.startup.wallMs ?? null,
    detail: (r) => {
      const host = r.servers.ficusRemote?.startup.identityHost;
      return host ? `identity host before it: ${host.wallMs} ms to /health/ready` : '';
    },
    note: 'informational',
  },
  {
    id: 'ficus-remote-rss',
    applies: (r) => measured(r, 'ficusRemote'),
    name: 'RSS after load: monolith (identity remote) / identity host',
    unit: 'MiB',
    value: (r) => r.memory.ficusRemote?.rssMiB ?? null,
    detail: (r) => {
      const host = r.memory.ficusRemote?.parts?.identityHost;
      return host ? `identity host ${host.rssMiB} MiB (peak ${host.peakRssMiB})` : '';
    },
    note: 'informational',
  },
  ...eventChecks,
  ...orderChecks,
  ...mediaChecks,
];

function positiveIntEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer (got "${raw}")`);
  return value;
}

function appStartup(run) {
  return run?.appStartupMs != null ? `app startupMs ${run.appStartupMs}` : '';
}
