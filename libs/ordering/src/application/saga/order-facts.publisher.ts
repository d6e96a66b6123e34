import { Injectable } from '@nestjs/common';
import { type CallMeta, OrderCancelledV1, OrderConfirmedV1, OrderPlacedV1 } from '@ficus/contracts';
import { OutboxWriter, type PendingEvent } from '@ficus/platform';
import type { Order } from '../../domain/order.aggregate.js';
import type { Tx } from '../../domain/ports.js';
import { asManager } from '../../infrastructure/persistence/typeorm-transaction.runner.js';
import { OrderMapper } from '../../infrastructure/persistence/order.mapper.js';

/** Turns what an order recorded (placed, confirmed, cancelled) into outbox rows, in the caller's transaction. */
@Injectable()
export class OrderFactsPublisher {
  constructor(private readonly outbox: OutboxWriter) {}

  async publish(tx: Tx, order: Order, meta: Pick<CallMeta, 'correlationId'>): Promise<void> {
    const o = order.snapshot();
    const manager = asManager(tx);
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
    // Every fact of the transaction in one outbox write.
    if (events.length) await this.outbox.append(manager, meta, ...events);
  }
}
