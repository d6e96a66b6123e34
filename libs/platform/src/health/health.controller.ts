import { Controller, Get, HttpCode, ServiceUnavailableException, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../http/public.decorator.js';
import { ContextDatabasesHealthIndicator, OutboxHealthIndicator, RedisHealthIndicator } from './indicators.js';
import { ShutdownState } from './shutdown-state.js';

/** Operations endpoints, unversioned: liveness has no dependencies; readiness checks them all. */
@ApiExcludeController()
@Public()
@SkipThrottle()
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly shutdown: ShutdownState,
    private readonly redis: RedisHealthIndicator,
    private readonly databases: ContextDatabasesHealthIndicator,
    private readonly outbox: OutboxHealthIndicator,
  ) {}

  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    if (this.shutdown.isShuttingDown) {
      throw new ServiceUnavailableException({ status: 'error', error: { shutdown: { status: 'down' } } });
    }
    return this.health.check([...this.databases.checks(), () => this.redis.check(), () => this.outbox.check()]);
  }
}
