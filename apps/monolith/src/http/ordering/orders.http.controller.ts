import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { type CallMeta, ORDERING_API, type OrderingApi } from '@ficus/contracts';
import { IdempotencyKey, Idempotent, ApiOperation, ApiResponse, ApiTags } from '@ficus/platform';
import { Meta } from '../auth/actor.decorator.js';
import { SignedInRoute } from '../auth/route-access.decorator.js';
import { ApiProblems } from '../docs/api-errors.decorator.js';
import { successHeaders } from '../docs/api-headers.js';
import { ApiRead, ApiWrite } from '../docs/api-success.decorator.js';
import { ListOrdersQueryDto, OrderIdParamsDto, PlaceOrderRequestDto } from './orders.request.dto.js';
import { OrderPageResponseDto, OrderResponseDto } from './orders.response.dto.js';

/**
 * The signed-in user's orders. Placing one answers `202` at once with the order `PENDING`: the saga
 * (reserve stock → charge → confirm) runs after the answer, and the client polls the `Location`.
 */
@ApiTags('orders')
@SignedInRoute()
@Controller('orders')
export class OrdersHttpController {
  constructor(@Inject(ORDERING_API) private readonly ordering: OrderingApi) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Place an order',
    description:
      'Takes each product’s name and price now and answers PENDING at once; stock is reserved, the payment ' +
      'charged and the order confirmed (or cancelled, with the reason) afterwards. Poll the Location. ' +
      'Refused with 503 while the payment provider is unavailable: nothing is stored or reserved then. ' +
      'Idempotent: the same Idempotency-Key and body answer the first 202 again (Idempotent-Replayed: true); ' +
      'ordering itself also places one order per key.',
  })
  @Idempotent()
  @ApiResponse({
    status: 202,
    type: OrderResponseDto,
    description: 'Accepted, PENDING',
    headers: successHeaders('Location'),
  })
  @ApiProblems(
    [400, 'IDEMPOTENCY_KEY_REQUIRED'],
    [404, 'PRODUCT_NOT_FOUND'],
    [409, 'IDEMPOTENCY_KEY_IN_USE'],
    413,
    415,
    [422, 'IDEMPOTENCY_KEY_REUSED'],
  )
  async place(
    @Body() body: PlaceOrderRequestDto,
    @IdempotencyKey() idempotencyKey: string,
    @Meta() meta: CallMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const items = body.items.map(({ productId, quantity }) => ({ productId, quantity }));
    const order = await this.ordering.placeOrder(
      { userId: meta.actor!.userId, items, paymentToken: body.paymentToken, idempotencyKey },
      meta,
    );
    void reply.header('location', `/v1/orders/${order.id}`);
    return order;
  }

  @Get()
  @ApiOperation({ summary: 'My orders', description: 'Own orders only, newest first, pages linked by nextCursor.' })
  @ApiRead(OrderPageResponseDto)
  @ApiProblems([400, 'INVALID_CURSOR'])
  list(@Query() query: ListOrdersQueryDto, @Meta() meta: CallMeta) {
    return this.ordering.listOrders({ userId: meta.actor!.userId, ...query }, meta);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of my orders', description: "Another user's order is 404, as an unknown one." })
  @ApiRead(OrderResponseDto)
  @ApiProblems(400, [404, 'ORDER_NOT_FOUND'])
  get(@Param() { id }: OrderIdParamsDto, @Meta() meta: CallMeta) {
    return this.ordering.getOrder({ userId: meta.actor!.userId, orderId: id }, meta);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel one of my orders',
    description:
      'PENDING or CONFIRMED orders only: it becomes CANCELLED / USER_CANCELLED at once; its stock is released ' +
      'and a charge refunded (also one that succeeds later).',
  })
  @ApiWrite(200, { type: OrderResponseDto, description: 'The cancelled order' })
  @ApiProblems(400, [404, 'ORDER_NOT_FOUND'], [409, 'ORDER_NOT_CANCELLABLE'])
  cancel(@Param() { id }: OrderIdParamsDto, @Meta() meta: CallMeta) {
    return this.ordering.cancelOrder({ userId: meta.actor!.userId, orderId: id }, meta);
  }
}
