// What the bench leaves behind is removed here: its database and its Redis keys.
import pg from 'pg';
import { Redis } from 'ioredis';

function quoteIdent(name) {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `DROP DATABASE … WITH (FORCE)` from the `postgres` maintenance database. */
export async function dropDatabase(databaseUrl) {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!name.startsWith('ficus_bench_')) throw new Error(`refusing to drop "${name}": not a bench database`);
  url.pathname = '/postgres';
  const client = new pg.Client({
    connectionString: url.toString(),
    application_name: 'ficus-bench',
    connectionTimeoutMillis: 5000,
  });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Deletes `<prefix>:*` (rate-limit counters and the like). */
export async function deleteRedisKeys(redisUrl, prefix) {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    retryStrategy: () => null,
  });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * Databases left by bench runs that were killed outright (SIGKILL: no chance to clean up). Their names end
 * in the runner's pid; those whose runner is no longer alive are dropped. Returns the names dropped.
 */
export async function dropStaleBenchDatabases(pgUrl) {
  const url = new URL(`${pgUrl}/postgres`);
  const client = new pg.Client({
    connectionString: url.toString(),
    application_name: 'ficus-bench',
    connectionTimeoutMillis: 5000,
  });
  await client.connect();
  const dropped = [];
  try {
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE 'ficus\\_bench\\_%'`);
    for (const { datname } of rows) {
      const pid = Number(datname.match(/_(\d+)$/)?.[1]);
      if (!pid || pid === process.pid || isAlive(pid)) continue;
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
      dropped.push(datname);
    }
  } finally {
    await client.end();
  }
  return dropped;
}
