import { Injectable } from '@nestjs/common';
import { type CallMeta, OrderCancelledV1, OrderConfirmedV1, OrderPlacedV1 } from '@ficus/contracts';
import type { PendingEvent } from '@ficus/platform';
import type { Order } from '../../domain/order.aggregate.js';
import type { Announcement } from '../../domain/ports.js';
import { OrderMapper } from '../../infrastructure/persistence/order.mapper.js';

/**
 * Turns what an order recorded (placed, confirmed, cancelled) into the integration events the repository
 * writes to the outbox in the same statement as the order's new state.
 */
@Injectable()
export class OrderFactsPublisher {
  announcement(order: Order, meta: Pick<CallMeta, 'correlationId'>): Announcement {
    const o = order.snapshot();
    const at = o.updatedAt.toISOString();
    const base = { orderId: o.id, userId: o.userId, totalCents: o.totalCents, currency: o.currency };
    const events = order.pullFacts().map((fact): PendingEvent<unknown> => {
      if (fact.type === 'placed') {
        const { items } = OrderMapper.toView(order);
        return {
          definition: OrderPlacedV1,
          aggregateId: o.id,
          payload: { ...base, items, placedAt: o.createdAt.toISOString() },
        };
      }
      if (fact.type === 'confirmed') {
        return { definition: OrderConfirmedV1, aggregateId: o.id, payload: { ...base, confirmedAt: at } };
      }
      return {
        definition: OrderCancelledV1,
        aggregateId: o.id,
        payload: { ...base, reason: o.cancellationReason!, previousStatus: fact.previousStatus, cancelledAt: at },
      };
    });
    return { correlationId: meta.correlationId, events };
  }
}
