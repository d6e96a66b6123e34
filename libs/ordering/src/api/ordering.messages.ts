import { Type } from 'class-transformer';
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
import {
  type CancelOrderRequest,
  type GetOrderRequest,
  type ListOrdersRequest,
  type OrderLineRequest,
  OrderingLimits as L,
  type PlaceOrderRequest,
} from '@ficus/contracts';

// Ordering checks each contract payload again at its own edge (any process may call it once it is
// extracted): shape checks with an upper bound on every string and number. The order's own rules live in
// the domain.

/** Lines are compared by product id, case-insensitively; anything that is not a line is left to `ValidateNested`. */
export const lineProductId = (line: unknown) =>
  typeof line === 'object' && line !== null ? String((line as { productId?: unknown }).productId).toLowerCase() : line;

export class OrderLineMessage implements OrderLineRequest {
  @IsUUID() productId: string;
  @IsInt() @Min(1) @Max(L.maxQuantity) quantity: number;
}

export class PlaceOrderMessage implements PlaceOrderRequest {
  @IsUUID() userId: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(L.maxLines)
  @ArrayUnique(lineProductId, { message: 'each product may appear in one line only' })
  @ValidateNested({ each: true })
  @Type(() => OrderLineMessage)
  items: OrderLineMessage[];

  @IsString() @MinLength(1) @MaxLength(L.paymentTokenMaxLength) paymentToken: string;
  @IsString() @MinLength(1) @MaxLength(L.idempotencyKeyMaxLength) idempotencyKey: string;
}

export class ListOrdersMessage implements ListOrdersRequest {
  @IsUUID() userId: string;
  @IsOptional() @IsInt() @Min(1) @Max(L.maxPageSize) limit?: number;
  @IsOptional() @IsString() @MaxLength(L.cursorMaxLength) cursor?: string;
}

export class GetOrderMessage implements GetOrderRequest {
  @IsUUID() userId: string;
  @IsUUID() orderId: string;
}

export class CancelOrderMessage implements CancelOrderRequest {
  @IsUUID() userId: string;
  @IsUUID() orderId: string;
}
