import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern } from '@nestjs/microservices';
import { type ContractMessage, OrderingPatterns } from '@ficus/contracts';
import { ContractPayload } from '@ficus/platform';
import { CancelOrderCommand } from '../application/cancel-order/cancel-order.command.js';
import { GetOrderQuery } from '../application/get-order/get-order.query.js';
import { ListOrdersQuery } from '../application/list-orders/list-orders.query.js';
import { PlaceOrderCommand } from '../application/place-order/place-order.command.js';
import { CancelOrderMessage, GetOrderMessage, ListOrdersMessage, PlaceOrderMessage } from './ordering.messages.js';

/**
 * Ordering's contract: each message pattern becomes one command or query. The caller (the facade) passes
 * the verified user id; ordering answers only about that user's orders.
 */
@Controller()
export class OrderingMessageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @MessagePattern(OrderingPatterns.placeOrder)
  placeOrder(@ContractPayload(PlaceOrderMessage) { data, meta }: ContractMessage<PlaceOrderMessage>) {
    return this.commands.execute(new PlaceOrderCommand(data, meta));
  }

  @MessagePattern(OrderingPatterns.listOrders)
  listOrders(@ContractPayload(ListOrdersMessage) { data, meta }: ContractMessage<ListOrdersMessage>) {
    return this.queries.execute(new ListOrdersQuery(data, meta));
  }

  @MessagePattern(OrderingPatterns.getOrder)
  getOrder(@ContractPayload(GetOrderMessage) { data, meta }: ContractMessage<GetOrderMessage>) {
    return this.queries.execute(new GetOrderQuery(data, meta));
  }

  @MessagePattern(OrderingPatterns.cancelOrder)
  cancelOrder(@ContractPayload(CancelOrderMessage) { data, meta }: ContractMessage<CancelOrderMessage>) {
    return this.commands.execute(new CancelOrderCommand(data, meta));
  }
}
