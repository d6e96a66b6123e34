import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { type OrderLineRequest, OrderingLimits as L } from '@ficus/contracts';
import { KeysetPageQuery } from '../pagination.dto.js';
import { ApiProperty } from '@ficus/platform';

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

/** `limit` and `cursor` (API.md "Pagination"). */
export class ListOrdersQueryDto extends KeysetPageQuery(L) {}

export class OrderIdParamsDto {
  @ApiProperty({ description: 'Order id' })
  @IsUUID()
  id: string;
}
