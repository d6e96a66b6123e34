import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { type FicusRawRequest, HttpProblem, NoOpForInProcessCalls } from '@ficus/platform';
import { REQUIRED_ROLES } from './roles.decorator.js';

/** Admin routes: signed in (else the auth guard already answered 401) but lacking a role → 403. */
@Injectable()
@NoOpForInProcessCalls() // HTTP requests only (see canActivate)
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const required = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required?.length) return true;
    const actor = (context.switchToHttp().getRequest<FastifyRequest>().raw as FicusRawRequest).actor;
    if (!actor)
      throw new HttpProblem(401, 'UNAUTHENTICATED', 'Sign in to use this endpoint.', { 'www-authenticate': 'Bearer' });
    if (!required.every((role) => actor.roles.includes(role))) {
      throw new HttpProblem(403, 'FORBIDDEN', 'You are not allowed to do this.');
    }
    return true;
  }
}
