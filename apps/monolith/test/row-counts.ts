import pg from 'pg';

/** The tables whose rows a request can create; a rejected (4xx) request must leave them as they were. */
const TABLES = [
  'identity.users',
  'identity.token_families',
  'catalog.categories',
  'catalog.products',
  'ordering.orders',
] as const;

export type RowCounts = Record<(typeof TABLES)[number], number>;

/** Counts rows in the test database (as its owner), to prove that a rejected request stored nothing. */
export class RowCounter {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  }

  async counts(): Promise<RowCounts> {
    const columns = TABLES.map((table) => `(SELECT count(*)::int FROM ${table}) AS "${table}"`).join(', ');
    const { rows } = await this.pool.query<RowCounts>(`SELECT ${columns}`);
    return rows[0]!;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
