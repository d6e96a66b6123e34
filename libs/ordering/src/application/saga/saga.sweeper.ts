import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { type FicusConfig, ficusConfig, InProcessServer } from '@ficus/platform';
import type { OrderRepository } from '../../domain/ports.js';
import { ORDER_REPOSITORY } from '../../ordering.di-tokens.js';
import { OrderSaga } from './order.saga.js';

const BATCH = 100;
const IN_PARALLEL = 10;

/**
 * The saga's safety net: every `ORDERING_SAGA_SWEEP_MS` it advances the sagas that are due — a step to
 * retry after a failure, a deadline that passed, or a saga whose driver died (a process killed between
 * two steps: after a restart its sagas are due and resume from their persisted state). Several replicas
 * may sweep at once: each order is taken with `SKIP LOCKED`, so one drives it and the others move on.
 */
@Injectable()
export class SagaSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SagaSweeper');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(ORDER_REPOSITORY) private readonly orders: OrderRepository,
    private readonly saga: OrderSaga,
    private readonly server: InProcessServer,
    @Inject(ficusConfig.KEY) private readonly config: FicusConfig,
  ) {}

  onApplicationBootstrap(): void {
    // The CLI hosts contexts without background work; it turns the relays off, and this with them.
    if (!this.config.outbox.relayEnabled) return;
    // Steps call other contexts, in-process too: start once every handler is registered.
    this.server.whenListening(() => {
      if (this.stopped) return;
      this.timer = setInterval(() => this.tick(), this.config.ordering.sagaSweepIntervalMs);
      this.timer.unref();
      this.tick();
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Starts a sweep unless one is running. */
  tick(): void {
    if (this.running || this.stopped) return;
    this.running = this.sweep()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.warn({ event: 'saga.sweep-failed', err: error }, 'saga sweep failed'))
      .finally(() => (this.running = undefined));
  }

  /** Advances every due saga once; returns how many were due. */
  async sweep(): Promise<number> {
    const due = await this.orders.dueSagas(new Date(), BATCH);
    for (let i = 0; i < due.length && !this.stopped; i += IN_PARALLEL) {
      await Promise.all(
        due
          .slice(i, i + IN_PARALLEL)
          .map((orderId) =>
            this.saga.advance(orderId, { correlationId: `saga-${orderId}`, actor: null }, { skipLocked: true }),
          ),
      );
    }
    return due.length;
  }
}
