import { type CallHandler, type ExecutionContext, Injectable, Logger, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, finalize, mergeMap, type Observable, of } from 'rxjs';
import { ContextUnavailableError } from '../errors/domain-error.js';
import { HttpProblem } from '../http/all-exceptions.filter.js';
import type { FicusRawRequest } from '../http/correlation.js';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  IdempotencyProblems,
  parseIdempotencyKey,
} from './idempotency.errors.js';
import { type IdempotencyScope, IdempotencyStore, type StoredResponse } from './idempotency.store.js';
import { requestFingerprint } from './request-fingerprint.js';

/** The response headers a replay must repeat; the rest (request id, rate limits, …) belong to each answer. */
const REPLAYED_HEADERS = ['location', 'content-location', 'content-type'] as const;
/** How long a client is asked to wait before asking again about a key that is in use. */
const IN_USE_RETRY_AFTER_SECONDS = 1;

/**
 * Idempotency-Key for creating POSTs (applied by `@Idempotent()`; API.md "Idempotency").
 *
 * Interceptors run after guards (so the caller is known) and before pipes: the global ValidationPipe, the
 * handler and the exception filter all run inside `next.handle()`, so any failure there (validation 400,
 * a domain 4xx, 503, 500) is seen here and frees the key before the error answer goes out.
 *
 * 1. Key claimed in Postgres as in progress (INSERT … ON CONFLICT: one winner among concurrent requests),
 *    with a lease renewed while the handler runs; a key held by a dead process is taken over after it.
 * 2. Success: status, Location/Content-Type and the body as serialized are stored, then sent.
 * 3. Same key again: same fingerprint → that answer replayed (`Idempotent-Replayed: true`), not the current
 *    state; different fingerprint → 422; still running → 409 with Retry-After.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const key = parseIdempotencyKey(request.headers[IDEMPOTENCY_KEY_HEADER]);
    const scope = { userId: this.userOf(request), route: `${request.method} ${request.routeOptions.url}`, key };
    const fingerprint = requestFingerprint({ params: request.params, query: request.query, body: request.body });
    const outcome = await this.storeCall('claim', () => this.store.claim(scope, fingerprint));
    switch (outcome.kind) {
      case 'reused':
        throw IdempotencyProblems.reused();
      case 'in-use':
        throw IdempotencyProblems.inUse(IN_USE_RETRY_AFTER_SECONDS);
      case 'replay':
        return of(this.replay(http.getResponse<FastifyReply>(), outcome.response));
      case 'claimed':
        return this.run(scope, outcome.lock, this.statusOf(context, request), http.getResponse(), next);
    }
  }

  private run(
    scope: IdempotencyScope,
    lock: string,
    status: number,
    reply: FastifyReply,
    next: CallHandler,
  ): Observable<unknown> {
    const heartbeat = setInterval(() => {
      this.store.renew(scope, lock).catch((error: unknown) => this.warn('idempotency.renew-failed', scope, error));
    }, this.store.leaseMs / 3);
    heartbeat.unref();
    return next.handle().pipe(
      mergeMap(async (body) => {
        clearInterval(heartbeat);
        const stored = await this.store
          .complete(scope, lock, capture(status, reply, body))
          .catch((error: unknown) => this.warn('idempotency.complete-failed', scope, error));
        // The effect happened: answer it even if it could not be recorded. The key then stays locked until its
        // lease runs out, after which a retry runs again (downstream dedupes on the same key).
        if (stored === false) this.warn('idempotency.lock-lost', scope, 'the key was taken over after its lease');
        return body;
      }),
      catchError(async (error: unknown) => {
        clearInterval(heartbeat);
        await this.store.release(scope, lock).catch((e: unknown) => this.warn('idempotency.release-failed', scope, e));
        throw error;
      }),
      // Torn down without an outcome (client gone): the key stays locked until the lease passes, since the
      // handler may still be running.
      finalize(() => clearInterval(heartbeat)),
    );
  }

  /**
   * A web `Response` is sent by Nest with its own status and headers, winning over the route's current
   * `@HttpCode`: the replay is the original answer even if the route changed since.
   */
  private replay(reply: FastifyReply, response: StoredResponse): Response {
    reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
    const headers = { ...response.headers };
    // Sent with a length like the original, not chunked as a stream of unknown length would be.
    if (response.body !== null) headers['content-length'] = String(Buffer.byteLength(response.body));
    return new Response(response.body, { status: response.status, headers });
  }

  /** Keys are per user; the facade's guard has verified the caller before any interceptor runs. */
  private userOf(request: FastifyRequest): string {
    const actor = (request.raw as FicusRawRequest).actor;
    if (actor) return actor.userId;
    // Anonymous callers share no scope: one could replay another's answer by guessing a key.
    throw new HttpProblem(401, 'UNAUTHENTICATED', 'Sign in to send requests with an Idempotency-Key.', {
      'www-authenticate': 'Bearer',
    });
  }

  /** The status Nest will send: the route's `@HttpCode`, else 201 for POST and 200 otherwise. */
  private statusOf(context: ExecutionContext, request: FastifyRequest): number {
    const declared = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler());
    return declared ?? (request.method === 'POST' ? 201 : 200);
  }

  /** The key store being down is a dependency outage: 503 + Retry-After, never a 500 or a hang. */
  private async storeCall<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      this.logger.warn({ event: `idempotency.${what}-failed`, err: error }, 'the idempotency store failed');
      throw new ContextUnavailableError('idempotency', error instanceof Error ? error.message : String(error));
    }
  }

  private warn(event: string, scope: IdempotencyScope, error: unknown): undefined {
    this.logger.warn({ event, route: scope.route, err: error }, event);
    return undefined;
  }
}

/** What the client is about to receive, as it will be serialized (Fastify sends objects as JSON). */
function capture(status: number, reply: FastifyReply, body: unknown): StoredResponse {
  const text = body === undefined || body === null ? null : typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  if (text !== null && !headers['content-type']) {
    headers['content-type'] =
      typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
  }
  return { status, headers, body: text };
}
