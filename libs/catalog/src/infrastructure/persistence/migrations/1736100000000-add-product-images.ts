import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Product images: catalog keeps what it learned from `media.asset-ready.v1` (ready media and their
 * public URL) and copies the URL onto the product showing it, so a product read never asks media.
 */
export class AddProductImages1736100000000 implements MigrationInterface {
  name = 'AddProductImages1736100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE catalog.ready_media (
      media_id uuid PRIMARY KEY,
      url text NOT NULL CHECK (length(url) <= 2048),
      ready_at timestamptz NOT NULL
    )`);
    await q.query('ALTER TABLE catalog.products ADD COLUMN image_url text');
    await q.query(
      'CREATE INDEX products_image_media_idx ON catalog.products (image_media_id) WHERE image_media_id IS NOT NULL',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX catalog.products_image_media_idx');
    await q.query('ALTER TABLE catalog.products DROP COLUMN image_url');
    await q.query('DROP TABLE catalog.ready_media');
  }
}
