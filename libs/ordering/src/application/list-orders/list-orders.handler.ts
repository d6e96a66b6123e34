import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { OrderingLimits, type OrderPage } from '@ficus/contracts';
import { OrderCursor } from '../../domain/listing/order-cursor.value-object.js';
import type { OrderRepository } from '../../domain/ports.js';
import { OrderMapper } from '../../infrastructure/persistence/order.mapper.js';
import { ORDER_REPOSITORY } from '../../ordering.di-tokens.js';
import { ListOrdersQuery } from './list-orders.query.js';

/** The user's own orders, newest first, by keyset: pages never shift when new orders arrive. */
@QueryHandler(ListOrdersQuery)
export class ListOrdersHandler implements IQueryHandler<ListOrdersQuery> {
  constructor(@Inject(ORDER_REPOSITORY) private readonly orders: OrderRepository) {}

  async execute({ data }: ListOrdersQuery): Promise<OrderPage> {
    const limit = data.limit ?? OrderingLimits.defaultPageSize;
    const after = data.cursor ? OrderCursor.decode(data.cursor) : null;
    const found = await this.orders.listOwned(data.userId.toLowerCase(), limit + 1, after);
    const page = found.slice(0, limit);
    const last = page.at(-1)?.snapshot();
    return {
      items: page.map((order) => OrderMapper.toView(order)),
      nextCursor:
        found.length > limit && last
          ? OrderCursor.encode({ createdAt: last.createdAt.toISOString(), id: last.id })
          : null,
    };
  }
}
