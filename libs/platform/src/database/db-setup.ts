import pg from 'pg';
import type { ContextName } from '@ficus/contracts';
import {
  contextRoleName,
  databaseName,
  maintenanceUrl,
  PLATFORM_SCHEMAS,
  quoteIdent,
  type SchemaOwner,
} from './database-urls.js';

/** Postgres extensions contexts rely on; created here because only a superuser may. */
const EXTENSIONS = ['pg_trgm'];

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'ficus-db-setup' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** `CREATE DATABASE` has no `IF NOT EXISTS`; two starts at once race, and the loser's error is harmless. */
async function createDatabaseIfMissing(adminUrl: string): Promise<boolean> {
  const name = databaseName(adminUrl);
  return withClient(maintenanceUrl(adminUrl), async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
      return true;
    } catch (error) {
      // duplicate_database, or unique_violation on pg_database when both inserts collide mid-flight
      const code = (error as { code?: string }).code;
      if (code === '42P04' || code === '23505') return false;
      throw error;
    }
  });
}

/**
 * Roles are cluster-wide, so parallel test runs (each with its own database) may create the same role at
 * the same moment: duplicate_object and unique_violation both mean "someone else made it".
 */
function createRoleSql(role: string, password: string | undefined): string {
  const pw = password ? ` PASSWORD '${password.replace(/'/g, "''")}'` : '';
  return `DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
      CREATE ROLE ${quoteIdent(role)} LOGIN${pw};
    END IF;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END $$`;
}

/** Whether every extension, schema (owned by its role) and CONNECT grant is in place already. */
async function alreadySetUp(client: pg.Client, owners: readonly SchemaOwner[], database: string): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(
    `SELECT
       (SELECT count(*) FROM pg_extension WHERE extname = ANY($1::text[])) = cardinality($1::text[])
       AND (SELECT count(*) FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner
            WHERE n.nspname = ANY($2::text[]) AND r.rolname = 'ficus_' || n.nspname
              AND has_database_privilege(r.oid, $3, 'CONNECT')) = cardinality($2::text[]) AS ok`,
    [EXTENSIONS, [...owners], database],
  );
  return rows[0]?.ok === true;
}

export interface DatabaseSetupResult {
  createdDatabase: boolean;
  database: string;
}

/**
 * Idempotent: creates the database if missing, then one schema and one login role per context, plus the
 * platform's own schemas (PLATFORM_SCHEMAS, e.g. the facade's idempotency keys). Each role owns its schema
 * (so it can run its own migrations) and has no right on any other schema.
 */
export async function setupDatabase(
  adminUrl: string,
  contexts: readonly ContextName[],
  rolePassword = process.env.FICUS_DB_ROLE_PASSWORD,
): Promise<DatabaseSetupResult> {
  const createdDatabase = await createDatabaseIfMissing(adminUrl);
  const database = databaseName(adminUrl);
  const owners: SchemaOwner[] = [...contexts, ...PLATFORM_SCHEMAS];
  await withClient(adminUrl, async (client) => {
    // Every start runs this; once everything exists, one catalog query is enough.
    if (!createdDatabase && (await alreadySetUp(client, owners, database))) return;
    // Concurrent GRANTs on the same database row fail with "tuple concurrently updated" (XX000) and
    // CREATE SCHEMA IF NOT EXISTS can collide too: one setup per database at a time (freed at disconnect).
    await client.query('SELECT pg_advisory_lock(hashtext($1))', ['ficus.db-setup']);
    for (const ext of EXTENSIONS) {
      await client.query(`CREATE EXTENSION IF NOT EXISTS ${ext} SCHEMA public`).catch((error: { code?: string }) => {
        if (error.code !== '23505' && error.code !== '42710') throw error; // racing creator won
      });
    }
    for (const owner of owners) {
      const role = contextRoleName(owner);
      await client.query(createRoleSql(role, rolePassword));
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(owner)} AUTHORIZATION ${quoteIdent(role)}`);
      await client.query(`GRANT CONNECT ON DATABASE ${quoteIdent(database)} TO ${quoteIdent(role)}`);
    }
  });
  return { createdDatabase, database };
}

/** Drops a database (tests only), closing whatever connections are still open to it. */
export async function dropDatabase(adminUrl: string): Promise<void> {
  const name = databaseName(adminUrl);
  await withClient(maintenanceUrl(adminUrl), (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
  );
}
