import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FicusRawRequest } from './correlation.js';
import { problem, PROBLEM_CONTENT_TYPE, type ProblemDetails } from './problem-details.js';

type ProblemInput = Omit<ProblemDetails, 'type' | 'title' | 'instance' | 'traceId'>;

/** The correlation id of a request: also the problem's `traceId` and the echoed `X-Request-Id`. */
export function traceIdOf(request: FastifyRequest): string {
  return (request.raw as FicusRawRequest).id ?? request.id;
}

/** The path of the request, without its query string (which may hold what the client would not log). */
export function instanceOf(request: FastifyRequest): string {
  return (request.raw.url ?? request.url ?? '').split('?')[0]!;
}

/** The problem body for this request, with its `instance` and `traceId`. */
export function problemFor(request: FastifyRequest, input: ProblemInput): ProblemDetails {
  return problem({ ...input, instance: instanceOf(request), traceId: traceIdOf(request) });
}

/**
 * Answers with an RFC 9457 problem: every answer of an error goes through here (the exception filter, the
 * input guard, Fastify's own errors), so all of them carry the same fields and headers.
 */
export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  input: ProblemInput,
  headers: Record<string, string> = {},
): FastifyReply {
  return reply
    .status(input.status)
    .headers({ ...headers, 'content-type': PROBLEM_CONTENT_TYPE, 'x-request-id': traceIdOf(request) })
    .send(problemFor(request, input));
}
