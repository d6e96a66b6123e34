import { Controller, Delete, Get, Header, HttpCode, Post, Req, Res, VERSION_NEUTRAL } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import type { CallMeta } from '@ficus/contracts';
import { Meta } from '../auth/actor.decorator.js';
import { AdminRoute, PublicRoute } from '../auth/route-access.decorator.js';
import { QUEUE_BOARD_ROUTE } from './queue-board-access.hook.js';
import { QUEUE_BOARD_SIGN_IN_PAGE } from './queue-board-sign-in.page.js';
import { QUEUE_BOARD_COOKIE, QueueBoardSessions } from './queue-board-sessions.js';
import { ApiExcludeController } from '@ficus/platform';

/**
 * How a browser opens Bull Board (an operations route, outside /v1 and the OpenAPI document like /health
 * and /metrics). `POST` exchanges an admin access token for the board's session cookie: HttpOnly,
 * SameSite=Strict, Secure over HTTPS, Path=/admin/queues, living ADMIN_QUEUES_SESSION_TTL_S and never
 * past the token. `GET` is a sign-in page that does that from an admin's e-mail and password; `DELETE`
 * signs out.
 */
@ApiExcludeController()
@Controller({ path: 'admin/queues/session', version: VERSION_NEUTRAL })
export class QueueBoardSessionHttpController {
  constructor(private readonly sessions: QueueBoardSessions) {}

  @Post()
  @AdminRoute()
  @HttpCode(204)
  open(@Meta() meta: CallMeta, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const token = request.headers.authorization!.split(' ')[1]!;
    const lifetime = this.sessions.lifetimeSeconds(decodeJwt(token).exp);
    const value = this.sessions.issue(meta.actor!, lifetime);
    void reply.header('set-cookie', sessionCookie(request, value, lifetime)).header('cache-control', 'no-store');
  }

  @Delete()
  @PublicRoute()
  @HttpCode(204)
  close(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('set-cookie', sessionCookie(request, '', 0));
  }

  @Get()
  @PublicRoute()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  signInPage() {
    return QUEUE_BOARD_SIGN_IN_PAGE;
  }
}

function sessionCookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  const attributes = [`Path=${QUEUE_BOARD_ROUTE}`, `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Strict'];
  // Behind a TLS-terminating proxy, the protocol comes from X-Forwarded-Proto when TRUST_PROXY is on.
  if (request.protocol === 'https') attributes.push('Secure');
  return [`${QUEUE_BOARD_COOKIE}=${value}`, ...attributes].join('; ');
}
