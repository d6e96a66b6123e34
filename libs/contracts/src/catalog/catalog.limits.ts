/**
 * Bounds of catalog fields, shared by the facade's DTOs and catalog's own message checks so both edges
 * refuse the same input.
 */
export const CatalogLimits = {
  slugMaxLength: 64,
  categoryNameMaxLength: 100,
  skuMaxLength: 64,
  productNameMaxLength: 200,
  descriptionMaxLength: 5000,
  /** Minor units; Postgres `integer`. */
  maxPriceCents: 2_147_483_647,
  maxStock: 2_147_483_647,
  /** Longer search strings are refused: they match nothing more and cost more to rank. */
  queryMaxLength: 100,
  cursorMaxLength: 512,
  defaultPageSize: 20,
  maxPageSize: 100,
  /** Lines per stock reservation (one order). */
  maxReservationLines: 100,
  maxLineQuantity: 10_000,
  /** Products per `catalog.import-products.v1` call. */
  maxImportBatch: 1000,
} as const;

/** Sorts `catalog.list-products.v1` understands; `relevance` needs a search string. */
export const PRODUCT_SORTS = ['relevance', 'newest', 'price_asc', 'price_desc'] as const;

/** One of `PRODUCT_SORTS`. */
export type ProductSort = (typeof PRODUCT_SORTS)[number];

/** Lower-case words and digits joined by single hyphens, e.g. `home-audio`. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Letters, digits, `-`, `_` and `.`, starting with a letter or digit; compared upper-cased. */
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
