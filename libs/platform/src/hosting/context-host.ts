import { type DynamicModule, Logger, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ContextName } from '@ficus/contracts';
import { ConfigError } from '../config/env-parsers.js';
import { loadConfig } from '../config/ficus.config.js';
import { setupDatabase } from '../database/db-setup.js';
import { HealthModule } from '../health/health.module.js';
import { createFastifyAdapter, useFicusLogger } from '../http/configure-http-app.js';
import { createValidationPipe } from '../http/validation.pipe.js';
import { HostedContextsModule } from '../messaging/context-client.factory.js';
import { InProcessServer } from '../messaging/in-process.server.js';
import { MetricsController } from '../metrics/metrics.controller.js';
import { RedisRpcServer } from '../messaging/redis/redis-rpc.server.js';
import { PlatformModule } from '../platform.module.js';
import { pingControllerFor } from './ping.controller.js';

export interface ContextHostOptions {
  context: ContextName;
  module: Type | DynamicModule;
}

/**
 * Runs one context on its own (strangler-fig extraction): the same `<Ctx>Module` as in the monolith,
 * answering its message patterns over Redis, consuming its events from its queue, delivering its own
 * outbox, with `/health/live`, `/health/ready` and `/metrics` on `HEALTH_PORT`. Nothing in the context changes.
 */
export async function bootstrapContextHost(options: ContextHostOptions): Promise<NestFastifyApplication> {
  try {
    const config = loadConfig();
    await setupDatabase(config.database.url, [options.context]);

    @Module({
      imports: [PlatformModule, HostedContextsModule.only([options.context]), HealthModule, options.module],
      controllers: [pingControllerFor(options.context), MetricsController],
    })
    class ContextHostModule {}

    const app = await NestFactory.create<NestFastifyApplication>(ContextHostModule, createFastifyAdapter(config), {
      bufferLogs: true,
      bodyParser: false,
    });
    useFicusLogger(app);
    app.useGlobalPipes(createValidationPipe());
    app.enableShutdownHooks();
    // In-process: events for this context produced in this process. Redis: requests from every caller.
    app.connectMicroservice({ strategy: app.get(InProcessServer) }, { inheritAppConfig: true });
    app.connectMicroservice(
      {
        strategy: new RedisRpcServer({
          url: config.redis.url,
          keyPrefix: config.redis.keyPrefix,
          contexts: [options.context],
          leaseMs: config.messaging.rpcLeaseMs,
        }),
      },
      { inheritAppConfig: true },
    );
    await app.init();
    // Only now take requests and events: CQRS registers its command and query handlers during init, so a
    // request that waited in Redis while this host started would otherwise fail (QueryHandlerNotFound).
    await app.startAllMicroservices();
    await app.listen({ port: config.healthPort, host: config.host });
    new Logger('ContextHost').log(
      { event: 'host.listening', context: options.context, healthUrl: await app.getUrl() },
      `${options.context} is running on its own; health on ${await app.getUrl()}/health/ready`,
    );
    return app;
  } catch (error) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(
      error instanceof ConfigError ? `${error.message}\n` : `The ${options.context} host failed to start: ${detail}\n`,
    );
    process.exit(1);
  }
}
