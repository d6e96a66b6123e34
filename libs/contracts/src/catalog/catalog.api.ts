import type { CallMeta } from '../messaging/call-meta.js';
import type { ConditionalRead } from '../messaging/conditional-read.js';
import type {
  CategoryList,
  CategoryView,
  CreateCategoryRequest,
  CreateProductRequest,
  GetProductConditionalRequest,
  GetProductRequest,
  ImportProductsRequest,
  ImportProductsResult,
  ListCategoriesRequest,
  ListProductsRequest,
  ProductPage,
  ProductView,
  ReleaseStockRequest,
  ReserveStockRequest,
  StockReleaseView,
  StockReservationView,
  UpdateProductRequest,
} from './catalog.types.js';

/** Catalog's public API. The facade and other contexts inject it by `CATALOG_API`, in-process or over Redis. */
export interface CatalogApi {
  /** Every category, ordered by name. */
  listCategories(data: ListCategoriesRequest, meta: CallMeta): Promise<CategoryList>;
  /** Create a category. Fails with `SLUG_TAKEN`. */
  createCategory(data: CreateCategoryRequest, meta: CallMeta): Promise<CategoryView>;
  /** Filter, search, sort and page products. Fails with `INVALID_CURSOR` or `VALIDATION_FAILED`. */
  listProducts(data: ListProductsRequest, meta: CallMeta): Promise<ProductPage>;
  /** Fetch one product. Fails with `PRODUCT_NOT_FOUND`. */
  getProduct(data: GetProductRequest, meta: CallMeta): Promise<ProductView>;
  /** Fetch one product with its version, or only the version when the caller has it. Fails with `PRODUCT_NOT_FOUND`. */
  getProductConditional(data: GetProductConditionalRequest, meta: CallMeta): Promise<ConditionalRead<ProductView>>;
  /** Create a product. Fails with `SKU_TAKEN` or `UNKNOWN_CATEGORY`. */
  createProduct(data: CreateProductRequest, meta: CallMeta): Promise<ProductView>;
  /** Change a product; a new name or price publishes `catalog.product-updated.v1`. */
  updateProduct(data: UpdateProductRequest, meta: CallMeta): Promise<ProductView>;
  /**
   * Reserve all lines of an order atomically, or none. The first call decides: repeating it returns the
   * same reservation (or the same error) without touching stock again. Fails with `INSUFFICIENT_STOCK`,
   * `PRODUCT_NOT_FOUND`, `RESERVATION_RELEASED` (released before it was made) or `RESERVATION_MISMATCH`
   * (the order id was reserved with other lines).
   */
  reserveStock(data: ReserveStockRequest, meta: CallMeta): Promise<StockReservationView>;
  /** Give an order's stock back; idempotent, and a later reserve of the same order is refused. */
  releaseStock(data: ReleaseStockRequest, meta: CallMeta): Promise<StockReleaseView>;
  /** Bulk insert for operator tooling (seed); existing SKUs are skipped. Fails with `UNKNOWN_CATEGORY`. */
  importProducts(data: ImportProductsRequest, meta: CallMeta): Promise<ImportProductsResult>;
}

/** Injection token for `CatalogApi`. */
export const CATALOG_API = Symbol.for('ficus.CatalogApi');
