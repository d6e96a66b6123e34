import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { QueryFailedError } from 'typeorm';

/** What a hot statement answers: its rows and how many rows it touched. */
export interface SqlResult<R> {
  rows: R[];
  affected: number;
}

const names = new Map<string, string>();

/**
 * A named (prepared) statement for `text`: Postgres parses and plans it once per connection instead of on
 * every call, and node-pg sends only Bind/Execute after the first time. The name is derived from the text,
 * so the same SQL always has the same name, and two different texts never share one.
 */
function named(text: string, values: unknown[]): pg.QueryConfig {
  let name = names.get(text);
  if (!name) {
    name = `ficus_${createHash('sha1').update(text).digest('base64url').slice(0, 24)}`;
    names.set(text, name);
  }
  return { name, text, values };
}

/** The driver's pool behind a TypeORM data source. */
const poolOf = (dataSource: DataSource): pg.Pool => (dataSource.driver as unknown as { master: pg.Pool }).master;

/** TypeORM's error type, so callers that test for `QueryFailedError` (unique violations…) keep working. */
function asQueryFailed(text: string, values: unknown[], error: unknown): unknown {
  return error instanceof Error && 'code' in error ? new QueryFailedError(text, values, error) : error;
}

/**
 * Runs a hot statement as a prepared statement on the driver's pool (`DataSource`, autocommit: it must be
 * atomic by itself) or on a transaction's connection (`EntityManager`), skipping TypeORM's per-query work
 * (query runner, logging, subscribers) — the order saga's statements run several times per order.
 */
export async function runPrepared<R = Record<string, unknown>>(
  on: DataSource | EntityManager,
  text: string,
  values: unknown[],
): Promise<SqlResult<R>> {
  const config = named(text, values);
  const runner = (on as EntityManager).queryRunner;
  try {
    const result = runner
      ? await ((await runner.connect()) as pg.PoolClient).query(config)
      : await poolOf('connection' in on ? on.connection : on).query(config);
    return { rows: result.rows as R[], affected: result.rowCount ?? 0 };
  } catch (error) {
    throw asQueryFailed(text, values, error);
  }
}
