import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { type CallMeta, CATALOG_API, type CatalogApi, IDENTITY_API, type IdentityApi } from '@ficus/contracts';
import { ContractCallError } from '@ficus/platform';
import { DEMO_CATALOG, seedCatalog } from './catalog-seed.js';

export const SEED_ADMIN_EMAIL = 'admin@ficus.local';

/**
 * On an empty database, creates the demo admin and prints its credentials once (to stdout, never to the
 * log), then a small demo catalog. Seeding goes through the contexts' public APIs like any other caller,
 * so it works whichever contexts are extracted; a second start finds both and does nothing.
 */
export async function seedOnFirstStart(app: INestApplication, out: NodeJS.WritableStream = process.stdout) {
  const meta: CallMeta = { correlationId: `seed-${randomUUID()}`, actor: null };
  const seededAdmin = await seedAdmin(app.get<IdentityApi>(IDENTITY_API), meta, out);
  await seedDemoCatalog(app.get<CatalogApi>(CATALOG_API), meta, out);
  return seededAdmin;
}

async function seedAdmin(identity: IdentityApi, meta: CallMeta, out: NodeJS.WritableStream): Promise<boolean> {
  const password = randomBytes(12).toString('base64url');
  try {
    await identity.registerUser({ email: SEED_ADMIN_EMAIL, password, name: 'Ficus Admin' }, meta);
  } catch (error) {
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
