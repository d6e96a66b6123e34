import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { type OrderLineRequest, OrderingLimits as L } from '@ficus/contracts';

/** Query strings are text: whole numbers are converted, anything else stays text and fails `IsInt` (400). */
const QueryInt = () =>
  Transform(({ value }) => (typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value));

/** Lines are compared by product id, case-insensitively; non-objects are left to `ValidateNested`. */
const productIdOf = (line: unknown) =>
  typeof line === 'object' && line !== null ? String((line as { productId?: unknown }).productId).toLowerCase() : line;

export class OrderLineRequestDto implements OrderLineRequest {
  @ApiProperty({ description: 'Catalog product id' })
  @IsUUID()
  productId: string;

  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  @Max(L.maxQuantity)
  quantity: number;
}

export class PlaceOrderRequestDto {
  @ApiProperty({ type: [OrderLineRequestDto], description: 'One line per product (product ids unique)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(L.maxLines)
  @ArrayUnique(productIdOf, { message: 'each product may appear in one line only' })
  @ValidateNested({ each: true })
  @Type(() => OrderLineRequestDto)
  items: OrderLineRequestDto[];

  @ApiProperty({
    example: 'tok_ok',
    description: 'Payment provider token (fake provider: tok_ok, tok_declined, tok_slow, tok_error)',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(L.paymentTokenMaxLength)
  paymentToken: string;
}

export class ListOrdersQueryDto {
  @ApiPropertyOptional({ default: L.defaultPageSize, description: 'Page size' })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(L.maxPageSize)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page (opaque)' })
  @IsOptional()
  @IsString()
  @MaxLength(L.cursorMaxLength)
  cursor?: string;
}

export class OrderIdParamsDto {
  @ApiProperty({ description: 'Order id' })
  @IsUUID()
  id: string;
}
