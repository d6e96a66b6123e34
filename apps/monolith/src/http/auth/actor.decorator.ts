import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { callMetaFrom } from '@ficus/platform';

/** The contract call context of this request: correlation id, verified actor, traceparent. */
export const Meta = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  callMetaFrom(ctx.switchToHttp().getRequest<FastifyRequest>()),
);
