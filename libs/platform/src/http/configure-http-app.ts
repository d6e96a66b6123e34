import type { IncomingMessage } from 'node:http';
import cors from '@fastify/cors';
import { VersioningType } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FicusConfig } from '../config/ficus.config.js';
import { FicusLogger, registerRequestLog } from '../logging/ficus-logger.js';
import { registerRequestContext } from '../logging/request-context.js';
import { collectProcessMetrics, httpRequestDuration } from '../metrics/metrics.js';
import { resolveRequestId } from './correlation.js';
import { registerEtagHook } from './etag.hook.js';
import { answerClientError, answerFrameworkError, registerProblemSafetyNet } from './framework-error-replies.js';
import { LIVENESS_PATH, serverWithLivenessProbe } from './liveness-probe.js';
import { staticSecurityHeaders } from './security-headers.js';
import { registerMultipartUploads } from './multipart-uploads.js';
import { registerInputGuard } from './unsafe-input.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Fastify with a 1 MiB body limit and the correlation id assigned before anything else runs: taken from
 * `X-Request-Id` when plain, generated otherwise, echoed on every response with the security headers.
 * `GET /health/live` is answered by the HTTP server before Fastify (`serverWithLivenessProbe`): a liveness
 * probe checks that the event loop answers, so it skips every per-request hook, Fastify's and Nest's.
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
    serverFactory: serverWithLivenessProbe,
    frameworkErrors: answerFrameworkError(securityHeaders),
    clientErrorHandler: answerClientError(securityHeaders),
  });
  const fastify = adapter.getInstance();
  // First, so that everything after it logs with the request's correlation id.
  registerRequestContext(fastify);
  // Only JSON bodies are accepted (multipart routes register their own parser); anything else is 415.
  fastify.removeContentTypeParser(['text/plain']);
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.headers(securityHeaders);
    reply.header('x-request-id', request.id);
    done();
  });
  // Only `HEAD` and `GET /health/live?…` reach this route; the plain probe is answered before Fastify.
  fastify.get(LIVENESS_PATH, (_request, reply) => {
    void reply.header('cache-control', 'no-store').send({ status: 'ok' });
  });
  registerEtagHook(fastify);
  registerInputGuard(fastify);
  registerProblemSafetyNet(fastify);
  // A callback hook: an async one costs a promise per request.
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    httpRequestDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
  return adapter;
}

/** Everything the facade (and any HTTP host) shares: logger, versioning, CORS, multipart for the routes that opt in, docs. */
export async function configureHttpApp(app: NestFastifyApplication, config: FicusConfig): Promise<void> {
  useFicusLogger(app);
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

/** Nest's logger becomes pino's JSON lines, and each answered request gets its line at `info`. */
export function useFicusLogger(app: NestFastifyApplication): void {
  const logger = app.get(FicusLogger);
  app.useLogger(logger);
  registerRequestLog(app.getHttpAdapter().getInstance(), logger);
}

/** Loaded only when docs are on (API_DOCS): the document builder and Swagger UI cost start-up time. */
async function setupApiDocs(app: NestFastifyApplication): Promise<void> {
  const [{ SwaggerModule }, { buildOpenApiDocument }] = await Promise.all([
    import('@nestjs/swagger'),
    import('./openapi/openapi-document.js'),
  ]);
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
