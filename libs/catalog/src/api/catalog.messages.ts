import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmpty,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  CatalogLimits as L,
  type CreateCategoryRequest,
  type CreateProductRequest,
  type GetProductConditionalRequest,
  type GetProductRequest,
  type ImportedProduct,
  type ImportProductsRequest,
  type ListProductsRequest,
  PRODUCT_SORTS,
  type ProductSort,
  type ReleaseStockRequest,
  type ReserveStockRequest,
  SKU_PATTERN,
  SLUG_PATTERN,
  type StockLine,
  type UpdateProductRequest,
} from '@ficus/contracts';

// Catalog checks each contract payload again at its own edge (any process may call it once it is
// extracted). These are shape checks with an upper bound on every string and number; the domain owns the
// rules (trimmed lengths, ISO 4217, SKU case).

/** Optional, but `null` is not a value: only absence means "leave as it is". */
const Omittable = () => ValidateIf((_object, value) => value !== undefined);

/** A pattern without arguments still refuses unknown fields (class-validator needs one known property). */
export class NoArgumentsMessage {
  @IsOptional() @IsEmpty() readonly none?: never;
}

export class ListProductsMessage implements ListProductsRequest {
  @IsOptional() @IsString() @MaxLength(L.queryMaxLength * 4) q?: string;
  @IsOptional() @IsString() @MaxLength(L.slugMaxLength) category?: string;
  @IsOptional() @IsInt() @Min(0) @Max(L.maxPriceCents) minPrice?: number;
  @IsOptional() @IsInt() @Min(0) @Max(L.maxPriceCents) maxPrice?: number;
  @IsOptional() @IsIn(PRODUCT_SORTS) sort?: ProductSort;
  @IsOptional() @IsInt() @Min(1) @Max(L.maxPageSize) limit?: number;
  @IsOptional() @IsString() @MaxLength(L.cursorMaxLength) cursor?: string;
}

export class GetProductMessage implements GetProductRequest {
  @IsUUID() productId: string;
}

export class GetProductConditionalMessage extends GetProductMessage implements GetProductConditionalRequest {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(16)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  ifNoneMatch?: string[];
}

export class CreateCategoryMessage implements CreateCategoryRequest {
  @IsString() @MaxLength(L.slugMaxLength) @Matches(SLUG_PATTERN) slug: string;
  @IsString() @MaxLength(L.categoryNameMaxLength * 2) name: string;
}

export class CreateProductMessage implements CreateProductRequest {
  @IsString() @MaxLength(L.skuMaxLength * 2) @Matches(SKU_PATTERN) sku: string;
  @IsString() @MaxLength(L.productNameMaxLength * 2) name: string;
  @IsString() @MaxLength(L.descriptionMaxLength * 2) description: string;
  @IsInt() @Min(0) @Max(L.maxPriceCents) priceCents: number;
  @IsString() @MaxLength(3) currency: string;
  @IsString() @MaxLength(L.slugMaxLength) @Matches(SLUG_PATTERN) categorySlug: string;
  @IsInt() @Min(0) @Max(L.maxStock) stock: number;
  @IsOptional() @IsUUID() imageMediaId?: string | null;
}

export class UpdateProductMessage implements UpdateProductRequest {
  @IsUUID() productId: string;
  @Omittable() @IsString() @MaxLength(L.skuMaxLength * 2) @Matches(SKU_PATTERN) sku?: string;
  @Omittable() @IsString() @MaxLength(L.productNameMaxLength * 2) name?: string;
  @Omittable() @IsString() @MaxLength(L.descriptionMaxLength * 2) description?: string;
  @Omittable() @IsInt() @Min(0) @Max(L.maxPriceCents) priceCents?: number;
  @Omittable() @IsString() @MaxLength(3) currency?: string;
  @Omittable() @IsString() @MaxLength(L.slugMaxLength) @Matches(SLUG_PATTERN) categorySlug?: string;
  @Omittable() @IsInt() @Min(0) @Max(L.maxStock) stock?: number;
  @IsOptional() @IsUUID() imageMediaId?: string | null;
}

export class StockLineMessage implements StockLine {
  @IsUUID() productId: string;
  @IsInt() @Min(1) @Max(L.maxLineQuantity) quantity: number;
}

export class ReserveStockMessage implements ReserveStockRequest {
  @IsUUID() orderId: string;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(L.maxReservationLines)
  @ValidateNested({ each: true })
  @Type(() => StockLineMessage)
  lines: StockLineMessage[];
}

export class ReleaseStockMessage implements ReleaseStockRequest {
  @IsUUID() orderId: string;
}

export class ImportedProductMessage implements ImportedProduct {
  @IsString() @MaxLength(L.skuMaxLength * 2) @Matches(SKU_PATTERN) sku: string;
  @IsString() @MaxLength(L.productNameMaxLength * 2) name: string;
  @IsString() @MaxLength(L.descriptionMaxLength * 2) description: string;
  @IsInt() @Min(0) @Max(L.maxPriceCents) priceCents: number;
  @IsString() @MaxLength(3) currency: string;
  @IsString() @MaxLength(L.slugMaxLength) @Matches(SLUG_PATTERN) categorySlug: string;
  @IsInt() @Min(0) @Max(L.maxStock) stock: number;
}

export class ImportProductsMessage implements ImportProductsRequest {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(L.maxImportBatch)
  @ValidateNested({ each: true })
  @Type(() => ImportedProductMessage)
  products: ImportedProductMessage[];
}
