import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Categories, products and stock reservations. Search: a generated tsvector (name weighted A, description
 * B) with a GIN index for full-text queries, and a trigram GIN index on the name for typo tolerance. Both keep
 * GIN's fast-update pending list (cheap inserts); bulk imports merge it right away (see the repository).
 * pg_trgm lives in schema `public` (db:setup creates it; only a superuser may), and this role's search path
 * is `catalog` alone, so its operator class, functions and operators are always named `public.…`.
 */
export class CreateCatalogTables1733000000000 implements MigrationInterface {
  name = 'CreateCatalogTables1733000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE catalog.categories (
      id uuid PRIMARY KEY,
      slug text NOT NULL CONSTRAINT categories_slug_key UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100)
    )`);
    // created_at keeps milliseconds only: the newest-first cursor carries it as an exact ISO string.
    await q.query(`CREATE TABLE catalog.products (
      id uuid PRIMARY KEY,
      sku text NOT NULL CONSTRAINT products_sku_key UNIQUE CHECK (sku = upper(sku) AND length(sku) BETWEEN 1 AND 64),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
      price_cents integer NOT NULL CONSTRAINT products_price_non_negative CHECK (price_cents >= 0),
      currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
      category_id uuid NOT NULL REFERENCES catalog.categories (id),
      stock integer NOT NULL CONSTRAINT products_stock_non_negative CHECK (stock >= 0),
      image_media_id uuid,
      created_at timestamptz(3) NOT NULL,
      updated_at timestamptz(3) NOT NULL,
      search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, name), 'A') ||
        setweight(to_tsvector('english'::regconfig, description), 'B')
      ) STORED
    )`);
    await q.query(`CREATE INDEX products_newest_idx ON catalog.products (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX products_price_idx ON catalog.products (price_cents, id)`);
    await q.query(
      `CREATE INDEX products_category_newest_idx ON catalog.products (category_id, created_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX products_search_idx ON catalog.products USING gin (search)`);
    await q.query(`CREATE INDEX products_name_trgm_idx ON catalog.products USING gin (name public.gin_trgm_ops)`);
    // One row per order whose stock was decided: the idempotency record of reserve/release.
    await q.query(`CREATE TABLE catalog.reservation_outcomes (
      order_id uuid PRIMARY KEY,
      status text NOT NULL CHECK (status IN ('RESERVED', 'REJECTED', 'RELEASED')),
      failure_code text CHECK (failure_code IN ('INSUFFICIENT_STOCK', 'PRODUCT_NOT_FOUND')),
      failure_product_id uuid,
      decided_at timestamptz NOT NULL,
      released_at timestamptz,
      CHECK ((status = 'REJECTED') = (failure_code IS NOT NULL))
    )`);
    await q.query(`CREATE TABLE catalog.stock_reservations (
      order_id uuid NOT NULL REFERENCES catalog.reservation_outcomes (order_id) ON DELETE CASCADE,
      product_id uuid NOT NULL REFERENCES catalog.products (id),
      quantity integer NOT NULL CHECK (quantity > 0),
      released_at timestamptz,
      PRIMARY KEY (order_id, product_id)
    )`);
    await q.query(`CREATE INDEX stock_reservations_product_idx ON catalog.stock_reservations (product_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE catalog.stock_reservations`);
    await q.query(`DROP TABLE catalog.reservation_outcomes`);
    await q.query(`DROP TABLE catalog.products`);
    await q.query(`DROP TABLE catalog.categories`);
  }
}
