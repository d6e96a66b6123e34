import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '@ficus/contracts';
import { type AccessTokenVerifier, type FicusRawRequest, InvalidAccessToken, sendProblem } from '@ficus/platform';
import { cookieValue, QUEUE_BOARD_COOKIE, type QueueBoardSessions } from './queue-board-sessions.js';

/** Where Bull Board is mounted, and its session route (a Nest route with the usual guards, left alone here). */
export const QUEUE_BOARD_ROUTE = '/admin/queues';
export const QUEUE_BOARD_SESSION_ROUTE = `${QUEUE_BOARD_ROUTE}/session`;

const SIGN_IN = `Send an admin access token as "Authorization: Bearer <token>", or open ${QUEUE_BOARD_SESSION_ROUTE} in a browser.`;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const underBoard = (path: string | undefined) =>
  path !== undefined && (path === QUEUE_BOARD_ROUTE || path.startsWith(`${QUEUE_BOARD_ROUTE}/`));

/**
 * Bull Board is a Fastify plugin outside Nest's pipeline, so Nest's guards never see its page, its static
 * assets or its API. This root `onRequest` hook gives all of them the facade's rule — admins only: no
 * credentials 401 (`WWW-Authenticate: Bearer`), a bad one 401 (`error="invalid_token"`), a customer 403,
 * as problem+json — before any of the board's handlers run. It decides by the route Fastify matched (what
 * would actually run), and by the raw path for requests that match nothing, so no encoding of the URL
 * slips past. Credentials: a bearer access token, or the board's session cookie for browsers; with the
 * cookie, a write whose Origin is another site is refused (SameSite=Strict already keeps it from being sent).
 */
export function registerQueueBoardAccess(
  fastify: FastifyInstance,
  verifier: AccessTokenVerifier,
  sessions: QueueBoardSessions,
): void {
  // Callback style: every request of the app passes here, and an async hook would cost each one a promise
  // and a microtask hop; only requests for the board wait for `admitToBoard`.
  fastify.addHook('onRequest', (request, reply, done) => {
    const route = request.routeOptions.url;
    if (route === QUEUE_BOARD_SESSION_ROUTE) return done();
    if (!underBoard(route) && !underBoard(request.url.split('?')[0])) return done();
    admitToBoard(request, reply, verifier, sessions).then((admitted) => {
      // When refused, the problem is already sent: `done` is not called, so nothing else runs.
      if (admitted) done();
    }, done);
  });
}

/** Whether the caller is an admin (bound to the request); otherwise the 401/403 problem has been sent. */
async function admitToBoard(
  request: FastifyRequest,
  reply: FastifyReply,
  verifier: AccessTokenVerifier,
  sessions: QueueBoardSessions,
): Promise<boolean> {
  const actor = await authenticate(request, reply, verifier, sessions);
  if (!actor) return false;
  if (!actor.roles.includes('admin')) {
    await sendProblem(request, reply, { status: 403, code: 'FORBIDDEN', detail: 'The queue board is for admins.' });
    return false;
  }
  (request.raw as FicusRawRequest).actor = actor;
  return true;
}

/** The caller, or null once a 401 (or 403 for a cross-site write) has been sent. */
async function authenticate(
  request: FastifyRequest,
  reply: FastifyReply,
  verifier: AccessTokenVerifier,
  sessions: QueueBoardSessions,
): Promise<Actor | null> {
  const unauthenticated = (detail: string, challenge: string) => {
    void sendProblem(
      request,
      reply,
      { status: 401, code: 'UNAUTHENTICATED', detail },
      { 'www-authenticate': challenge },
    );
    return null;
  };
  const header = request.headers.authorization;
  if (header !== undefined) {
    const [scheme, token, extra] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token || extra !== undefined || token.length > 4096) {
      return unauthenticated('The Authorization header must be "Bearer <token>".', 'Bearer error="invalid_token"');
    }
    try {
      return await verifier.verify(token);
    } catch (error) {
      const detail = error instanceof InvalidAccessToken ? error.reason : 'The access token is not valid.';
      return unauthenticated(detail, 'Bearer error="invalid_token"');
    }
  }
  const cookie = cookieValue(request.headers.cookie, QUEUE_BOARD_COOKIE);
  if (cookie === undefined) return unauthenticated(`Sign in to see the queue board. ${SIGN_IN}`, 'Bearer');
  const actor = sessions.verify(cookie);
  if (!actor) return unauthenticated(`The board session has expired or is not valid. ${SIGN_IN}`, 'Bearer');
  const origin = request.headers.origin;
  if (!SAFE_METHODS.has(request.method) && origin !== undefined && !sameOrigin(origin, request)) {
    void sendProblem(request, reply, { status: 403, code: 'FORBIDDEN', detail: 'Cross-site writes are refused.' });
    return null;
  }
  return actor;
}

function sameOrigin(origin: string, request: FastifyRequest): boolean {
  try {
    return new URL(origin).host === request.host;
  } catch {
    return false;
  }
}
