import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { throwError } from 'rxjs';
import { ContextUnavailableError, ContractCallError, DomainError } from '../errors/domain-error.js';
import { describeForOperators, isExpectedError, retryAfterOf, toContractErrorBody } from '../errors/error-body.js';
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
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType() === 'rpc') {
      const data = host.switchToRpc().getData();
      const body = toContractErrorBody(exception);
      if (isExpectedError(exception)) return throwError(() => body);
      this.logUnexpected(exception, correlationOf(data));
      // An event handler has no caller to protect from internals: its failure is recorded on the delivery
      // (`last_error`, `outbox:parked`), where the generic text would explain nothing.
      const detail = isIntegrationEvent(data) ? describeForOperators(exception) : body.detail;
      return throwError(() => ({ ...body, detail }));
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
    this.logger.error(
      { event: 'error.unexpected', correlationId, err: exception },
      exception instanceof Error ? exception.message : 'non-error thrown',
    );
  }
}

/** What an `@EventPattern` handler receives: an integration event (contract messages are `{ meta, data }`). */
function isIntegrationEvent(data: unknown): boolean {
  const d = data as { id?: unknown; name?: unknown; payload?: unknown; meta?: unknown } | undefined;
  return typeof d?.id === 'string' && typeof d.name === 'string' && 'payload' in d && d.meta === undefined;
}

/** A contract message carries `meta.correlationId`; an integration event carries `correlationId`. */
function correlationOf(data: unknown): string | undefined {
  const d = data as { meta?: { correlationId?: unknown }; correlationId?: unknown } | undefined;
  const id = d?.meta?.correlationId ?? d?.correlationId;
  return typeof id === 'string' ? id : undefined;
}
