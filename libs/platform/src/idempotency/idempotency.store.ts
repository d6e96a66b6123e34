import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** Keys are scoped per user and per route: the same key elsewhere is a different key. */
export interface IdempotencyScope {
  userId: string;
  /** `POST /v1/orders`: method and route pattern (path parameters are part of the fingerprint). */
  route: string;
  key: string;
}

/** What a replay sends again: the original status, the headers that matter, the body as it was serialized. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  /** The JSON text sent the first time, or null for an empty body. */
  body: string | null;
}

export type ClaimOutcome =
  /** The key is ours to run the request with; `lock` proves it to complete, release and renew. */
  | { kind: 'claimed'; lock: string }
  | { kind: 'replay'; response: StoredResponse }
  /** Another request with this key and body is running (its lease is live). */
  | { kind: 'in-use' }
  /** The key was used with a different request. */
  | { kind: 'reused' };

export interface IdempotencyStoreOptions {
  retentionHours: number;
  leaseMs: number;
}

const PK = 'user_id = $1 AND route = $2 AND idempotency_key = $3';

/**
 * Inserts the key as in progress, or takes it over when the previous holder's lease ran out (same request
 * only: a different body never inherits a key) or when the key expired. ON CONFLICT makes the race between
 * two requests with the same key atomic: exactly one gets the row back.
 */
const CLAIM = `
  INSERT INTO idempotency.keys AS k
    (user_id, route, idempotency_key, fingerprint, state, lock_token, locked_until, created_at, expires_at)
  VALUES ($1, $2, $3, $4, 'in_progress', $5, now() + make_interval(secs => $6::float8 / 1000), now(),
          now() + make_interval(hours => $7::int))
  ON CONFLICT (user_id, route, idempotency_key) DO UPDATE SET
    fingerprint = EXCLUDED.fingerprint, state = 'in_progress', lock_token = EXCLUDED.lock_token,
    locked_until = EXCLUDED.locked_until, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at,
    response_status = NULL, response_headers = NULL, response_body = NULL, completed_at = NULL
  WHERE k.expires_at <= now()
     OR (k.state = 'in_progress' AND k.locked_until <= now() AND k.fingerprint = EXCLUDED.fingerprint)
  RETURNING k.lock_token`;

interface KeyRow {
  state: 'in_progress' | 'completed';
  fingerprint: string;
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
}

/**
 * The Idempotency-Key records, in the platform's own schema `idempotency` (role `ficus_idempotency`): shared
 * by every replica through Postgres, so a replay works on any instance and after any restart.
 */
export class IdempotencyStore {
  constructor(
    readonly dataSource: DataSource,
    private readonly options: IdempotencyStoreOptions,
  ) {}

  get leaseMs(): number {
    return this.options.leaseMs;
  }

  async claim(scope: IdempotencyScope, fingerprint: string): Promise<ClaimOutcome> {
    // A key freed between our INSERT and SELECT (its request failed) is simply claimed on the next turn.
    for (let attempt = 0; attempt < 3; attempt++) {
      const lock = randomUUID();
      const claimed: unknown[] = await this.dataSource.query(CLAIM, [
        ...this.pk(scope),
        fingerprint,
        lock,
        this.options.leaseMs,
        this.options.retentionHours,
      ]);
      if (claimed.length) return { kind: 'claimed', lock };
      const [row]: KeyRow[] = await this.dataSource.query(
        `SELECT state, fingerprint, response_status, response_headers, response_body FROM idempotency.keys
         WHERE ${PK}`,
        this.pk(scope),
      );
      if (!row) continue;
      if (row.fingerprint !== fingerprint) return { kind: 'reused' };
      if (row.state === 'in_progress') return { kind: 'in-use' };
      return {
        kind: 'replay',
        response: { status: row.response_status!, headers: row.response_headers ?? {}, body: row.response_body },
      };
    }
    return { kind: 'in-use' };
  }

  /** Extends the lease of a key we hold; false when it is no longer ours. */
  async renew(scope: IdempotencyScope, lock: string): Promise<boolean> {
    const [{ n }] = await this.dataSource.query(
      `WITH u AS (
         UPDATE idempotency.keys SET locked_until = now() + make_interval(secs => $5::float8 / 1000)
         WHERE ${PK} AND lock_token = $4 AND state = 'in_progress' RETURNING 1
       ) SELECT count(*)::int AS n FROM u`,
      [...this.pk(scope), lock, this.options.leaseMs],
    );
    return n === 1;
  }

  /** Stores the answer to replay and keeps it for the retention period; false when the key is no longer ours. */
  async complete(scope: IdempotencyScope, lock: string, response: StoredResponse): Promise<boolean> {
    const [{ n }] = await this.dataSource.query(
      `WITH u AS (
         UPDATE idempotency.keys SET state = 'completed', lock_token = NULL, locked_until = NULL,
           response_status = $5, response_headers = $6::jsonb, response_body = $7,
           completed_at = now(), expires_at = now() + make_interval(hours => $8::int)
         WHERE ${PK} AND lock_token = $4 RETURNING 1
       ) SELECT count(*)::int AS n FROM u`,
      [
        ...this.pk(scope),
        lock,
        response.status,
        JSON.stringify(response.headers),
        response.body,
        this.options.retentionHours,
      ],
    );
    return n === 1;
  }

  /** Frees a key whose request failed, so the client can retry with it (only if we still hold it). */
  async release(scope: IdempotencyScope, lock: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency.keys WHERE ${PK} AND lock_token = $4`, [
      ...this.pk(scope),
      lock,
    ]);
  }

  /**
   * Deletes expired keys, a batch at a time (short transactions, no long lock on the table), leaving any key
   * whose request is still running. Returns how many went.
   */
  async prune(batchSize = 5000): Promise<number> {
    let total = 0;
    for (;;) {
      const [{ n }] = await this.dataSource.query(
        `WITH doomed AS (
           SELECT user_id, route, idempotency_key FROM idempotency.keys
           WHERE expires_at <= now() AND NOT (state = 'in_progress' AND locked_until > now())
           LIMIT $1 FOR UPDATE SKIP LOCKED
         ), gone AS (
           DELETE FROM idempotency.keys k USING doomed d
           WHERE k.user_id = d.user_id AND k.route = d.route AND k.idempotency_key = d.idempotency_key
           RETURNING 1
         ) SELECT count(*)::int AS n FROM gone`,
        [batchSize],
      );
      total += n as number;
      if (n < batchSize) return total;
    }
  }

  private pk(scope: IdempotencyScope): [string, string, string] {
    return [scope.userId, scope.route, scope.key];
  }
}
