import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { GroupCommit } from '../database/group-commit.js';

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
  /**
   * Most claims (and, apart, completions) one statement takes (IDEMPOTENCY_BATCH_MAX); 1 turns group commit
   * off, every request then has statements of its own. Default 1.
   */
  batchMax?: number;
  /** How many claim (and completion) statements may run at once (IDEMPOTENCY_FLUSHES). Default 1. */
  flushes?: number;
}

const PK = 'user_id = $1 AND route = $2 AND idempotency_key = $3';

/**
 * Inserts each key as in progress, or takes it over when the previous holder's lease ran out (same request
 * only: a different body never inherits a key) or when the key expired. ON CONFLICT makes the race between
 * two requests with the same key atomic: exactly one gets the row back. A row already holding this very lock
 * token is ours: a batch whose COMMIT went through but whose answer was lost is then claimed again alone.
 * Rows go in sorted by key, so two replicas' batches that share keys take their locks in the same order.
 * One statement cannot touch a row twice, so the caller passes each key once (`claimTogether`).
 */
const CLAIM = `
  INSERT INTO idempotency.keys AS k
    (user_id, route, idempotency_key, fingerprint, state, lock_token, locked_until, created_at, expires_at)
  SELECT u, r, key, f, 'in_progress', token, now() + make_interval(secs => $6::float8 / 1000), now(),
         now() + make_interval(hours => $7::int)
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::uuid[]) AS t(u, r, key, f, token)
  ORDER BY u, r, key
  ON CONFLICT (user_id, route, idempotency_key) DO UPDATE SET
    fingerprint = EXCLUDED.fingerprint, state = 'in_progress', lock_token = EXCLUDED.lock_token,
    locked_until = EXCLUDED.locked_until, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at,
    response_status = NULL, response_headers = NULL, response_body = NULL, completed_at = NULL
  WHERE k.expires_at <= now()
     OR (k.state = 'in_progress' AND k.locked_until <= now() AND k.fingerprint = EXCLUDED.fingerprint)
     OR k.lock_token = EXCLUDED.lock_token
  RETURNING k.lock_token`;

/**
 * Stores each answer to replay and keeps it for the retention period, where the row is still held by that
 * completion's lock token; returns the tokens of the rows it completed. (In a CTE: TypeORM answers a bare
 * UPDATE with a row count beside its rows.)
 */
const COMPLETE = `
  WITH done AS (
    UPDATE idempotency.keys AS k SET state = 'completed', lock_token = NULL, locked_until = NULL,
      response_status = t.status, response_headers = t.headers::jsonb, response_body = t.body,
      completed_at = now(), expires_at = now() + make_interval(hours => $8::int)
    FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::int[], $6::text[], $7::text[])
    AS t(u, r, key, token, status, headers, body)
    WHERE k.user_id = t.u AND k.route = t.r AND k.idempotency_key = t.key AND k.lock_token = t.token
    RETURNING t.token
  ) SELECT token FROM done`;

interface KeyRow {
  state: 'in_progress' | 'completed';
  fingerprint: string;
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
}

/** One attempt to claim a key: its own random lock token, which comes back only if the row is ours. */
interface Claim {
  scope: IdempotencyScope;
  fingerprint: string;
  lock: string;
}

interface Completion {
  scope: IdempotencyScope;
  lock: string;
  response: StoredResponse;
}

/**
 * The Idempotency-Key records, in the platform's own schema `idempotency` (role `ficus_idempotency`): shared
 * by every replica through Postgres, so a replay works on any instance and after any restart.
 *
 * **Group commit** (`GroupCommit`): every idempotent request claims its key before the handler and completes
 * it after, two commits each. Claims that arrive while the store's statements are busy go out together as
 * one multi-row INSERT … ON CONFLICT, completions as one UPDATE … FROM unnest, so N concurrent requests
 * cost two commits, not 2N; a lone request goes at the next turn of the event loop, alone, as before. Each
 * caller still learns its own outcome (its lock token came back, or its row was updated), and a batch that
 * fails runs again row by row, so only the failing request fails. Renewing, releasing and pruning are rare
 * and stay single statements.
 */
export class IdempotencyStore {
  private readonly logger = new Logger('Idempotency');
  private readonly claims: GroupCommit<Claim, boolean>;
  private readonly completions: GroupCommit<Completion, boolean>;

  constructor(
    readonly dataSource: DataSource,
    private readonly options: IdempotencyStoreOptions,
  ) {
    const grouping = { batchMax: options.batchMax ?? 1, flushes: options.flushes ?? 1 };
    this.claims = new GroupCommit<Claim, boolean>(
      {
        batch: (claims) => this.claimTogether(claims),
        alone: async (claim) => (await this.claimTogether([claim]))[0]!,
        // A key whose claim failed alone keeps out of batches until one succeeds (the client retries with it).
        keyOf: (claim) => keyOf(claim.scope),
        onBatchFailed: (error, claims) => this.batchFailed('claim', error, claims.length),
      },
      grouping,
    );
    this.completions = new GroupCommit<Completion, boolean>(
      {
        batch: (completions) => this.completeTogether(completions),
        alone: async (completion) => (await this.completeTogether([completion]))[0]!,
        onBatchFailed: (error, completions) => this.batchFailed('complete', error, completions.length),
      },
      grouping,
    );
  }

  get leaseMs(): number {
    return this.options.leaseMs;
  }

  async claim(scope: IdempotencyScope, fingerprint: string): Promise<ClaimOutcome> {
    // A key freed between our INSERT and SELECT (its request failed) is simply claimed on the next turn.
    for (let attempt = 0; attempt < 3; attempt++) {
      const lock = randomUUID();
      if (await this.claims.submit({ scope, fingerprint, lock })) return { kind: 'claimed', lock };
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
  complete(scope: IdempotencyScope, lock: string, response: StoredResponse): Promise<boolean> {
    return this.completions.submit({ scope, lock, response });
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

  /**
   * The batch's claims in one statement, each key once: a second claim of a key in the same batch is answered
   * as if it had lost the race to the first (its caller reads the row: in use, or a replay, or reused).
   */
  private async claimTogether(claims: Claim[]): Promise<boolean[]> {
    const firsts = new Map<string, Claim>();
    for (const claim of claims) if (!firsts.has(keyOf(claim.scope))) firsts.set(keyOf(claim.scope), claim);
    const rows = [...firsts.values()];
    const claimed: { lock_token: string }[] = await this.dataSource.query(CLAIM, [
      rows.map((claim) => claim.scope.userId),
      rows.map((claim) => claim.scope.route),
      rows.map((claim) => claim.scope.key),
      rows.map((claim) => claim.fingerprint),
      rows.map((claim) => claim.lock),
      this.options.leaseMs,
      this.options.retentionHours,
    ]);
    const ours = new Set(claimed.map((row) => row.lock_token));
    return claims.map((claim) => ours.has(claim.lock));
  }

  private async completeTogether(completions: Completion[]): Promise<boolean[]> {
    const completed: { token: string }[] = await this.dataSource.query(COMPLETE, [
      completions.map((c) => c.scope.userId),
      completions.map((c) => c.scope.route),
      completions.map((c) => c.scope.key),
      completions.map((c) => c.lock),
      completions.map((c) => c.response.status),
      completions.map((c) => JSON.stringify(c.response.headers)),
      completions.map((c) => c.response.body),
      this.options.retentionHours,
    ]);
    const done = new Set(completed.map((row) => row.token));
    return completions.map((c) => done.has(c.lock));
  }

  private batchFailed(statement: 'claim' | 'complete', error: unknown, requests: number): void {
    this.logger.warn(
      { event: `idempotency.${statement}-batch-failed`, requests, err: (error as Error).message },
      'idempotency batch failed; its requests run one by one',
    );
  }

  private pk(scope: IdempotencyScope): [string, string, string] {
    return [scope.userId, scope.route, scope.key];
  }
}

/** A key's identity in this process: the primary key as one string. */
function keyOf(scope: IdempotencyScope): string {
  return JSON.stringify([scope.userId, scope.route, scope.key]);
}
