import { randomBytes, randomUUID } from 'node:crypto';
import { type INestApplication, Logger } from '@nestjs/common';
import { type CallMeta, CATALOG_API, type CatalogApi, IDENTITY_API, type IdentityApi } from '@ficus/contracts';
import { ContextUnavailableError, ContractCallError } from '@ficus/platform';
import { DEMO_CATALOG, seedCatalog } from './catalog-seed.js';

export const SEED_ADMIN_EMAIL = 'admin@ficus.local';

export interface SeedOptions {
  /** Where the admin's credentials are printed (never the log). */
  out?: NodeJS.WritableStream;
  /**
   * How long each step waits for its context when that context is unavailable (an extracted context that
   * is down or not started yet), retrying with backoff; after that the step is skipped with a warning and
   * runs on the next start. Default 60 s.
   */
  waitForContextMs?: number;
}

/** What one start seeded; `skipped` names the contexts that stayed unavailable. */
export interface SeedOutcome {
  admin: boolean;
  catalog: boolean;
  skipped: string[];
}

const logger = new Logger('Seed');

/**
 * On an empty database, creates the demo admin and prints its credentials once (to stdout, never to the
 * log), then a small demo catalog. Seeding goes through the contexts' public APIs like any other caller,
 * so it works whichever contexts are extracted; a second start finds both and does nothing.
 *
 * An extracted context may not be up yet when the monolith starts (any start order must work), so a step
 * whose context is unavailable waits for it and, past `waitForContextMs`, is skipped with a warning: the
 * monolith keeps serving and `/health/ready` reports the context. The two steps are independent.
 */
export async function seedOnFirstStart(app: INestApplication, options: SeedOptions = {}): Promise<SeedOutcome> {
  const out = options.out ?? process.stdout;
  const waitMs = options.waitForContextMs ?? 60_000;
  const meta: CallMeta = { correlationId: `seed-${randomUUID()}`, actor: null };
  const skipped: string[] = [];
  const step = async (context: string, run: () => Promise<boolean>) => {
    const done = await whenAvailable(context, run, waitMs);
    if (done === undefined) skipped.push(context);
    return done ?? false;
  };
  const admin = await step('identity', () => seedAdmin(app.get<IdentityApi>(IDENTITY_API), meta, out));
  const catalog = await step('catalog', () => seedDemoCatalog(app.get<CatalogApi>(CATALOG_API), meta, out));
  return { admin, catalog, skipped };
}

/** Runs `step`, retrying while its context is unavailable; undefined when it stayed so for `waitMs`. */
async function whenAvailable<T>(context: string, step: () => Promise<T>, waitMs: number): Promise<T | undefined> {
  const giveUpAt = Date.now() + waitMs;
  let warned = false;
  for (let delay = 200; ; delay = Math.min(delay * 2, 5000)) {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof ContextUnavailableError)) throw error;
      if (Date.now() + delay > giveUpAt) {
        logger.warn(
          { event: 'seed.skipped', context, reason: error.reason },
          `Seeding skipped: ${context} is unavailable (${error.reason}); it runs again on the next start`,
        );
        return undefined;
      }
      if (!warned) {
        logger.log({ event: 'seed.waiting', context }, `Waiting for ${context} to seed it (${error.reason})`);
        warned = true;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

async function seedAdmin(identity: IdentityApi, meta: CallMeta, out: NodeJS.WritableStream): Promise<boolean> {
  const password = randomBytes(12).toString('base64url');
  try {
    await identity.registerUser({ email: SEED_ADMIN_EMAIL, password, name: 'Ficus Admin' }, meta);
  } catch (error) {
    // Never grant admin to an account that already exists: anyone could have registered that address.
    if (error instanceof ContractCallError && error.code === 'EMAIL_TAKEN') return false;
    throw error;
  }
  await identity.grantAdmin({ email: SEED_ADMIN_EMAIL }, meta);
  out.write(
    `\n  Seeded an empty database. Admin sign-in (shown once, keep it):\n` +
      `    e-mail:   ${SEED_ADMIN_EMAIL}\n    password: ${password}\n\n`,
  );
  return true;
}

/** Independent of the admin, so a start that failed half-way still gets its catalog next time. */
async function seedDemoCatalog(catalog: CatalogApi, meta: CallMeta, out: NodeJS.WritableStream): Promise<boolean> {
  const { items } = await catalog.listCategories({}, meta);
  if (items.length) return false;
  const demo = await seedCatalog(catalog, meta, DEMO_CATALOG);
  out.write(
    `  Seeded a demo catalog: ${demo.categories} categories, ${demo.inserted} products ` +
      `(npm run seed -- --products 10000 for more).\n\n`,
  );
  return true;
}
