import { randomBytes } from 'node:crypto';
import { CONTEXT_NAMES } from '@ficus/contracts';
import { dropDatabase, setupDatabase } from '../database/db-setup.js';

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** Superuser URL of the fresh database (what DATABASE_URL is set to). */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh database per test file, with every context's schema and role: parallel files and parallel runs
 * never see each other's rows. Names carry the pid and a random suffix.
 */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const name = `ficus_t_${label
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(0, 20)}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await setupDatabase(url.toString(), CONTEXT_NAMES);
  return { url: url.toString(), name, drop: () => dropDatabase(url.toString()) };
}
