import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type FicusRawRequest, NoOpForInProcessCalls } from '@ficus/platform';

/**
 * One budget per caller across all routes: per user when signed in, per IP otherwise. Answers with the
 * IETF `RateLimit-*` header family only (no `X-RateLimit-*` duplicates). Runs after the auth guard, which
 * has already put the verified actor on the request.
 */
@Injectable()
@NoOpForInProcessCalls() // HTTP requests only (see canActivate)
export class FicusThrottlerGuard extends ThrottlerGuard {
  protected override headerPrefix = 'RateLimit';

  /** Global guards also see contract messages; only HTTP requests are rate limited here. */
  override canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return Promise.resolve(true);
    return super.canActivate(context);
  }

  /** A refused request still learns its budget: the RateLimit family goes out with the 429 and Retry-After. */
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail) {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    reply.header(`${this.headerPrefix}-Limit`, detail.limit);
    reply.header(`${this.headerPrefix}-Remaining`, 0);
    reply.header(`${this.headerPrefix}-Reset`, detail.timeToBlockExpire);
    return super.throwThrottlingException(context, detail);
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as FastifyRequest;
    const actor = (request.raw as FicusRawRequest).actor;
    return actor ? `user:${actor.userId}` : `ip:${request.ip}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }
}

/** The per-request limit: the user budget when signed in, the IP budget otherwise. */
export function limitFor(context: ExecutionContext, perUser: number, perIp: number): number {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  return (request.raw as FicusRawRequest).actor ? perUser : perIp;
}
