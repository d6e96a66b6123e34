import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIdentityTables1732000000000 implements MigrationInterface {
  name = 'CreateIdentityTables1732000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE identity.users (
      id uuid PRIMARY KEY,
      email text NOT NULL CONSTRAINT users_email_key UNIQUE CHECK (email = lower(email)),
      name text NOT NULL,
      password_hash text NOT NULL,
      roles text[] NOT NULL DEFAULT '{customer}',
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE TABLE identity.token_families (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz
    )`);
    await q.query(`CREATE INDEX token_families_user_idx ON identity.token_families (user_id)`);
    await q.query(`CREATE TABLE identity.refresh_tokens (
      id uuid PRIMARY KEY,
      family_id uuid NOT NULL REFERENCES identity.token_families (id) ON DELETE CASCADE,
      token_hash text NOT NULL CONSTRAINT refresh_tokens_hash_key UNIQUE,
      spent_at timestamptz
    )`);
    await q.query(`CREATE INDEX refresh_tokens_family_idx ON identity.refresh_tokens (family_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE identity.refresh_tokens`);
    await q.query(`DROP TABLE identity.token_families`);
    await q.query(`DROP TABLE identity.users`);
  }
}
