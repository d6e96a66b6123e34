import type { IncomingMessage } from 'node:http';
import cors from '@fastify/cors';
import { VersioningType } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { FicusConfig } from '../config/ficus.config.js';
import { collectProcessMetrics, httpRequestDuration } from '../metrics/metrics.js';
import { resolveRequestId } from './correlation.js';
import { registerEtagHook } from './etag.hook.js';
import { answerClientError, answerFrameworkError, registerProblemSafetyNet } from './framework-error-replies.js';
import { staticSecurityHeaders } from './security-headers.js';
import { registerMultipartUploads } from './multipart-uploads.js';
import { registerInputGuard } from './unsafe-input.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;
const LIVENESS_PATH = '/health/live';

/**
 * Fastify with a 1 MiB body limit and the correlation id assigned before anything else runs: taken from
 * `X-Request-Id` when plain, generated otherwise, echoed on every response with the security headers.
 * `/health/live` is a plain Fastify route: a liveness probe checks that the event loop answers, so it
 * skips Nest's pipeline (guards, interceptors) entirely.
 *
 * Bad input never reaches a handler as a 5xx or leaves as anything but a problem: NUL characters and
 * deep nesting are refused before anything walks the input (`registerInputGuard`), and every error Fastify
 * answers by itself (router, HTTP parser, plugins) becomes a problem too (`framework-error-replies.ts`).
 */
export function createFastifyAdapter(config: FicusConfig): FastifyAdapter {
  const securityHeaders = staticSecurityHeaders();
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.http.trustProxy,
    genReqId: (raw: IncomingMessage) => {
      const id = resolveRequestId(raw.headers['x-request-id']);
      (raw as unknown as { id: string }).id = id;
      return id;
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 512 },
    frameworkErrors: answerFrameworkError(securityHeaders),
    clientErrorHandler: answerClientError(securityHeaders),
  });
  const fastify = adapter.getInstance();
  // Only JSON bodies are accepted (multipart routes register their own parser); anything else is 415.
  fastify.removeContentTypeParser(['text/plain']);
  fastify.addHook('onRequest', (request, reply, done) => {
    // Browser-facing security headers (~1 KB, a dozen header writes) are no use to a liveness probe's
    // `{"status":"ok"}`; every other answer, problems included, carries them.
    if (request.url !== LIVENESS_PATH) reply.headers(securityHeaders);
    reply.header('x-request-id', request.id);
    done();
  });
  fastify.get(LIVENESS_PATH, (_request, reply) => {
    void reply.send({ status: 'ok' });
  });
  registerEtagHook(fastify);
  registerInputGuard(fastify);
  registerProblemSafetyNet(fastify);
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    httpRequestDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  return adapter;
}

/** Everything the facade (and any HTTP host) shares: logger, versioning, CORS, multipart for the routes that opt in, docs. */
export async function configureHttpApp(app: NestFastifyApplication, config: FicusConfig): Promise<void> {
  app.useLogger(app.get(Logger));
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  app.enableShutdownHooks();
  collectProcessMetrics();
  await app.register(cors, {
    origin: config.http.corsOrigins.includes('*') ? true : config.http.corsOrigins,
    exposedHeaders: [
      'X-Request-Id',
      'ETag',
      'Location',
      'Retry-After',
      'RateLimit-Limit',
      'RateLimit-Remaining',
      'RateLimit-Reset',
      'Idempotent-Replayed',
    ],
    maxAge: 600,
  });
  await registerMultipartUploads(app);
  if (config.http.docs) await setupApiDocs(app);
}

/** Loaded only when docs are on (API_DOCS): the document builder and Swagger UI cost start-up time. */
async function setupApiDocs(app: NestFastifyApplication): Promise<void> {
  const [{ SwaggerModule }, { buildOpenApiDocument }] = await Promise.all([
    import('@nestjs/swagger'),
    import('./openapi/openapi-document.js'),
  ]);
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
