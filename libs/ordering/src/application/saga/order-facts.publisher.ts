import { Injectable } from '@nestjs/common';
import { type CallMeta, OrderCancelledV1, OrderConfirmedV1, OrderPlacedV1 } from '@ficus/contracts';
import { OutboxWriter } from '@ficus/platform';
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
    for (const fact of order.pullFacts()) {
      if (fact.type === 'placed') {
        const { items } = OrderMapper.toView(order);
        await this.outbox.append(manager, meta, {
          definition: OrderPlacedV1,
          aggregateId: o.id,
          payload: { ...base, items, placedAt: o.createdAt.toISOString() },
        });
      } else if (fact.type === 'confirmed') {
        await this.outbox.append(manager, meta, {
          definition: OrderConfirmedV1,
          aggregateId: o.id,
          payload: { ...base, confirmedAt: at },
        });
      } else {
        await this.outbox.append(manager, meta, {
          definition: OrderCancelledV1,
          aggregateId: o.id,
          payload: { ...base, reason: o.cancellationReason!, previousStatus: fact.previousStatus, cancelledAt: at },
        });
      }
    }
  }
}
