import type { ContextName } from '@ficus/contracts';
import type { FicusConfig } from '../config/ficus.config.js';

/** The login role a context connects as: `ficus_<context>`, with rights on its own schema only. */
export function contextRoleName(context: ContextName): string {
  return `ficus_${context}`;
}

/**
 * The URL a context's DataSource uses: `<CTX>_DATABASE_URL` when set (its own server, its own secret),
 * otherwise `DATABASE_URL` with the context's role as the user. Locally Postgres trusts loopback, so the
 * derived URL needs no password; in production set `FICUS_DB_ROLE_PASSWORD` or the per-context URL.
 */
export function contextDatabaseUrl(config: FicusConfig, context: ContextName): string {
  const explicit = config.database.contextUrls[context];
  if (explicit) return explicit;
  const url = new URL(config.database.url);
  url.username = contextRoleName(context);
  url.password = process.env.FICUS_DB_ROLE_PASSWORD ?? '';
  return url.toString();
}

/** The same server's maintenance database, used to create the application database if missing. */
export function maintenanceUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  return url.toString();
}

export function databaseName(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, '')) || 'postgres';
}

/** Quotes an SQL identifier; context names are a closed list, but database names come from config. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
