import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  AccessTokenVerifier,
  configureHttpApp,
  createFastifyAdapter,
  createValidationPipe,
  InProcessServer,
  loadConfig,
  RedisRpcServer,
} from '@ficus/platform';
import { AppModule, hostedContexts } from './app.module.js';
import { registerQueueBoardAccess } from './http/queue-board/queue-board-access.hook.js';
import { QueueBoardSessions } from './http/queue-board/queue-board-sessions.js';

/**
 * Builds the monolith exactly as production runs it (tests use this too): Fastify, the global validation
 * pipe, the in-process transport for the hosted contexts, docs and security headers. Returned initialized
 * (migrations ran, relays started) but not listening.
 *
 * When some contexts are extracted, the hosted ones are also served over Redis, so an extracted context
 * can call back into the monolith through the same contracts. Transports start taking requests only
 * after `init()`, once every handler can run.
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
  // Before init, when @bull-board/nestjs mounts the board: a root hook covers every route of the plugin.
  registerQueueBoardAccess(
    app.getHttpAdapter().getInstance(),
    app.get(AccessTokenVerifier),
    app.get(QueueBoardSessions),
  );
  app.connectMicroservice({ strategy: app.get(InProcessServer) }, { inheritAppConfig: true });
  const hosted = hostedContexts(remote);
  // Nothing to serve over Redis when every context is remote (or when none is: nobody calls over Redis).
  if (remote.length && hosted.length) {
    const { url, keyPrefix } = config.redis;
    const server = new RedisRpcServer({ url, keyPrefix, contexts: hosted, leaseMs: config.messaging.rpcLeaseMs });
    app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
  }
  await app.init();
  // Only now take requests: CQRS registers its command and query handlers during init, so a request that
  // waited in Redis while this process started would otherwise fail with QueryHandlerNotFoundException.
  // (Handlers of the in-process transport are registered by connectMicroservice, so relays that deliver
  // events during init do not need it to listen; its event workers start when it does.)
  await app.startAllMicroservices();
  return app;
}
