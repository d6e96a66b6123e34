import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { pingPattern } from '@ficus/contracts';
import { type FicusConfig, ficusConfig } from '../config/ficus.config.js';
import { ContextClientFactory } from '../messaging/context-client.factory.js';
import { outboxBacklog } from '../metrics/metrics.js';
import { OutboxRegistry } from '../outbox/outbox-registry.js';
import { REDIS } from '../redis/redis.module.js';
import { BreakerRegistry } from '../resilience/breaker-registry.js';

const CHECK_TIMEOUT_MS = 1000;

/** Terminus 12 ships no Redis indicator; this one PINGs with a timeout. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  check(key = 'redis') {
    return this.health
      .check(key)
      .attempt(async () => {
        const answer = await this.redis.ping();
        if (answer !== 'PONG') throw new Error(`unexpected PING answer ${answer}`);
      })
      .withTimeout(CHECK_TIMEOUT_MS);
  }
}

/** Each hosted context's Postgres connection (as its own role). */
@Injectable()
export class ContextDatabasesHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly registry: OutboxRegistry,
  ) {}

  checks() {
    return this.registry.all().map(
      (relay) => () =>
        this.health
          .check(`postgres.${relay.context}`)
          .attempt(async () => {
            await relay.dataSource.query('SELECT 1');
          })
          .withTimeout(CHECK_TIMEOUT_MS),
    );
  }
}

/**
 * Outbox backlog per hosted context; not ready when work that this process should have moved is late
 * (waiting over OUTBOX_READY_LATE_MS) past the threshold. Deliveries queued for another process are
 * reported but never count: a slow or stopped consumer elsewhere must not take this replica out of the
 * load balancer.
 */
@Injectable()
export class OutboxHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly registry: OutboxRegistry,
    @Inject(ficusConfig.KEY) private readonly config: FicusConfig,
  ) {}

  check(key = 'outbox') {
    return this.health
      .check(key)
      .attempt(async () => {
        const backlog: Record<string, unknown> = {};
        let total = 0;
        for (const relay of this.registry.all()) {
          const b = await relay.backlog(this.config.outbox.readyLateAfterMs);
          for (const state of ['unfanned', 'pending', 'enqueued', 'parked'] as const) {
            outboxBacklog.set({ context: relay.context, state }, b[state]);
          }
          backlog[relay.context] = b;
          total += b.late;
        }
        if (total > this.config.outbox.readyBacklogThreshold) {
          throw Object.assign(
            new Error(`${total} late outbox deliveries, over ${this.config.outbox.readyBacklogThreshold}`),
            {
              backlog,
            },
          );
        }
        return { backlog };
      })
      .withTimeout(CHECK_TIMEOUT_MS * 2);
  }
}

/** Each context this process calls over Redis answers its ping through the transport. */
@Injectable()
export class RemoteContextsHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly clients: ContextClientFactory,
    @Inject(ficusConfig.KEY) private readonly config: FicusConfig,
  ) {}

  checks() {
    return this.config.messaging.remoteContexts.map(
      (context) => () =>
        this.health
          .check(`context.${context}`)
          .attempt(async () => {
            await this.clients
              .get(context)
              .send(pingPattern(context), {}, { correlationId: `ready-${Date.now()}`, actor: null });
            return { transport: 'redis' };
          })
          .withTimeout(CHECK_TIMEOUT_MS),
    );
  }
}

/**
 * Each breaker a hosted context owns for its own dependency: `degraded` (not `down`: readiness stays 200)
 * while it is open or half-open, with the seconds left. The process fails fast on purpose then; taking it
 * out of the load balancer would not bring the dependency back.
 */
@Injectable()
export class BreakersHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly breakers: BreakerRegistry,
  ) {}

  checks() {
    return this.breakers.snapshots().map(({ name, snapshot }) => () => {
      const indicator = this.health.check(name);
      return snapshot.state === 'closed'
        ? indicator.up({ breaker: snapshot.state })
        : indicator.degraded({ breaker: snapshot.state, retryAfterSeconds: snapshot.retryAfterSeconds });
    });
  }
}
