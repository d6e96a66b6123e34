import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CallMeta } from '@ficus/contracts';
import { describeForOperators, type FicusConfig, ficusConfig, GroupCommit } from '@ficus/platform';
import type { Order } from '../../domain/order.aggregate.js';
import type { OrderRepository, TransactionRunner } from '../../domain/ports.js';
import { nextAction, type SagaAction } from '../../domain/saga/order-saga.js';
import { ORDER_REPOSITORY, TRANSACTION_RUNNER } from '../../ordering.di-tokens.js';
import { OrderFactsPublisher } from './order-facts.publisher.js';
import { SagaSteps } from './saga-steps.js';

/** More steps than any saga has; a bound so a bug can never spin. */
const MAX_STEPS_PER_CALL = 8;

/** The integration event behind a call of `advance`: taken in (inbox) in the saga's transaction. */
export interface DrivingEvent {
  id: string;
  /** What the event does to the order, applied once (not for a redelivery) before the steps run. */
  apply?: (order: Order, now: Date) => void;
}

/** An event to drive its order's saga with, waiting for a batch. */
interface Arrival {
  orderId: string;
  meta: CallMeta;
  event: DrivingEvent;
}

/**
 * The order saga's process manager. `advance` runs every step of one order's saga that can run now in
 * one transaction holding the order's row lock (so events, the sweeper and a cancelling user take turns),
 * and commits the state they reached with the facts they announce (outbox) at the end: one lock, one
 * state write, one commit for reserve + charge. A process that dies before that commit leaves the saga
 * where it was, and the steps run again harmlessly, since every call a step makes is idempotent per order.
 * It stops when the saga waits for an event (the payment's outcome), has finished, or a step failed
 * (then the sweeper retries it after a backoff).
 *
 * **Events go in batches** (platform `GroupCommit`, sized by INBOX_BATCH_MAX / INBOX_FLUSHES like every
 * inbox): the events that arrive together — a relay pass of `order-placed`, a burst of payment outcomes —
 * share one transaction: one statement takes them all in and locks their orders (in id order), each
 * order's steps run side by side with the others' (their contract calls are independent), and one
 * statement saves every order that changed with its events. N orders cost one BEGIN, one lock statement,
 * one save and one COMMIT instead of N of each. An order's locks are held until the batch commits, so a
 * cancelling user waits at most for the batch's slowest step (bounded by the contract timeouts). If the
 * batch fails as a whole (a deadlock, a bug), it rolls back and its events run again one by one.
 */
@Injectable()
export class OrderSaga {
  private readonly logger = new Logger('OrderSaga');
  private readonly eventBatches: GroupCommit<Arrival, void>;

  constructor(
    @Inject(ORDER_REPOSITORY) private readonly orders: OrderRepository,
    @Inject(TRANSACTION_RUNNER) private readonly transactions: TransactionRunner,
    private readonly facts: OrderFactsPublisher,
    private readonly steps: SagaSteps,
    @Inject(ficusConfig.KEY) private readonly config: FicusConfig,
  ) {
    this.eventBatches = new GroupCommit<Arrival, void>(
      {
        batch: (arrivals) => this.advanceBatch(arrivals),
        alone: ({ orderId, meta, event }) => this.advanceAlone(orderId, meta, { event }),
        keyOf: (arrival) => arrival.event.id,
        onBatchFailed: (error, arrivals) =>
          this.logger.warn(
            { event: 'saga.batch-rolled-back', events: arrivals.length, err: describeForOperators(error) },
            'saga batch rolled back; its events run one by one',
          ),
      },
      { batchMax: config.outbox.inboxBatchMax, flushes: config.outbox.inboxFlushes },
    );
  }

  /**
   * Drives the order's saga as far as it can go now. With `skipLocked` an order someone else is driving is
   * left to them (the sweeper uses it); with `event`, the event is taken in through the inbox in the same
   * transaction (and its effect applied once).
   */
  async advance(
    orderId: string,
    meta: CallMeta,
    options: { skipLocked?: boolean; event?: DrivingEvent } = {},
  ): Promise<void> {
    if (options.event) return this.eventBatches.submit({ orderId, meta, event: options.event });
    return this.advanceAlone(orderId, meta, options);
  }

  /**
   * One batch of events in one transaction. An order with several events in the batch applies them in
   * arrival order (each once, if taken in now), then runs its steps once.
   */
  private async advanceBatch(arrivals: Arrival[]): Promise<void[]> {
    const byOrder = new Map<string, Arrival[]>();
    for (const arrival of arrivals) {
      const id = arrival.orderId.toLowerCase();
      byOrder.set(id, [...(byOrder.get(id) ?? []), arrival]);
    }
    await this.transactions.run(async (tx) => {
      const locked = await this.orders.takeInAndLockMany(
        tx,
        arrivals.map((a) => ({ eventId: a.event.id, orderId: a.orderId })),
      );
      // allSettled: should one order's work throw, the batch rolls back only once every order's steps have
      // ended, so none is still calling catalog or payments while its events run again alone.
      const settled = await Promise.allSettled(
        [...byOrder].map(async ([orderId, events]) => {
          const meta = events[events.length - 1].meta;
          const found = locked.get(orderId);
          if (!found) {
            this.logger.warn({ event: 'saga.unknown-order', correlationId: meta.correlationId, orderId });
            return null;
          }
          const { order, takenIn } = found;
          let changed = false;
          for (const { event } of events) {
            // The first copy of an event applies it; a second copy in the same batch is a duplicate.
            if (!takenIn.delete(event.id.toLowerCase()) || !event.apply) continue;
            event.apply(order, new Date());
            changed = true;
          }
          if (await this.runSteps(order, meta)) changed = true;
          if (order.awaitPayment()) changed = true;
          return changed ? { order, announce: this.facts.announcement(order, meta) } : null;
        }),
      );
      const failed = settled.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      const changes = settled.flatMap((r) => (r.status === 'fulfilled' && r.value ? [r.value] : []));
      await this.orders.saveMany(tx, changes);
    });
    return arrivals.map(() => undefined);
  }

  /** One order in a transaction of its own (the sweeper, and events outside a batch). */
  private async advanceAlone(
    orderId: string,
    meta: CallMeta,
    options: { skipLocked?: boolean; event?: DrivingEvent },
  ): Promise<void> {
    const { event } = options;
    await this.transactions.run(async (tx) => {
      const { order, takenIn } = event
        ? await this.orders.takeInAndLock(tx, event.id, orderId)
        : { order: await this.orders.findForUpdate(tx, orderId, options), takenIn: false };
      if (!order) {
        if (event) this.logger.warn({ event: 'saga.unknown-order', correlationId: meta.correlationId, orderId });
        return;
      }
      let changed = false;
      if (takenIn && event?.apply) {
        event.apply(order, new Date());
        changed = true;
      }
      if (await this.runSteps(order, meta)) changed = true;
      if (order.awaitPayment()) changed = true;
      if (!changed) return;
      await this.orders.save(tx, order, this.facts.announcement(order, meta));
    });
  }

  /** Runs the steps the saga's state asks for, one after the other; returns whether any ran. */
  private async runSteps(order: Order, meta: CallMeta): Promise<boolean> {
    let ran = false;
    for (let i = 0; i < MAX_STEPS_PER_CALL; i++) {
      const action = nextAction(order.saga, new Date());
      if (!action) break;
      ran = true;
      if (!(await this.runStep(action, order, meta))) break;
    }
    return ran;
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
