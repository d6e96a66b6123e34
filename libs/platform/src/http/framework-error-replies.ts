import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FRAMEWORK_ERRORS, frameworkProblem, genericProblem, type ProblemSpec } from './framework-errors.js';
import { problem, PROBLEM_CONTENT_TYPE } from './problem-details.js';
import { problemFor, sendProblem } from './problem-reply.js';

/**
 * Fastify's `frameworkErrors`: the router rejects a malformed URL (400) or an over-long path parameter
 * (414) before any hook runs and would answer its own JSON. Here they become problems like every other
 * error, with the headers the `onRequest` hook would have set. (This replaces Nest's own handler, which
 * only runs Nest's built-in security hook; Ficus sets its security headers itself.)
 */
export function answerFrameworkError(securityHeaders: Record<string, string>) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    void sendProblem(request, reply.headers(securityHeaders), frameworkProblem(error));
  };
}

const CLIENT_ERRORS: Record<string, ProblemSpec> = {
  ERR_HTTP_REQUEST_TIMEOUT: genericProblem(408),
  HPE_HEADER_OVERFLOW: genericProblem(431),
};

/**
 * Fastify's `clientErrorHandler`: the request could not even be parsed as HTTP (a bad request line,
 * header or Content-Length, headers too large, too slow), so there is no request object and the answer is
 * written straight to the socket, as Node does, but as a problem.
 */
export function answerClientError(securityHeaders: Record<string, string>) {
  return (error: NodeJS.ErrnoException, socket: Duplex): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      const spec = CLIENT_ERRORS[error.code ?? ''] ?? genericProblem(400, 'The request is not valid HTTP/1.1.');
      const traceId = randomUUID();
      const body = JSON.stringify(problem({ ...spec, instance: '', traceId }));
      const headers = {
        ...securityHeaders,
        'content-type': PROBLEM_CONTENT_TYPE,
        'content-length': String(Buffer.byteLength(body)),
        'x-request-id': traceId,
        connection: 'close',
      };
      const head = Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
      socket.write(`HTTP/1.1 ${spec.status} ${STATUS_CODES[spec.status]}\r\n${head}\r\n${body}`);
    }
    socket.destroy(error);
  };
}

/**
 * Routes that answer errors in a documented format of their own: readiness answers 503 with terminus's
 * health report, which orchestrators and dashboards read.
 */
const OWN_ERROR_FORMAT = /^\/health\//;

/**
 * The last line: any error response that is not a problem by the time it is sent (Fastify's default
 * handlers, a plugin such as @fastify/cors refusing a preflight, a 503 while closing) is rewritten into
 * one, keeping its status. Known Fastify error codes keep their stable code; a 5xx says nothing more.
 */
export function registerProblemSafetyNet(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const type = reply.getHeader('content-type');
    if (
      reply.statusCode < 400 ||
      (typeof type === 'string' && type.startsWith('application/problem+json')) ||
      OWN_ERROR_FORMAT.test(request.url)
    ) {
      done(null, payload);
      return;
    }
    const body = problemFor(request, foreignProblem(reply.statusCode, payload));
    reply.removeHeader('content-length');
    reply.header('content-type', PROBLEM_CONTENT_TYPE);
    done(null, JSON.stringify(body));
  });
}

/** What a non-problem error body says, as far as it can be trusted and understood. */
function foreignProblem(status: number, payload: unknown): ProblemSpec {
  const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString() : '';
  let parsed: { code?: unknown; message?: unknown } | undefined;
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    parsed = undefined;
  }
  const known = typeof parsed?.code === 'string' ? FRAMEWORK_ERRORS[parsed.code] : undefined;
  if (known?.status === status) return known;
  const message = typeof parsed === 'object' && parsed !== null ? parsed.message : parsed === undefined ? text : '';
  const readable = typeof message === 'string' && /^[^\r\n]{1,200}$/.test(message) ? message : undefined;
  return genericProblem(status, readable);
}
