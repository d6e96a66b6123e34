import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import {
  BreakersHealthIndicator,
  ContextDatabasesHealthIndicator,
  OutboxHealthIndicator,
  RedisHealthIndicator,
  RemoteContextsHealthIndicator,
} from './indicators.js';
import { ShutdownState } from './shutdown-state.js';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json', gracefulShutdownTimeoutMs: 0 })],
  controllers: [HealthController],
  providers: [
    ShutdownState,
    RedisHealthIndicator,
    ContextDatabasesHealthIndicator,
    OutboxHealthIndicator,
    RemoteContextsHealthIndicator,
    BreakersHealthIndicator,
  ],
  exports: [ShutdownState],
})
export class HealthModule {}
