import type { ContextName } from '@ficus/contracts';
import type { FicusConfig } from '../config/ficus.config.js';

/**
 * Schemas the platform itself owns (state of the HTTP facade, not of any context). Each is created, owned
 * and isolated exactly like a context's: one schema, one role `ficus_<schema>`, no right anywhere else.
 */
export const PLATFORM_SCHEMAS = ['idempotency'] as const;
export type PlatformSchema = (typeof PLATFORM_SCHEMAS)[number];

/** Who owns a schema (and the role of the same name): a context, or a piece of the platform. */
export type SchemaOwner = ContextName | PlatformSchema;

/** The login role a schema owner connects as: `ficus_<owner>`, with rights on its own schema only. */
export function contextRoleName(owner: SchemaOwner): string {
  return `ficus_${owner}`;
}

/**
 * The URL a context's (or platform schema's) DataSource uses: `<OWNER>_DATABASE_URL` when set (its own
 * server, its own secret), otherwise `DATABASE_URL` with the owner's role as the user. Locally Postgres
 * trusts loopback, so the derived URL needs no password; in production set `FICUS_DB_ROLE_PASSWORD` or the
 * per-owner URL.
 */
export function contextDatabaseUrl(config: FicusConfig, owner: SchemaOwner): string {
  const explicit = config.database.contextUrls[owner];
  if (explicit) return explicit;
  const url = new URL(config.database.url);
  url.username = contextRoleName(owner);
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
