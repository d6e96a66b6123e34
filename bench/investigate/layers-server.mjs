// Nest 12 + Fastify hello with Ficus's HTTP layers switched on one by one (env LAYERS, comma-separated),
// configured as Ficus configures them (libs/platform/src/http, logging, apps/monolith/src/app.module.ts),
// but without any context, database or Redis. Used by bench/investigate/layers.mjs to measure what each
// layer costs on GET /health/live. Plain JS: decorators are applied by hand.
//
// Layers: hooks (request id + x-request-id header + prom-client histogram, as createFastifyAdapter),
// pino (Ficus's logging: request-context hook and pino-backed Nest logger, level warn), versioning, helmet, cors,
// guards (three global guards like Ficus's: token check, @nestjs/throttler guard with @SkipThrottle,
// roles), pipe (global ValidationPipe with Ficus's options), docs (Swagger at /docs).

import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import {
  Controller,
  Get,
  Inject,
  Injectable,
  Module,
  ValidationPipe,
  VersioningType,
  VERSION_NEUTRAL,
} from '@nestjs/common';
import { APP_GUARD, NestFactory, Reflector } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

const layers = new Set(
  (process.env.LAYERS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const KNOWN = ['hooks', 'pino', 'versioning', 'helmet', 'cors', 'guards', 'pipe', 'docs'];
for (const layer of layers) {
  if (!KNOWN.includes(layer)) {
    process.stderr.write(`unknown layer "${layer}" (known: ${KNOWN.join(', ')})\n`);
    process.exit(1);
  }
}

const IS_PUBLIC = 'ficus:isPublic';
const REQUIRED_ROLES = 'ficus:roles';

class HealthController {
  live() {
    return { status: 'ok' };
  }
}
const liveDescriptor = Object.getOwnPropertyDescriptor(HealthController.prototype, 'live');
Get('live')(HealthController.prototype, 'live', liveDescriptor);

const imports = [];
const providers = [];

if (layers.has('guards')) {
  const { ThrottlerGuard, ThrottlerModule, SkipThrottle } = await import('@nestjs/throttler');
  SkipThrottle()(HealthController);
  Reflect.defineMetadata(IS_PUBLIC, true, HealthController);

  class TokenGuard {
    constructor(reflector) {
      this.reflector = reflector;
    }
    async canActivate(context) {
      if (context.getType() !== 'http') return true;
      const request = context.switchToHttp().getRequest();
      const isPublic = this.reflector.getAllAndOverride(IS_PUBLIC, [context.getHandler(), context.getClass()]);
      if (!request.headers.authorization) {
        request.raw.actor = null;
        return Boolean(isPublic);
      }
      return false;
    }
  }
  Injectable()(TokenGuard);
  Inject(Reflector)(TokenGuard, undefined, 0);

  class RolesGuard {
    constructor(reflector) {
      this.reflector = reflector;
    }
    canActivate(context) {
      if (context.getType() !== 'http') return true;
      const required = this.reflector.getAllAndOverride(REQUIRED_ROLES, [context.getHandler(), context.getClass()]);
      return !required?.length;
    }
  }
  Injectable()(RolesGuard);
  Inject(Reflector)(RolesGuard, undefined, 0);

  imports.push(ThrottlerModule.forRoot({ throttlers: [{ name: 'default', ttl: 60_000, limit: 1_000_000 }] }));
  providers.push(
    { provide: APP_GUARD, useClass: TokenGuard },
    { provide: APP_GUARD, useClass: ThrottlerGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  );
}

// Ficus's logging (libs/platform/src/logging): one pino instance, the correlation id bound per request by a
// Fastify hook, Nest's logger writing pino lines (level warn, so no request line). Built code, as `helmet`.
const logging = layers.has('pino') ? await import('../../dist/libs/platform/src/logging/index.js') : undefined;

Controller(layers.has('versioning') ? { path: 'health', version: VERSION_NEUTRAL } : 'health')(HealthController);

class AppModule {}
Module({ imports, controllers: [HealthController], providers })(AppModule);

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
function createAdapter() {
  if (!layers.has('hooks')) return new FastifyAdapter({ logger: false });
  const adapter = new FastifyAdapter({
    bodyLimit: 1024 * 1024,
    trustProxy: false,
    genReqId: (raw) => {
      const header = raw.headers['x-request-id'];
      const value = Array.isArray(header) ? header[0] : header;
      const id = value && SAFE_REQUEST_ID.test(value) ? value : randomUUID();
      raw.id = id;
      return id;
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 512 },
  });
  return adapter;
}

const port = Number(process.env.PORT ?? 0);
const host = process.env.HOST ?? '127.0.0.1';

try {
  const adapter = createAdapter();
  if (layers.has('hooks')) {
    const { Histogram, collectDefaultMetrics } = await import('prom-client');
    const histogram = new Histogram({
      name: 'ficus_http_request_duration_seconds',
      help: 'HTTP request duration by method, route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    });
    collectDefaultMetrics();
    const fastify = adapter.getInstance();
    fastify.removeContentTypeParser(['text/plain']);
    fastify.addHook('onRequest', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });
    fastify.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      histogram.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });
  }
  const app = await NestFactory.create(AppModule, adapter, { logger: false, bufferLogs: layers.has('pino') });
  if (layers.has('pipe')) {
    app.useGlobalPipes(
      new ValidationPipe({
        whitelist: true,
        forbidNonWhitelisted: true,
        forbidUnknownValues: true,
        transform: true,
        stopAtFirstError: false,
        validationError: { target: false, value: false },
      }),
    );
  }
  if (logging) {
    const logger = new logging.FicusLogger(logging.createPino('warn'));
    logging.registerRequestContext(adapter.getInstance());
    logging.registerRequestLog(adapter.getInstance(), logger);
    app.useLogger(logger);
  }
  if (layers.has('versioning')) app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  if (layers.has('helmet')) {
    // Ficus now computes helmet's headers once (libs/platform/src/http/security-headers.ts); this layer
    // applies that same static set, so the layer costs what Ficus pays today.
    const { staticSecurityHeaders } = await import('../../dist/libs/platform/src/http/security-headers.js');
    const headers = staticSecurityHeaders();
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onRequest', (_request, reply, done) => {
        reply.headers(headers);
        done();
      });
  }
  if (layers.has('cors')) {
    const { default: cors } = await import('@fastify/cors');
    await app.register(cors, {
      origin: true,
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
  }
  if (layers.has('docs')) {
    const { DocumentBuilder, SwaggerModule } = await import('@nestjs/swagger');
    const config = new DocumentBuilder().setTitle('layers').setVersion('1').build();
    SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config), { jsonDocumentUrl: 'docs-json' });
  }
  await app.listen({ port, host });
  process.stdout.write(
    `${JSON.stringify({ event: 'layers.listening', layers: [...layers], startupMs: Math.round(performance.now()) })}\n`,
  );
} catch (error) {
  process.stderr.write(`layers-server failed to start: ${error?.stack ?? error}\n`);
  process.exit(1);
}
