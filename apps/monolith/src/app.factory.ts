import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  configureHttpApp,
  createFastifyAdapter,
  createValidationPipe,
  type FicusConfig,
  ficusConfig,
  loadConfig,
  startInProcessTransport,
} from '@ficus/platform';
import { AppModule } from './app.module.js';

/**
 * Builds the monolith exactly as production runs it (tests use this too): Fastify, the global validation
 * pipe, the in-process transport for the hosted contexts, docs and security headers. Initialized (migrations ran, relays started) but not listening.
 */
export async function createApp(): Promise<NestFastifyApplication> {
  const bootConfig = loadConfig();
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createFastifyAdapter(bootConfig), {
    bufferLogs: true,
    // Fastify's own JSON parser stays; Nest's extra form-body parser would accept urlencoded bodies.
    bodyParser: false,
  });
  const config = app.get<FicusConfig>(ficusConfig.KEY);
  app.useGlobalPipes(createValidationPipe());
  await configureHttpApp(app, config);
  await startInProcessTransport(app);
  await app.init();
  return app;
}
