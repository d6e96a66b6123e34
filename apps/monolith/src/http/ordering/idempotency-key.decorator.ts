import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { OrderingLimits } from '@ficus/contracts';
import { HttpProblem } from '@ficus/platform';

/**
 * The request's `Idempotency-Key` header (1–255 characters), required: a creating POST without one is
 * `400 IDEMPOTENCY_KEY_REQUIRED`. Ordering dedupes placements on (user, key) with it.
 */
export const IdempotencyKeyHeader = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const value = ctx.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'];
  if (typeof value !== 'string' || value.length < 1 || value.length > OrderingLimits.idempotencyKeyMaxLength) {
    throw new HttpProblem(
      400,
      'IDEMPOTENCY_KEY_REQUIRED',
      'Send an Idempotency-Key header of 1 to 255 characters with this request.',
    );
  }
  return value;
});
