import {
  IsIn,
  IsInt,
  IsISO4217CurrencyCode,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import {
  CatalogLimits as L,
  type CreateCategoryRequest,
  type CreateProductRequest,
  type ListProductsRequest,
  PRODUCT_SORTS,
  type ProductSort,
  SKU_PATTERN,
  SLUG_PATTERN,
} from '@ficus/contracts';
import { KeysetPageQuery, QueryInt } from '../pagination.dto.js';
import { ApiProperty, ApiPropertyOptional } from '@ficus/platform';

/** May be left out, but not sent as `null`: absence alone means "leave as it is". */
const Omittable = () => ValidateIf((_object, value) => value !== undefined);

const SLUG_MESSAGE = { message: '$property must be lower-case letters and digits joined by single hyphens' };
const SKU_MESSAGE = { message: 'sku may hold letters, digits, ".", "_" and "-", starting with a letter or digit' };
const CURRENCY_MESSAGE = { message: 'currency must be an ISO 4217 code such as EUR' };
/** Upper-case only, as the catalog stores it (IsISO4217CurrencyCode alone would let `eur` through to a domain 400). */
const CURRENCY_PATTERN = /^[A-Z]{3}$/;
const CURRENCY_CASE_MESSAGE = { message: 'currency must be three upper-case letters' };

export class ListProductsQueryDto extends KeysetPageQuery(L) implements ListProductsRequest {
  @ApiPropertyOptional({ description: 'Full-text search on name and description, typo-tolerant' })
  @IsOptional()
  @IsString()
  @MaxLength(L.queryMaxLength)
  q?: string;

  @ApiPropertyOptional({ description: 'Category slug', example: 'audio' })
  @IsOptional()
  @IsString()
  @MaxLength(L.slugMaxLength)
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  category?: string;

  @ApiPropertyOptional({ description: 'Inclusive lower bound, minor units' })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(0)
  @Max(L.maxPriceCents)
  minPrice?: number;

  @ApiPropertyOptional({ description: 'Inclusive upper bound, minor units' })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(0)
  @Max(L.maxPriceCents)
  maxPrice?: number;

  @ApiPropertyOptional({ description: 'Default: relevance with q, newest without' })
  @IsOptional()
  @IsIn(PRODUCT_SORTS)
  sort?: ProductSort;
}

export class ProductIdParamsDto {
  @ApiProperty({ description: 'Product id' })
  @IsUUID()
  id: string;
}

export class CreateCategoryRequestDto implements CreateCategoryRequest {
  @ApiProperty({ example: 'home-audio', description: 'Lower-case words and digits joined by hyphens' })
  @IsString()
  @MaxLength(L.slugMaxLength)
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  slug: string;

  @ApiProperty({ example: 'Home audio' })
  @IsString()
  @MinLength(1)
  @MaxLength(L.categoryNameMaxLength)
  name: string;
}

export class CreateProductRequestDto implements CreateProductRequest {
  @ApiProperty({ example: 'HP-100-BLK', description: 'Unique, case-insensitive (stored upper-case)' })
  @IsString()
  @MaxLength(L.skuMaxLength)
  @Matches(SKU_PATTERN, SKU_MESSAGE)
  sku: string;

  @ApiProperty({ example: 'Studio Headphones' })
  @IsString()
  @MinLength(1)
  @MaxLength(L.productNameMaxLength)
  name: string;

  @ApiProperty({ example: 'Closed-back, 40 mm drivers.' })
  @IsString()
  @MaxLength(L.descriptionMaxLength)
  description: string;

  @ApiProperty({ example: 9900, description: 'Minor units (cents)' })
  @IsInt()
  @Min(0)
  @Max(L.maxPriceCents)
  priceCents: number;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217, upper-case' })
  @IsString()
  @Matches(CURRENCY_PATTERN, CURRENCY_CASE_MESSAGE)
  @IsISO4217CurrencyCode(CURRENCY_MESSAGE)
  currency: string;

  @ApiProperty({ example: 'audio', description: 'Slug of an existing category' })
  @IsString()
  @MaxLength(L.slugMaxLength)
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  categorySlug: string;

  @ApiProperty({ example: 25 })
  @IsInt()
  @Min(0)
  @Max(L.maxStock)
  stock: number;

  @ApiPropertyOptional({ nullable: true, description: 'Media asset of the product image' })
  @IsOptional()
  @IsUUID()
  imageMediaId?: string | null;
}

/** Any subset of the create fields; `imageMediaId: null` removes the image. */
export class UpdateProductRequestDto implements Partial<CreateProductRequest> {
  @ApiPropertyOptional({ example: 'HP-100-BLK' })
  @Omittable()
  @IsString()
  @MaxLength(L.skuMaxLength)
  @Matches(SKU_PATTERN, SKU_MESSAGE)
  sku?: string;

  @ApiPropertyOptional({ example: 'Studio Headphones II' })
  @Omittable()
  @IsString()
  @MinLength(1)
  @MaxLength(L.productNameMaxLength)
  name?: string;

  @ApiPropertyOptional({ example: 'Closed-back, 50 mm drivers.' })
  @Omittable()
  @IsString()
  @MaxLength(L.descriptionMaxLength)
  description?: string;

  @ApiPropertyOptional({ example: 8900, description: 'Minor units (cents)' })
  @Omittable()
  @IsInt()
  @Min(0)
  @Max(L.maxPriceCents)
  priceCents?: number;

  @ApiPropertyOptional({ example: 'EUR', description: 'ISO 4217, upper-case' })
  @Omittable()
  @IsString()
  @Matches(CURRENCY_PATTERN, CURRENCY_CASE_MESSAGE)
  @IsISO4217CurrencyCode(CURRENCY_MESSAGE)
  currency?: string;

  @ApiPropertyOptional({ example: 'audio', description: 'Slug of an existing category' })
  @Omittable()
  @IsString()
  @MaxLength(L.slugMaxLength)
  @Matches(SLUG_PATTERN, SLUG_MESSAGE)
  categorySlug?: string;

  @ApiPropertyOptional({ example: 40 })
  @Omittable()
  @IsInt()
  @Min(0)
  @Max(L.maxStock)
  stock?: number;

  @ApiPropertyOptional({ nullable: true, description: 'Media asset of the product image; null removes it' })
  @IsOptional()
  @IsUUID()
  imageMediaId?: string | null;
}
