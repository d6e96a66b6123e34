import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  configureHttpApp,
  createFastifyAdapter,
  createValidationPipe,
  InProcessServer,
  loadConfig,
  RedisRpcServer,
} from '@ficus/platform';
import { AppModule, hostedContexts } from './app.module.js';

/**
 * Builds the monolith exactly as production runs it (tests use this too): Fastify, the global validation
 * pipe, the in-process transport for the hosted contexts, docs and security headers. Returned initialized
 * (migrations ran, relays started) but not listening.
 *
 * When some contexts are extracted, the hosted ones are also served over Redis, so an extracted context
 * can call back into the monolith through the same contracts.
 */
export async function createApp(): Promise<NestFastifyApplication> {
  const config = loadConfig();
  const remote = config.messaging.remoteContexts;
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(remote),
    createFastifyAdapter(config),
    {
      bufferLogs: true,
      // Fastify's own JSON parser stays; Nest's extra form-body parser would accept urlencoded bodies.
      bodyParser: false,
    },
  );
  app.useGlobalPipes(createValidationPipe());
  await configureHttpApp(app, config);
  app.connectMicroservice({ strategy: app.get(InProcessServer) }, { inheritAppConfig: true });
  if (remote.length) {
    const { url, keyPrefix } = config.redis;
    const server = new RedisRpcServer({ url, keyPrefix, contexts: hostedContexts(remote) });
    app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
  }
  await app.startAllMicroservices();
  await app.init();
  return app;
}
