import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type CallMeta, ORDERING_API, type OrderingApi } from '@ficus/contracts';
import { Meta } from '../auth/actor.decorator.js';
import { ApiProblems } from '../docs/api-errors.decorator.js';
import { IdempotencyKeyHeader } from './idempotency-key.decorator.js';
import { ListOrdersQueryDto, OrderIdParamsDto, PlaceOrderRequestDto } from './orders.request.dto.js';
import { OrderPageResponseDto, OrderResponseDto } from './orders.response.dto.js';

/**
 * The signed-in user's orders. Placing one answers `202` at once with the order `PENDING`: the saga
 * (reserve stock → charge → confirm) runs after the answer, and the client polls the `Location`.
 */
@ApiTags('orders')
@ApiBearerAuth()
@Controller('orders')
export class OrdersHttpController {
  constructor(@Inject(ORDERING_API) private readonly ordering: OrderingApi) {}

  @Post()
  @HttpCode(202)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: '1–255 characters; the same key places the same order once (400 IDEMPOTENCY_KEY_REQUIRED without)',
  })
  @ApiAcceptedResponse({
    type: OrderResponseDto,
    description: 'Accepted, PENDING; poll the Location until it is CONFIRMED or CANCELLED',
    headers: { Location: { description: '/v1/orders/{id}', schema: { type: 'string' } } },
  })
  @ApiProblems(400, 401, 404, 413, 415, 429, 503)
  async place(
    @Body() body: PlaceOrderRequestDto,
    @IdempotencyKeyHeader() idempotencyKey: string,
    @Meta() meta: CallMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const order = await this.ordering.placeOrder(
      {
        userId: meta.actor!.userId,
        items: body.items.map((i) => ({ ...i })),
        paymentToken: body.paymentToken,
        idempotencyKey,
      },
      meta,
    );
    void reply.header('location', `/v1/orders/${order.id}`);
    return order;
  }

  @Get()
  @ApiOkResponse({ type: OrderPageResponseDto, description: 'Own orders only, newest first' })
  @ApiProblems(400, 401, 429, 503)
  list(@Query() query: ListOrdersQueryDto, @Meta() meta: CallMeta) {
    return this.ordering.listOrders({ userId: meta.actor!.userId, ...query }, meta);
  }

  @Get(':id')
  @ApiOkResponse({
    type: OrderResponseDto,
    headers: { ETag: { description: 'Send it back as If-None-Match to get 304 while unchanged' } },
  })
  @ApiProblems(400, 401, 404, 429, 503)
  get(@Param() { id }: OrderIdParamsDto, @Meta() meta: CallMeta) {
    return this.ordering.getOrder({ userId: meta.actor!.userId, orderId: id }, meta);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderResponseDto, description: 'CANCELLED / USER_CANCELLED; a paid order is refunded' })
  @ApiProblems(400, 401, 404, 409, 429, 503)
  cancel(@Param() { id }: OrderIdParamsDto, @Meta() meta: CallMeta) {
    return this.ordering.cancelOrder({ userId: meta.actor!.userId, orderId: id }, meta);
  }
}
