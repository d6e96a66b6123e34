import { type DynamicModule, Logger, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as PinoLogger } from 'nestjs-pino';
import type { ContextName } from '@ficus/contracts';
import { ConfigError } from '../config/env-parsers.js';
import { loadConfig } from '../config/ficus.config.js';
import { setupDatabase } from '../database/db-setup.js';
import { HealthModule } from '../health/health.module.js';
import { createFastifyAdapter } from '../http/configure-http-app.js';
import { createValidationPipe } from '../http/validation.pipe.js';
import { HostedContextsModule } from '../messaging/context-client.factory.js';
import { InProcessServer } from '../messaging/in-process.server.js';
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
 * outbox, with `/health/live` and `/health/ready` on `HEALTH_PORT`. Nothing in the context changes.
 */
export async function bootstrapContextHost(options: ContextHostOptions): Promise<NestFastifyApplication> {
  try {
    const config = loadConfig();
    await setupDatabase(config.database.url, [options.context]);

    @Module({
      imports: [PlatformModule, HostedContextsModule.only([options.context]), HealthModule, options.module],
      controllers: [pingControllerFor(options.context)],
    })
    class ContextHostModule {}

    const app = await NestFactory.create<NestFastifyApplication>(ContextHostModule, createFastifyAdapter(config), {
      bufferLogs: true,
      bodyParser: false,
    });
    app.useLogger(app.get(PinoLogger));
    app.useGlobalPipes(createValidationPipe());
    app.enableShutdownHooks();
    // In-process: events for this context produced in this process. Redis: requests from every caller.
    app.connectMicroservice({ strategy: app.get(InProcessServer) }, { inheritAppConfig: true });
    await app.startAllMicroservices();
    await app.listen({ port: config.healthPort, host: config.host });
    // Requests may already wait in the context's Redis list (the facade started first): take them only once
    // the app is bootstrapped, when the command and query handlers are registered (CqrsModule does it on
    // bootstrap), or the first ones fail with "no handler".
    const rpc = app.connectMicroservice(
      {
        strategy: new RedisRpcServer({
          url: config.redis.url,
          keyPrefix: config.redis.keyPrefix,
          contexts: [options.context],
        }),
      },
      { inheritAppConfig: true },
    );
    await rpc.listen();
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
