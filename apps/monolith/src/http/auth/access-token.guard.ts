import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import {
  AccessTokenVerifier,
  type FicusRawRequest,
  HttpProblem,
  InvalidAccessToken,
  IS_PUBLIC,
  NoOpForInProcessCalls,
} from '@ficus/platform';

const CHALLENGE = 'Bearer';
const INVALID_CHALLENGE = 'Bearer error="invalid_token"';

/**
 * Verifies the access token once, at the facade (RFC 6750 answers). A token that is sent is always
 * checked, even on public routes: a client with a bad token should learn so. The verified actor is put
 * on the raw request, from where `@Meta()` passes it to contexts in every contract call.
 */
@Injectable()
@NoOpForInProcessCalls() // HTTP requests only (see canActivate)
export class AccessTokenGuard implements CanActivate {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const raw = request.raw as FicusRawRequest;
    const header = request.headers.authorization;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (!header) {
      raw.actor = null;
      if (isPublic) return true;
      throw new HttpProblem(401, 'UNAUTHENTICATED', 'Sign in to use this endpoint.', { 'www-authenticate': CHALLENGE });
    }
    const [scheme, token, extra] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token || extra !== undefined || token.length > 4096) {
      throw new HttpProblem(401, 'UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>".', {
        'www-authenticate': INVALID_CHALLENGE,
      });
    }
    try {
      raw.actor = await this.verifier.verify(token);
      return true;
    } catch (error) {
      const detail = error instanceof InvalidAccessToken ? error.reason : 'The access token is not valid.';
      throw new HttpProblem(401, 'UNAUTHENTICATED', detail, { 'www-authenticate': INVALID_CHALLENGE });
    }
  }
}
