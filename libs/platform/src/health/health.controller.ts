import { Controller, Get, Res, ServiceUnavailableException, VERSION_NEUTRAL } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../http/public.decorator.js';
import {
  BreakersHealthIndicator,
  ContextDatabasesHealthIndicator,
  OutboxHealthIndicator,
  RedisHealthIndicator,
  RemoteContextsHealthIndicator,
} from './indicators.js';
import { ShutdownState } from './shutdown-state.js';
import { ApiExcludeController } from '../http/openapi/api-docs.decorators.js';

/**
 * Readiness, unversioned. (Liveness, which has no dependencies, is a plain Fastify route: see
 * `createFastifyAdapter`.)
 */
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
    private readonly remote: RemoteContextsHealthIndicator,
    private readonly breakers: BreakersHealthIndicator,
  ) {}

  /**
   * Answers in terminus's own format, 200 or 503 (not problem+json: probes and dashboards parse it). An
   * open breaker makes the status `degraded`, still 200.
   */
  @Get('ready')
  // Not documented (the controller is excluded from the API docs), and terminus would otherwise load
  // @nestjs/swagger for its response schema in every process (api-docs.decorators.ts says why not).
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    if (this.shutdown.isShuttingDown) {
      void reply.status(503);
      const down = { shutdown: { status: 'down' } };
      return { status: 'error', info: {}, error: down, details: down };
    }
    try {
      return await this.health.check([
        ...this.databases.checks(),
        () => this.redis.check(),
        () => this.outbox.check(),
        ...this.remote.checks(),
        ...this.breakers.checks(),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      return error.getResponse();
    }
  }
}
