import {
  CANCELLATION_REASONS,
  type CancellationReason,
  CatalogLimits,
  ORDER_STATUSES,
  type OrderItemView,
  OrderingLimits as L,
  type OrderPage,
  type OrderStatus,
  type OrderView,
} from '@ficus/contracts';
import { ApiInteger, ApiList, ApiText, ApiTimestamp, ApiUuid } from '../docs/api-fields.decorator.js';
import { ApiProperty } from '@ficus/platform';

// The bounds are those placing an order enforces (OrderingLimits, and catalog's for the snapshot fields).
const MAX_TOTAL_CENTS = L.maxLines * L.maxQuantity * CatalogLimits.maxPriceCents;

export class OrderItemResponseDto implements OrderItemView {
  @ApiUuid() productId: string;
  @ApiText(CatalogLimits.productNameMaxLength, {
    minLength: 1,
    example: 'Studio Headphones',
    description: 'The name when the order was placed',
  })
  name: string;
  @ApiInteger(0, CatalogLimits.maxPriceCents, {
    example: 9900,
    description: 'The unit price when the order was placed, minor units',
  })
  unitPriceCents: number;
  @ApiInteger(1, L.maxQuantity, { example: 1 }) quantity: number;
}

export class OrderResponseDto implements OrderView {
  @ApiUuid() id: string;
  @ApiProperty({ enum: ORDER_STATUSES, description: 'PENDING while the saga runs (always in the 202)' })
  status: OrderStatus;
  @ApiList(OrderItemResponseDto, L.maxLines, { minItems: 1, description: 'In the order they were sent' })
  items: OrderItemResponseDto[];
  @ApiInteger(0, MAX_TOTAL_CENTS, { example: 9900, description: 'Minor units' }) totalCents: number;
  @ApiText(3, { minLength: 3, pattern: '^[A-Z]{3}$', example: 'EUR', description: 'ISO 4217' }) currency: string;
  @ApiProperty({
    enum: CANCELLATION_REASONS,
    nullable: true,
    example: 'PAYMENT_DECLINED',
    description: 'Why the order was cancelled; null unless CANCELLED',
  })
  cancellationReason: CancellationReason | null;
  @ApiTimestamp() createdAt: string;
  @ApiTimestamp({ description: 'The last status change' }) updatedAt: string;
}

export class OrderPageResponseDto implements OrderPage {
  @ApiList(OrderResponseDto, L.maxPageSize, { description: 'Own orders, newest first' }) items: OrderResponseDto[];
  @ApiText(L.cursorMaxLength, { nullable: true, description: 'Pass as ?cursor= for the next page; null on the last' })
  nextCursor: string | null;
}
