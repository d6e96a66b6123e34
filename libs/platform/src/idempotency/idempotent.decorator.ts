import { applyDecorators, createParamDecorator, type ExecutionContext, UseInterceptors } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { IDEMPOTENCY_KEY_HEADER, MAX_IDEMPOTENCY_KEY_LENGTH, parseIdempotencyKey } from './idempotency.errors.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { ApiHeader } from '../http/openapi/api-docs.decorators.js';

/**
 * Makes a creating POST idempotent (API.md "Idempotency"): the client must send `Idempotency-Key`; a retry
 * with the same key and body gets the first answer again. Needs `IdempotencyModule` in the app and a
 * signed-in caller (keys are per user). Document the answers with `@ApiProblems(400, 409, 422, …)`.
 */
export const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: true,
      description:
        'Unique per intended operation (a UUID is fine). A retry with the same key and the same JSON body ' +
        'gets the original status and body again, with `Idempotent-Replayed: true`; a different body → 422 ' +
        'IDEMPOTENCY_KEY_REUSED; while the first is still running → 409 IDEMPOTENCY_KEY_IN_USE. A failed ' +
        'request frees its key. Kept at least 24 h.',
      schema: { type: 'string', minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
    }),
  );

/** The request's Idempotency-Key, for the handler to pass on (e.g. into a contract call that dedupes on it). */
export const IdempotencyKey = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  parseIdempotencyKey(ctx.switchToHttp().getRequest<FastifyRequest>().headers[IDEMPOTENCY_KEY_HEADER]),
);
