import { ApiProperty } from '@nestjs/swagger';
import type { CategoryList, CategoryView, ProductPage, ProductView } from '@ficus/contracts';

export class CategoryResponseDto implements CategoryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'audio' }) slug: string;
  @ApiProperty({ example: 'Audio' }) name: string;
}

export class CategoryListResponseDto implements CategoryList {
  @ApiProperty({ type: [CategoryResponseDto] }) items: CategoryResponseDto[];
}

export class ProductResponseDto implements ProductView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'HP-100-BLK' }) sku: string;
  @ApiProperty({ example: 'Studio Headphones' }) name: string;
  @ApiProperty({ example: 'Closed-back, 40 mm drivers.' }) description: string;
  @ApiProperty({ example: 9900, type: 'integer', description: 'Minor units (cents)' }) priceCents: number;
  @ApiProperty({ example: 'EUR', description: 'ISO 4217' }) currency: string;
  @ApiProperty({ type: CategoryResponseDto }) category: CategoryResponseDto;
  @ApiProperty({ example: 25, type: 'integer' }) stock: number;
  @ApiProperty({ type: String, nullable: true, example: null }) imageUrl: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ProductPageResponseDto implements ProductPage {
  @ApiProperty({ type: [ProductResponseDto] }) items: ProductResponseDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as ?cursor= for the next page; null on the last' })
  nextCursor: string | null;
}
