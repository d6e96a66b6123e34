import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { OrderView } from '@ficus/contracts';
import { OrderNotFound } from '../../domain/ordering.errors.js';
import type { OrderRepository } from '../../domain/ports.js';
import { OrderMapper } from '../../infrastructure/persistence/order.mapper.js';
import { ORDER_REPOSITORY } from '../../ordering.di-tokens.js';
import { GetOrderQuery } from './get-order.query.js';

/** One of the user's own orders; another user's is `ORDER_NOT_FOUND`, exactly like an unknown id. */
@QueryHandler(GetOrderQuery)
export class GetOrderHandler implements IQueryHandler<GetOrderQuery> {
  constructor(@Inject(ORDER_REPOSITORY) private readonly orders: OrderRepository) {}

  async execute({ data }: GetOrderQuery): Promise<OrderView> {
    const order = await this.orders.findOwned(data.userId.toLowerCase(), data.orderId.toLowerCase());
    if (!order) throw new OrderNotFound();
    return OrderMapper.toView(order);
  }
}
