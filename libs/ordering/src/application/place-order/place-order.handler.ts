import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import type { OrderView } from '@ficus/contracts';
import { type FicusConfig, ficusConfig } from '@ficus/platform';
import { Order } from '../../domain/order.aggregate.js';
import { PaymentsUnavailable } from '../../domain/ordering.errors.js';
import type { CatalogGateway, OrderRepository, PaymentsGateway } from '../../domain/ports.js';
import { OrderMapper } from '../../infrastructure/persistence/order.mapper.js';
import { CATALOG_GATEWAY, ORDER_REPOSITORY, PAYMENTS_GATEWAY } from '../../ordering.di-tokens.js';
import { OrderFactsPublisher } from '../saga/order-facts.publisher.js';
import { PlaceOrderCommand } from './place-order.command.js';

/**
 * Accepts an order: once per (user, idempotency key), only while payments takes charges (else nothing is
 * stored or reserved), with each product's name and price as catalog has them now. The order and its
 * `ordering.order-placed.v1` commit together; that event starts the saga.
 */
@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrderCommand> {
  constructor(
    @Inject(ORDER_REPOSITORY) private readonly orders: OrderRepository,
    @Inject(CATALOG_GATEWAY) private readonly catalog: CatalogGateway,
    @Inject(PAYMENTS_GATEWAY) private readonly payments: PaymentsGateway,
    @Inject(ficusConfig.KEY) private readonly config: FicusConfig,
    private readonly facts: OrderFactsPublisher,
  ) {}

  async execute({ data, meta }: PlaceOrderCommand): Promise<OrderView> {
    const userId = data.userId.toLowerCase();
    // No look-up first: a repeated key is rare (the facade's Idempotency-Key store answers client retries),
    // and the insert finds it anyway.
    const { available, retryAfterSeconds } = await this.payments.availability(meta);
    if (!available) throw new PaymentsUnavailable(Math.max(1, Math.ceil(retryAfterSeconds)));
    const productIds = [...new Set(data.items.map((item) => item.productId.toLowerCase()))];
    const order = Order.place({
      id: uuidv7(),
      userId,
      idempotencyKey: data.idempotencyKey,
      lines: data.items,
      products: await this.catalog.priceProducts(productIds, meta),
      paymentToken: data.paymentToken,
      now: new Date(),
      timeoutMs: this.config.ordering.sagaTimeoutSeconds * 1000,
    });
    // The order, its saga and `order-placed` in one statement: one round trip, no transaction to open.
    if (await this.orders.insert(order, this.facts.announcement(order, meta))) return OrderMapper.toView(order);
    // The key was used before (a transport re-delivery, a client retry racing us): the first order is the answer.
    return OrderMapper.toView((await this.orders.findByIdempotencyKey(userId, data.idempotencyKey))!);
  }
}
