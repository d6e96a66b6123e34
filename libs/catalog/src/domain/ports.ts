import type { Category, CategoryProps } from './category.aggregate.js';
import type { CursorKey } from './listing/product-cursor.value-object.js';
import type { ProductListing } from './listing/product-listing.js';
import type { Product, ProductProps } from './product.aggregate.js';
import type { OrderReservation, ReservationFailure, StockLine } from './stock/order-reservation.js';

/** An open transaction, opaque to the domain; repositories know what it really is. */
export interface Tx {
  readonly __tx: unique symbol;
}

export interface TransactionRunner {
  run<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}

/** A product with the category it is listed in: what every read answers. */
export interface ProductRecord {
  product: Readonly<ProductProps>;
  category: Readonly<CategoryProps>;
}

export interface VersionedProductRecord {
  record: ProductRecord;
  /** Opaque; equal versions mean equal views. */
  version: string;
}

export interface CategoryRepository {
  /** Throws `SlugTaken` when the slug is in use. */
  insert(tx: Tx, category: Category): Promise<void>;
  findBySlug(slug: string, tx?: Tx): Promise<Category | null>;
  findById(id: string, tx?: Tx): Promise<Category | null>;
  /** Of the given slugs, the ones that exist, with their ids. */
  idsBySlug(slugs: string[]): Promise<Map<string, string>>;
  listAll(): Promise<Category[]>;
}

export interface ProductRepository {
  /** Throws `SkuTaken` when the SKU is in use. */
  insert(tx: Tx, product: Product): Promise<void>;
  /** Throws `SkuTaken` when the new SKU is in use. */
  update(tx: Tx, product: Product): Promise<void>;
  /** Locks the row for the rest of the transaction. */
  findByIdForUpdate(tx: Tx, id: string): Promise<Product | null>;
  /** Bulk insert; rows whose SKU exists already are skipped. Returns how many were inserted. */
  insertManySkippingExisting(products: Product[]): Promise<number>;
}

/** The read side: listings and single products with their category, straight from SQL. */
export interface ProductReader {
  findById(id: string): Promise<ProductRecord | null>;
  /** The product with its version: changes with every committed write to the product's or its category's row. */
  findVersionedById(id: string): Promise<VersionedProductRecord | null>;
  /** One page, plus the key of its last row when there may be more. */
  list(listing: ProductListing): Promise<{ records: ProductRecord[]; next: CursorKey | null }>;
}

/** Where stock moves: conditional updates of product rows plus the per-order reservation record. */
export interface StockLedger {
  /** Serializes every reserve/release of one order until the transaction ends. */
  lockOrder(tx: Tx, orderId: string): Promise<void>;
  findReservation(tx: Tx, orderId: string): Promise<OrderReservation | null>;
  /**
   * Takes every line from stock (`stock >= quantity` checked per row, rows locked in the given order), or
   * none: on the first line that cannot be served, everything taken so far is put back.
   */
  take(tx: Tx, lines: StockLine[]): Promise<ReservationFailure | null>;
  /** Puts lines back on sale. */
  giveBack(tx: Tx, lines: StockLine[]): Promise<void>;
  /** Inserts or updates the reservation record (and its lines). */
  save(tx: Tx, reservation: OrderReservation): Promise<void>;
}
