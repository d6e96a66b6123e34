import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CallMeta } from '@ficus/contracts';
import { describeForOperators, type FicusConfig, ficusConfig } from '@ficus/platform';
import type { Order } from '../../domain/order.aggregate.js';
import type { OrderRepository, TransactionRunner } from '../../domain/ports.js';
import { nextAction, type SagaAction } from '../../domain/saga/order-saga.js';
import { ORDER_REPOSITORY, TRANSACTION_RUNNER } from '../../ordering.di-tokens.js';
import { OrderFactsPublisher } from './order-facts.publisher.js';
import { SagaSteps } from './saga-steps.js';

/** More steps than any saga has; a bound so a bug can never spin. */
const MAX_STEPS_PER_CALL = 8;

/**
 * The order saga's process manager. `advance` runs the next steps of one order's saga, each in its own
 * transaction holding the order's row lock (so events, the sweeper and a cancelling user take turns), and
 * persists the outcome of each step before the next one. It stops when the saga waits for an event (the
 * payment's outcome), has finished, or a step failed (then the sweeper retries it after a backoff).
 */
@Injectable()
export class OrderSaga {
  private readonly logger = new Logger('OrderSaga');

  constructor(
    @Inject(ORDER_REPOSITORY) private readonly orders: OrderRepository,
    @Inject(TRANSACTION_RUNNER) private readonly transactions: TransactionRunner,
    private readonly facts: OrderFactsPublisher,
    private readonly steps: SagaSteps,
    @Inject(ficusConfig.KEY) private readonly config: FicusConfig,
  ) {}

  /**
   * Drives the order's saga as far as it can go now. With `skipLocked` an order someone else is driving is
   * left to them (the sweeper uses it).
   */
  async advance(orderId: string, meta: CallMeta, options: { skipLocked?: boolean } = {}): Promise<void> {
    for (let i = 0; i < MAX_STEPS_PER_CALL; i++) {
      const progressed = await this.transactions.run(async (tx) => {
        const order = await this.orders.findForUpdate(tx, orderId, options);
        if (!order) return false;
        const action = nextAction(order.saga, new Date());
        if (!action) {
          if (order.awaitPayment()) await this.orders.save(tx, order);
          return false;
        }
        const ok = await this.runStep(action, order, meta);
        await this.orders.save(tx, order);
        await this.facts.publish(tx, order, meta);
        return ok;
      });
      if (!progressed) return;
    }
  }

  private async runStep(action: SagaAction, order: Order, meta: CallMeta): Promise<boolean> {
    try {
      if (action === 'time-out') order.timeOut(new Date());
      else await this.steps.of(action).run(order, meta);
      if (this.config.ordering.faultKillAfterStep === action) process.kill(process.pid, 'SIGKILL');
      return true;
    } catch (error) {
      order.retryLater(new Date(), describeForOperators(error));
      this.logger.warn({
        event: 'saga.step-failed',
        correlationId: meta.correlationId,
        orderId: order.id,
        step: action,
        attempts: order.saga.attempts,
        nextAttemptAt: order.saga.nextAttemptAt?.toISOString(),
        err: describeForOperators(error),
      });
      return false;
    }
  }
}
