import type { ContractErrorBody, ErrorKind } from '@ficus/contracts';

/** HTTP status per error kind: one table, used by the HTTP filter and the RPC filter alike. */
export const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/**
 * Base of every expected failure inside a context (`EmailTaken`, `ProductNotFound`, …). Contexts throw
 * these, never `HttpException`: the same error must mean the same thing over any transport.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly kind: ErrorKind;
  /** When a retry may succeed (an `unavailable` dependency, a budget): crosses the transport, becomes `Retry-After`. */
  readonly retryAfterSeconds?: number;

  constructor(
    readonly detail: string,
    options: { retryAfterSeconds?: number } = {},
  ) {
    super(detail);
    this.name = new.target.name;
    if (options.retryAfterSeconds !== undefined)
      this.retryAfterSeconds = Math.max(0, Math.ceil(options.retryAfterSeconds));
  }

  get status(): number {
    return STATUS_BY_KIND[this.kind];
  }

  toContract(): ContractErrorBody {
    const body: ContractErrorBody = { code: this.code, status: this.status, detail: this.detail, kind: this.kind };
    if (this.retryAfterSeconds !== undefined) body.retryAfterSeconds = this.retryAfterSeconds;
    return body;
  }
}

/**
 * Something this context depends on cannot serve now (a provider behind an open breaker, …). The facade
 * answers 503 `SERVICE_UNAVAILABLE` with `Retry-After: retryAfterSeconds`, in every mode and across hops.
 */
export class ServiceUnavailable extends DomainError {
  readonly code = 'SERVICE_UNAVAILABLE';
  readonly kind = 'unavailable' as const;
  constructor(detail: string, retryAfterSeconds: number) {
    super(detail, { retryAfterSeconds });
  }
}

/** Bad input that slipped past the edge validation (or came from a non-HTTP caller). */
/**
 * Bounds of a VALIDATION_FAILED answer, so an error is never larger than a sane request (a body of
 * hundreds of unknown fields would otherwise get one entry per field). The OpenAPI document declares them.
 */
export const VALIDATION_ERROR_LIMITS = { maxErrors: 50, maxFieldLength: 200, maxMessageLength: 300 } as const;
const DETAIL_MAX = VALIDATION_ERROR_LIMITS.maxErrors * 20;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export class ValidationFailed extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  readonly kind = 'invalid' as const;
  readonly errors: { field: string; message: string }[];
  constructor(errors: { field: string; message: string }[]) {
    const { maxErrors, maxFieldLength, maxMessageLength } = VALIDATION_ERROR_LIMITS;
    const kept = errors.slice(0, maxErrors).map((e) => ({
      field: clip(e.field, maxFieldLength),
      message: clip(e.message, maxMessageLength),
    }));
    const more = errors.length - kept.length;
    const listed = kept.map((e) => `${e.field}: ${e.message}`).join('; ');
    super(
      kept.length ? clip(more > 0 ? `${listed}; and ${more} more` : listed, DETAIL_MAX) : 'The request is not valid.',
    );
    this.errors = kept;
  }
  override toContract(): ContractErrorBody {
    return { ...super.toContract(), errors: this.errors };
  }
}

/**
 * A typed failure received from another context (in-process or over Redis). Keeps the remote code and
 * status so the facade answers exactly as if the error had been thrown locally.
 */
export class ContractCallError extends Error {
  constructor(readonly body: ContractErrorBody) {
    super(body.detail);
    this.name = 'ContractCallError';
  }
  get code(): string {
    return this.body.code;
  }
  get status(): number {
    return this.body.status;
  }
}

/** The remote context did not answer in time, or its transport is down. Always 503 at the facade. */
export class ContextUnavailableError extends Error {
  constructor(
    readonly context: string,
    readonly reason: string,
    readonly retryAfterSeconds = 1,
    /** True when no call was made because the context's breaker is open. */
    readonly breakerOpen = false,
  ) {
    super(`The ${context} service is unavailable: ${reason}`);
    this.name = 'ContextUnavailableError';
  }
}
