import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { DataSource } from 'typeorm';
import {
  CATALOG_API,
  type CatalogApi,
  CONTEXT_NAMES,
  type ContextName,
  IDENTITY_API,
  type IdentityApi,
  isContextName,
} from '@ficus/contracts';
import {
  listParked,
  loadConfig,
  OutboxRegistry,
  replayParked,
  setupDatabase,
  startInProcessTransport,
} from '@ficus/platform';
import { AppModule } from './app.module.js';
import { seedCatalog } from './seed/catalog-seed.js';
import { ProgressBar } from './seed/progress-bar.js';

const HELP = `Usage: npm run cli -- <command> [options]

Commands:
  db:setup                        Create the database, one schema and one role per context (idempotent)
  migrate                         db:setup, then run every hosted context's pending migrations
  users:grant-admin <email>       Give an existing user the admin role
  seed [--products N]             Create a demo catalog: categories and N generated products (default 1000),
                                  with a progress bar; idempotent (deterministic SKUs, existing ones skipped)
  outbox:parked [--context C]     List parked (dead-letter) event deliveries
  outbox:replay [--context C] [--event ID] [--subscriber S]
                                  Put parked deliveries back in the queue (all, or the ones matching)

Options:
  -h, --help                      Show this help

Environment: the same variables as the server (DATABASE_URL, REDIS_URL, ...; see .env.example).`;

type Ctx = { app: Awaited<ReturnType<typeof bootApp>> };

async function bootApp() {
  // The CLI hosts the contexts to reach them, but runs no relays, no scheduled jobs and serves no HTTP.
  process.env.OUTBOX_RELAY_ENABLED = 'false';
  process.env.IDEMPOTENCY_PRUNE_INTERVAL_MS = '0';
  process.env.LOG_LEVEL ??= 'warn';
  // Nest needs an HTTP adapter to build an application (the in-process transport hangs off one); Fastify is
  // the only one installed. It never listens.
  const remote = loadConfig().messaging.remoteContexts;
  const app = await NestFactory.create(AppModule.forRoot(remote), new FastifyAdapter(), {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  await startInProcessTransport(app);
  await app.init();
  return app;
}

function contextsFrom(value: string | undefined): ContextName[] {
  if (!value) return [...CONTEXT_NAMES];
  if (!isContextName(value)) throw new UsageError(`unknown context "${value}" (one of ${CONTEXT_NAMES.join(', ')})`);
  return [value];
}

export class UsageError extends Error {}

/** The DataSource of a context hosted by this build (contexts not built yet have none). */
function dataSourceOf(ctx: Ctx, context: ContextName): DataSource | undefined {
  return ctx.app.get(OutboxRegistry).get(context)?.dataSource;
}

/** Runs one CLI command; returns the exit code. Lines go to `out` (stdout by default). */
export async function runCli(
  argv: string[],
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      context: { type: 'string' },
      event: { type: 'string' },
      subscriber: { type: 'string' },
      products: { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    out(HELP);
    return command || values.help ? 0 : 1;
  }
  const config = loadConfig();
  const log = out;

  if (command === 'db:setup' || command === 'migrate') {
    const result = await setupDatabase(config.database.url, CONTEXT_NAMES);
    log(`database ${result.database}: ${result.createdDatabase ? 'created' : 'exists'}; schemas and roles ready`);
    if (command === 'db:setup') return 0;
    const app = await bootApp(); // each hosted context migrates itself on init
    await app.close();
    log('migrations: up to date');
    return 0;
  }

  if (command === 'seed') return seed(config.database.url, values.products, log);

  if (!['users:grant-admin', 'outbox:parked', 'outbox:replay'].includes(command)) {
    throw new UsageError(`unknown command "${command}"`);
  }
  const app = await bootApp();
  const ctx: Ctx = { app };
  try {
    if (command === 'users:grant-admin') {
      const email = rest[0];
      if (!email) throw new UsageError('users:grant-admin needs an e-mail address');
      const identity = app.get<IdentityApi>(IDENTITY_API);
      const user = await identity.grantAdmin({ email }, { correlationId: `cli-${randomUUID()}`, actor: null });
      log(`${user.email} now has roles: ${user.roles.join(', ')}`);
      return 0;
    }
    let total = 0;
    for (const context of contextsFrom(values.context)) {
      const ds = dataSourceOf(ctx, context);
      if (!ds) continue;
      if (command === 'outbox:parked') {
        const rows: { event_id: string; subscriber: string; attempts: number; last_error: string; name: string }[] =
          await ds.query(listParked(context), [1000]);
        for (const r of rows)
          log(`${context}\t${r.event_id}\t${r.name}\t→ ${r.subscriber}\t${r.attempts} attempts\t${r.last_error ?? ''}`);
        total += rows.length;
      } else {
        const [row] = await ds.query(replayParked(context), [values.event ?? null, values.subscriber ?? null]);
        total += row.n as number;
      }
    }
    log(command === 'outbox:parked' ? `${total} parked deliveries` : `${total} deliveries queued again`);
    return 0;
  } finally {
    await app.close();
  }
}

/** `seed --products N`: through catalog's public API (bulk import pattern), like any other caller. */
async function seed(databaseUrl: string, productsArg: string | undefined, log: (line: string) => void) {
  const products = Number(productsArg ?? 1000);
  if (!Number.isSafeInteger(products) || products < 0 || products > 10_000_000) {
    throw new UsageError('--products must be a whole number from 0 to 10000000');
  }
  await setupDatabase(databaseUrl, CONTEXT_NAMES);
  const app = await bootApp();
  try {
    const catalog = app.get<CatalogApi>(CATALOG_API);
    const progress = new ProgressBar(products, 'products');
    const meta = { correlationId: `cli-seed-${randomUUID()}`, actor: null };
    const result = await seedCatalog(catalog, meta, {
      products,
      prefix: 'SEED',
      onProgress: (n) => progress.update(n),
    });
    progress.finish(products);
    const perSecond = Math.round(products / Math.max(result.elapsedMs / 1000, 0.001));
    log(
      `seeded ${result.categories} categories and ${products} products in ${(result.elapsedMs / 1000).toFixed(1)} s ` +
        `(${perSecond}/s): ${result.inserted} inserted, ${result.skipped} already there`,
    );
    return 0;
  } finally {
    await app.close();
  }
}
