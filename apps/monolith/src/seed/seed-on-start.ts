import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { type CallMeta, IDENTITY_API, type IdentityApi } from '@ficus/contracts';
import { ContractCallError } from '@ficus/platform';

export const SEED_ADMIN_EMAIL = 'admin@ficus.local';

/**
 * On an empty database, creates the demo admin and prints its credentials once (to stdout, never to the
 * log). Seeding goes through the contexts' public APIs like any other caller, so it works whichever
 * contexts are extracted; a second start finds the admin and does nothing.
 */
export async function seedOnFirstStart(app: INestApplication, out: NodeJS.WritableStream = process.stdout) {
  const identity = app.get<IdentityApi>(IDENTITY_API);
  const meta: CallMeta = { correlationId: `seed-${randomUUID()}`, actor: null };
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
