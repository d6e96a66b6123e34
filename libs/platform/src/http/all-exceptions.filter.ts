import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { throwError } from 'rxjs';
import { ContextUnavailableError, ContractCallError, DomainError } from '../errors/domain-error.js';
import { contractErrorFor, logUnexpected } from '../errors/contract-error-for.js';
import { NoOpForInProcessCalls } from '../messaging/in-process.direct.js';
import { isExpectedError, retryAfterOf, toContractErrorBody } from '../errors/error-body.js';
import { FRAMEWORK_ERRORS } from './framework-errors.js';
import { problem, type ProblemDetails } from './problem-details.js';
import { sendProblem, traceIdOf } from './problem-reply.js';

/** An HTTP error carrying the extra headers its answer needs (`WWW-Authenticate`, `Retry-After`, …). */
export class HttpProblem extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail, status);
  }
}

interface Mapped {
  body: Omit<ProblemDetails, 'type' | 'title' | 'instance' | 'traceId'> & { code: string };
  headers?: Record<string, string>;
}

function fromHttpException(exception: HttpException): Mapped {
  const status = exception.getStatus();
  const cause = exception.cause as { code?: string; message?: string } | undefined;
  const fastify = cause?.code ? FRAMEWORK_ERRORS[cause.code] : undefined;
  if (fastify) return { body: { ...fastify } };
  if (exception instanceof HttpProblem) {
    return { body: { status, code: exception.code, detail: exception.message }, headers: exception.headers };
  }
  if (exception instanceof ThrottlerException) {
    return { body: { status: 429, code: 'RATE_LIMITED', detail: 'Too many requests; slow down and retry later.' } };
  }
  const response = exception.getResponse();
  const message =
    typeof response === 'object' && response !== null && 'message' in response
      ? (response as { message: unknown }).message
      : exception.message;
  const detail = Array.isArray(message) ? message.join('; ') : String(message);
  const body = problem({ status, detail, instance: '', traceId: '' });
  return { body: { status, code: body.code, detail: status === 404 ? 'No such resource.' : detail } };
}

function map(exception: unknown): Mapped {
  if (exception instanceof DomainError || exception instanceof ContractCallError) {
    const contract = toContractErrorBody(exception);
    const { code, status, detail, errors } = contract;
    const retryAfter = retryAfterOf(contract);
    return {
      body: { status, code, detail, ...(errors ? { errors } : {}) },
      ...(retryAfter ? { headers: { 'retry-after': retryAfter } } : {}),
    };
  }
  if (exception instanceof ContextUnavailableError) {
    return {
      body: { status: 503, code: 'SERVICE_UNAVAILABLE', detail: `The ${exception.context} service is unavailable.` },
      headers: { 'retry-after': String(exception.retryAfterSeconds) },
    };
  }
  if (exception instanceof HttpException) return fromHttpException(exception);
  return { body: { status: 500, code: 'INTERNAL', detail: 'An unexpected error occurred.' } };
}

/**
 * The one filter for every error, HTTP and RPC alike. Over HTTP it answers RFC 9457 problem+json (all
 * fields present); over a transport it returns the plain `{ code, status, detail, kind }` body the caller
 * rebuilds into the same error. Unknown errors are logged with their stack and answered without it.
 */
@Catch()
@NoOpForInProcessCalls() // the direct path maps errors with the same contractErrorFor
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType() === 'rpc') {
      const body = contractErrorFor(exception, host.switchToRpc().getData(), this.logger);
      return throwError(() => body);
    }
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { body, headers } = map(exception);
    // A typed 503 is an expected answer (a dependency is down and the caller was told when to retry).
    const expectedUnavailable =
      body.status === 503 && (exception instanceof ContextUnavailableError || isExpectedError(exception));
    if (body.status >= 500 && !expectedUnavailable) this.logUnexpected(exception, traceIdOf(request));
    void sendProblem(request, reply, body, headers);
  }

  private logUnexpected(exception: unknown, correlationId: string | undefined) {
    logUnexpected(this.logger, exception, correlationId);
  }
}
