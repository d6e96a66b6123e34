import type { CallMeta } from '@ficus/contracts';
import type { Order } from '../../domain/order.aggregate.js';

/**
 * One step of the order saga: at most one contract call, then a transition of the (locked) order. A step
 * may run twice for one order (its state change was lost in a crash); every call it makes is idempotent.
 * A step that throws is retried later with backoff.
 */
export interface SagaStepHandler {
  run(order: Order, meta: CallMeta): Promise<void>;
}
