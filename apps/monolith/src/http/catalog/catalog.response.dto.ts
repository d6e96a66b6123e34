import {
  type CategoryList,
  type CategoryView,
  CatalogLimits as L,
  type ProductPage,
  type ProductView,
  SKU_PATTERN,
  SLUG_PATTERN,
} from '@ficus/contracts';
import { ApiInteger, ApiList, ApiText, ApiTimestamp, ApiUuid } from '../docs/api-fields.decorator.js';
import { ApiProperty } from '@ficus/platform';

// The bounds are those the create/update requests enforce (CatalogLimits), so every stored value fits.

export class CategoryResponseDto implements CategoryView {
  @ApiUuid() id: string;
  @ApiText(L.slugMaxLength, { pattern: SLUG_PATTERN.source, example: 'audio' }) slug: string;
  @ApiText(L.categoryNameMaxLength, { minLength: 1, example: 'Audio' }) name: string;
}

export class CategoryListResponseDto implements CategoryList {
  // Every category, unpaginated (API.md): an admin-curated list with no cap, hence no maxItems.
  @ApiProperty({ type: [CategoryResponseDto], description: 'All categories, by name' }) items: CategoryResponseDto[];
}

export class ProductResponseDto implements ProductView {
  @ApiUuid() id: string;
  @ApiText(L.skuMaxLength, { pattern: SKU_PATTERN.source, example: 'HP-100-BLK', description: 'Upper-case' })
  sku: string;
  @ApiText(L.productNameMaxLength, { minLength: 1, example: 'Studio Headphones' }) name: string;
  @ApiText(L.descriptionMaxLength, { example: 'Closed-back, 40 mm drivers.' }) description: string;
  @ApiInteger(0, L.maxPriceCents, { example: 9900, description: 'Minor units (cents)' }) priceCents: number;
  @ApiText(3, { minLength: 3, pattern: '^[A-Z]{3}$', example: 'EUR', description: 'ISO 4217' }) currency: string;
  @ApiProperty({ type: CategoryResponseDto }) category: CategoryResponseDto;
  @ApiInteger(0, L.maxStock, { example: 25 }) stock: number;
  @ApiText(2048, { format: 'uri-reference', nullable: true, example: null, description: 'null while there is none' })
  imageUrl: string | null;
  @ApiTimestamp() createdAt: string;
  @ApiTimestamp() updatedAt: string;
}

export class ProductPageResponseDto implements ProductPage {
  @ApiList(ProductResponseDto, L.maxPageSize) items: ProductResponseDto[];
  @ApiText(L.cursorMaxLength, {
    nullable: true,
    pattern: '^[A-Za-z0-9_-]+$',
    description: 'Pass as ?cursor= for the next page; null on the last',
  })
  nextCursor: string | null;
}
