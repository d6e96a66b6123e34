import pg from 'pg';
import { CONTEXT_NAMES } from '@ficus/contracts';
import {
  contextDatabaseUrl,
  dropDatabase,
  loadConfig,
  PLATFORM_SCHEMAS,
  type SchemaOwner,
  setupDatabase,
} from '@ficus/platform';
import { createTestDatabase, type TestDatabase, useTestEnv } from '@ficus/platform/testing';

let db: TestDatabase;
const clients: pg.Client[] = [];

beforeAll(async () => {
  db = await createTestDatabase('isolation');
  await useTestEnv(db.url);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  await db?.drop();
});

/** Every schema setupDatabase creates: one per context, plus the platform's own. */
const OWNERS: SchemaOwner[] = [...CONTEXT_NAMES, ...PLATFORM_SCHEMAS];

/** A connection as the context's (or platform schema's) own role, exactly as its DataSource connects. */
async function connectAs(context: SchemaOwner): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: contextDatabaseUrl(loadConfig(), context),
    options: `-c search_path=${context}`,
  });
  await client.connect();
  clients.push(client);
  return client;
}

async function sqlState(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('schema isolation between contexts', () => {
  it('connects each context as its own role ficus_<ctx>', async () => {
    const identity = await connectAs('identity');
    const { rows } = await identity.query('SELECT current_user AS role, current_schema() AS schema');
    expect(rows).toEqual([{ role: 'ficus_identity', schema: 'identity' }]);
  });

  it('lets a context create and use tables in its own schema', async () => {
    const identity = await connectAs('identity');
    await identity.query('CREATE TABLE own_things (id int PRIMARY KEY, label text)');
    await identity.query(`INSERT INTO identity.own_things VALUES (1, 'mine')`);
    const { rows } = await identity.query('SELECT label FROM own_things');
    expect(rows).toEqual([{ label: 'mine' }]);
  });

  it("refuses a context any access to another context's tables with permission denied (42501)", async () => {
    const catalog = await connectAs('catalog');
    await catalog.query('CREATE TABLE catalog.secret (id int PRIMARY KEY, note text)');
    await catalog.query(`INSERT INTO catalog.secret VALUES (1, 'catalog only')`);

    const identity = await connectAs('identity');
    expect(await sqlState(identity.query('SELECT * FROM catalog.secret'))).toBe('42501');
    expect(await sqlState(identity.query(`INSERT INTO catalog.secret VALUES (2, 'intruder')`))).toBe('42501');
    expect(await sqlState(identity.query('DELETE FROM catalog.secret'))).toBe('42501');
    expect(await sqlState(identity.query('CREATE TABLE catalog.planted (id int)'))).toBe('42501');
    // The owner still sees its row, untouched.
    expect((await catalog.query('SELECT note FROM catalog.secret')).rows).toEqual([{ note: 'catalog only' }]);
  });

  it("isolates the platform's idempotency schema like a context's, in both directions", async () => {
    const idempotency = await connectAs('idempotency');
    expect((await idempotency.query('SELECT current_user AS role')).rows).toEqual([{ role: 'ficus_idempotency' }]);
    await idempotency.query('CREATE TABLE idempotency.own_keys (id int PRIMARY KEY)');
    await idempotency.query('INSERT INTO own_keys VALUES (1)');
    expect(await sqlState(idempotency.query('SELECT * FROM catalog.secret'))).toBe('42501');
    expect(await sqlState(idempotency.query('CREATE TABLE identity.planted (id int)'))).toBe('42501');

    const catalog = await connectAs('catalog');
    expect(await sqlState(catalog.query('SELECT * FROM idempotency.own_keys'))).toBe('42501');
    expect(await sqlState(catalog.query('DELETE FROM idempotency.own_keys'))).toBe('42501');
    expect((await idempotency.query('SELECT count(*)::int AS n FROM own_keys')).rows).toEqual([{ n: 1 }]);
  });

  it('gives no context a shared place to create tables in (public schema)', async () => {
    const identity = await connectAs('identity');
    expect(await sqlState(identity.query('CREATE TABLE public.shared_things (id int)'))).toBe('42501');
  });
});

describe('setupDatabase', () => {
  const schemasAndOwners = async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT n.nspname AS schema, r.rolname AS owner FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner
         WHERE n.nspname = ANY($1) ORDER BY 1`,
        [OWNERS],
      );
      return rows;
    } finally {
      await client.end();
    }
  };

  it('is idempotent when run again on a set-up database, and keeps what the contexts created', async () => {
    const before = await schemasAndOwners();
    expect(before).toHaveLength(OWNERS.length);
    expect(await setupDatabase(db.url, CONTEXT_NAMES)).toEqual({ createdDatabase: false, database: db.name });
    expect(await setupDatabase(db.url, CONTEXT_NAMES)).toEqual({ createdDatabase: false, database: db.name });
    expect(await schemasAndOwners()).toEqual(before);
    const identity = await connectAs('identity');
    expect((await identity.query('SELECT label FROM identity.own_things')).rows).toEqual([{ label: 'mine' }]);
  });

  it('succeeds when two runs race on a set-up database', async () => {
    const results = await Promise.all([setupDatabase(db.url, CONTEXT_NAMES), setupDatabase(db.url, CONTEXT_NAMES)]);
    expect(results.map((r) => r.createdDatabase)).toEqual([false, false]);
    expect(await schemasAndOwners()).toHaveLength(OWNERS.length);
  });

  it('succeeds when two runs race to create a brand-new database; exactly one of them creates it', async () => {
    const url = new URL(db.url);
    url.pathname = `/${db.name}_fresh`;
    try {
      const results = await Promise.all([
        setupDatabase(url.toString(), CONTEXT_NAMES),
        setupDatabase(url.toString(), CONTEXT_NAMES),
      ]);
      expect(results.filter((r) => r.createdDatabase)).toHaveLength(1);
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        const { rows } = await client.query(
          `SELECT count(*)::int AS n FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner
           WHERE n.nspname = ANY($1) AND r.rolname = 'ficus_' || n.nspname`,
          [OWNERS],
        );
        expect(rows).toEqual([{ n: OWNERS.length }]);
      } finally {
        await client.end();
      }
    } finally {
      await dropDatabase(url.toString());
    }
  });
});
