import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per (user, route, key). `in_progress` rows are the in-flight lock: `lock_token` names the request
 * holding it and `locked_until` is its lease (renewed while the request runs), so a key held by a process
 * that died is taken over once the lease has passed. `completed` rows keep what is replayed: status, the
 * headers that matter and the body exactly as serialized. Rows past `expires_at` are as good as absent and
 * are pruned by a scheduled job.
 */
export class CreateIdempotencyKeys1780000000000 implements MigrationInterface {
  name = 'CreateIdempotencyKeys1780000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE idempotency.keys (
      user_id text NOT NULL,
      route text NOT NULL,
      idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
      fingerprint text NOT NULL,
      state text NOT NULL CHECK (state IN ('in_progress', 'completed')),
      lock_token uuid,
      locked_until timestamptz,
      response_status smallint,
      response_headers jsonb,
      response_body text,
      created_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (user_id, route, idempotency_key),
      CHECK ((state = 'in_progress') = (lock_token IS NOT NULL AND locked_until IS NOT NULL)),
      CHECK ((state = 'completed') = (response_status IS NOT NULL AND completed_at IS NOT NULL))
    )`);
    await q.query(`CREATE INDEX keys_expires_at_idx ON idempotency.keys (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency.keys`);
  }
}
