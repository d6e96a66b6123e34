import type { PendingEvent } from '@ficus/platform';
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
  /** The public URL of the product's image once its media is READY; null (or absent) while there is none. */
  imageUrl?: string | null;
}

/**
 * Product images as catalog knows them: media ids it heard are READY (`media.asset-ready.v1`) with their
 * URL, copied onto the products that show them. Never a call to media at read time.
 */
export interface ProductImages {
  /** Remembers a ready media and shows it on every product given it; answers how many products changed. */
  recordReady(tx: Tx, mediaId: string, url: string, now: Date): Promise<number>;
  /** Sets the product's image URL from its media id (null while that media is not known READY). */
  syncImageUrl(tx: Tx, productId: string): Promise<string | null>;
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
  /**
   * Decides a one-line order's reservation in one statement (stock, decision, `catalog.stock-reserved.v1`
   * when reserved): the decision made, or `null` when the order had one already (nothing changed).
   */
  decideOneLine(
    orderId: string,
    line: StockLine,
    now: Date,
    announce: { correlationId: string; event: PendingEvent<unknown> },
  ): Promise<OrderReservation | null>;
  /** The order's stock decision as committed, if any. */
  find(orderId: string): Promise<OrderReservation | null>;
  /**
   * Starts deciding the order's reservation: `null` when nothing was decided yet (this transaction now
   * holds the order until it ends), else the decision made before (locked). Every reserve and release of
   * one order is serialized this way.
   */
  claim(tx: Tx, orderId: string, now: Date): Promise<OrderReservation | null>;
  /**
   * The same for a release: `null` when nothing was decided yet, and a `RELEASED` marker now stands in its
   * place (a late reservation is refused); else the decision made before (locked).
   */
  claimRelease(tx: Tx, orderId: string, now: Date): Promise<OrderReservation | null>;
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
