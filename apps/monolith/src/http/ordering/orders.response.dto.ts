import { ApiProperty } from '@nestjs/swagger';
import {
  CANCELLATION_REASONS,
  type CancellationReason,
  ORDER_STATUSES,
  type OrderItemView,
  type OrderPage,
  type OrderStatus,
  type OrderView,
} from '@ficus/contracts';

export class OrderItemResponseDto implements OrderItemView {
  @ApiProperty({ format: 'uuid' }) productId: string;
  @ApiProperty({ example: 'Studio Headphones', description: 'Name when the order was placed' }) name: string;
  @ApiProperty({ example: 9900, type: 'integer', description: 'Unit price when the order was placed, minor units' })
  unitPriceCents: number;
  @ApiProperty({ example: 1, type: 'integer' }) quantity: number;
}

export class OrderResponseDto implements OrderView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ORDER_STATUSES, description: 'PENDING while the saga runs (always in the 202)' })
  status: OrderStatus;
  @ApiProperty({ type: [OrderItemResponseDto] }) items: OrderItemResponseDto[];
  @ApiProperty({ example: 9900, type: 'integer', description: 'Minor units' }) totalCents: number;
  @ApiProperty({ example: 'EUR', description: 'ISO 4217' }) currency: string;
  @ApiProperty({ enum: CANCELLATION_REASONS, nullable: true, example: null })
  cancellationReason: CancellationReason | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class OrderPageResponseDto implements OrderPage {
  @ApiProperty({ type: [OrderResponseDto] }) items: OrderResponseDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as ?cursor= for the next page; null on the last' })
  nextCursor: string | null;
}
