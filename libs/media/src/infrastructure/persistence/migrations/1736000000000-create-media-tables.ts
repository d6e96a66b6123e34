import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateMediaTables1736000000000 implements MigrationInterface {
  name = 'CreateMediaTables1736000000000';

  async up(q: QueryRunner): Promise<void> {
    // variants holds each rendition's storage key, size, pixel size and ETag once READY. upload_key is
    // unique: one upload becomes one asset, whoever registers it and however often.
    await q.query(`CREATE TABLE media.assets (
      id uuid PRIMARY KEY,
      owner_id uuid NOT NULL,
      status text NOT NULL CHECK (status IN ('PROCESSING', 'READY', 'FAILED')),
      content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
      size integer NOT NULL CHECK (size > 0),
      upload_key text NOT NULL CONSTRAINT assets_upload_key_key UNIQUE,
      variants jsonb,
      failure_reason text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      CHECK ((status = 'READY') = (variants IS NOT NULL))
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE media.assets');
  }
}
