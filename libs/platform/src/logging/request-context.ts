import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';

/** What every log line written while serving one request (or one contract call) carries. */
export interface LogContext {
  readonly correlationId: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** The correlation id of the request or contract call being served, if any. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

/** Runs `fn` with `correlationId` bound to every line it logs (also across its awaits). */
export function withCorrelationId<T>(correlationId: string, fn: () => T): T {
  if (storage.getStore()?.correlationId === correlationId) return fn();
  return storage.run({ correlationId }, fn);
}

/**
 * Binds the request's correlation id (Fastify's `request.id`, see `createFastifyAdapter`) for everything
 * that runs while serving it: Nest's guards, interceptors, handlers, in-process contract calls, filters.
 * A Fastify hook, not a Nest middleware: Nest runs middleware through @fastify/middie, an extra hop per
 * request that nestjs-pino used to pay for with a pino-http child logger per request.
 *
 * Bound again before validation because a request body is read from socket events, which run outside the
 * context bound in `onRequest`; requests without a body find it still bound and pay nothing.
 */
export function registerRequestContext(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    storage.run({ correlationId: request.id }, done);
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    if (storage.getStore()?.correlationId === request.id) done();
    else storage.run({ correlationId: request.id }, done);
  });
}
