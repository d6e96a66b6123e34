import type { ConditionalReadRequest } from '../messaging/conditional-read.js';
import type { ProductSort } from './catalog.limits.js';

/** A product category. */
export interface CategoryView {
  /** UUIDv7. */
  id: string;
  /** Stable, URL-safe name used in filters, e.g. `home-audio`. */
  slug: string;
  /** Display name. */
  name: string;
}

/** A product as clients and other contexts see it. Money is integer minor units plus ISO 4217 currency. */
export interface ProductView {
  /** UUIDv7. */
  id: string;
  /** Stock-keeping unit, unique, upper-cased. */
  sku: string;
  /** Display name. */
  name: string;
  /** Plain-text description (may be empty). */
  description: string;
  /** Price in minor units (cents). */
  priceCents: number;
  /** ISO 4217 code, e.g. `EUR`. */
  currency: string;
  /** The category the product is listed in. */
  category: CategoryView;
  /** Units available to order now (reserved units are already deducted). */
  stock: number;
  /** URL of the product image; `null` until media is wired in. */
  imageUrl: string | null;
  /** ISO 8601 UTC. */
  createdAt: string;
  /** ISO 8601 UTC of the last catalog edit (stock movements do not count). */
  updatedAt: string;
}

/** List every category (no arguments). */
export type ListCategoriesRequest = Record<string, never>;

/** Every category, ordered by name. */
export interface CategoryList {
  /** The categories. */
  items: CategoryView[];
}

/** Filters, sort and page of a product listing; every field is optional. */
export interface ListProductsRequest {
  /** Full-text search on name and description, typo-tolerant on the name. */
  q?: string;
  /** Category slug. */
  category?: string;
  /** Inclusive lower price bound, minor units. */
  minPrice?: number;
  /** Inclusive upper price bound, minor units. */
  maxPrice?: number;
  /** `relevance` (default with `q`), `newest` (default without), `price_asc`, `price_desc`. */
  sort?: ProductSort;
  /** Page size, 1–100, default 20. */
  limit?: number;
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor?: string;
}

/** One page of products. */
export interface ProductPage {
  /** The products of this page. */
  items: ProductView[];
  /** Pass as `cursor` to get the next page; `null` on the last page. */
  nextCursor: string | null;
}

/** Look a product up by id. */
export interface GetProductRequest {
  productId: string;
}

/** One product with its version; `value` is null when the version is one of `ifNoneMatch`. */
export interface GetProductConditionalRequest extends GetProductRequest, ConditionalReadRequest {}

/** Create a category (admin). */
export interface CreateCategoryRequest {
  slug: string;
  name: string;
}

/** Create a product (admin). */
export interface CreateProductRequest {
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  /** Slug of an existing category. */
  categorySlug: string;
  stock: number;
  /** Media asset id of the product image, when there is one. */
  imageMediaId?: string | null;
}

/** Change any subset of a product's fields (admin). */
export interface UpdateProductRequest {
  productId: string;
  sku?: string;
  name?: string;
  description?: string;
  priceCents?: number;
  currency?: string;
  categorySlug?: string;
  stock?: number;
  /** `null` removes the image. */
  imageMediaId?: string | null;
}

/** A quantity of one product. */
export interface StockLine {
  productId: string;
  /** Units, at least 1. */
  quantity: number;
}

/** Reserve every line of an order, or none. Idempotent per `orderId`. */
export interface ReserveStockRequest {
  /** The order the stock is held for; also the idempotency key. */
  orderId: string;
  /** One line per product (product ids unique). */
  lines: StockLine[];
}

/** Stock held for an order. */
export interface StockReservationView {
  orderId: string;
  /** Always `RESERVED`: a reservation that fails answers with an error instead. */
  status: 'RESERVED';
  /** The reserved lines, ordered by product id. */
  lines: StockLine[];
  /** ISO 8601 UTC. */
  reservedAt: string;
}

/** Give an order's reserved stock back. Idempotent; harmless when nothing was reserved. */
export interface ReleaseStockRequest {
  orderId: string;
}

/** What a release gave back. */
export interface StockReleaseView {
  orderId: string;
  /** Always `RELEASED`. */
  status: 'RELEASED';
  /** The lines returned to stock; empty when the order had nothing reserved. */
  lines: StockLine[];
  /** ISO 8601 UTC. */
  releasedAt: string;
}

/** One product of a bulk import (operator tooling: seed data, migrations from other systems). */
export type ImportedProduct = Omit<CreateProductRequest, 'imageMediaId'>;

/** Insert products in bulk; SKUs that exist already are skipped, so an import can be re-run. */
export interface ImportProductsRequest {
  /** Up to 1,000 products. */
  products: ImportedProduct[];
}

/** How an import went. */
export interface ImportProductsResult {
  /** Products created. */
  inserted: number;
  /** Products whose SKU existed already. */
  skipped: number;
}
