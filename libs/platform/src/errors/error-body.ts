import type { ContractErrorBody } from '@ficus/contracts';
import { ContextUnavailableError, ContractCallError, DomainError } from './domain-error.js';

const INTERNAL: ContractErrorBody = {
  code: 'INTERNAL',
  status: 500,
  detail: 'An unexpected error occurred.',
  kind: 'internal',
};

/**
 * Reduces any thrown value to the plain body that may cross a process boundary. Unknown errors become
 * `INTERNAL` with no message or stack: internals are logged, never sent.
 */
export function toContractErrorBody(error: unknown): ContractErrorBody {
  if (error instanceof DomainError) return error.toContract();
  if (error instanceof ContractCallError) return error.body;
  if (error instanceof ContextUnavailableError) {
    return {
      code: 'SERVICE_UNAVAILABLE',
      status: 503,
      detail: error.message,
      kind: 'unavailable',
      retryAfterSeconds: error.retryAfterSeconds,
    };
  }
  return INTERNAL;
}

export function isExpectedError(error: unknown): boolean {
  return error instanceof DomainError || error instanceof ContractCallError;
}

/** Credentials in URLs (`scheme://user:secret@host`) and bearer-looking tokens never reach storage. */
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi;
const NAMED_SECRETS = /\b(bearer|token|password|secret)([=: ]+)\S+/gi;
const DESCRIPTION_MAX = 500;

/**
 * An unexpected error as operators may read it where it is stored (a parked delivery's `last_error`):
 * its class and message, never its stack, with credentials redacted and the length bounded. Never sent
 * to a caller: a request's caller still gets the generic `INTERNAL` body.
 */
export function describeForOperators(error: unknown): string {
  const text =
    error instanceof Error
      ? `${error.constructor.name || error.name}: ${error.message}`
      : `non-error thrown: ${String(error)}`;
  const redacted = text.replace(URL_CREDENTIALS, '$1***@').replace(NAMED_SECRETS, '$1$2***');
  return redacted.length > DESCRIPTION_MAX ? `${redacted.slice(0, DESCRIPTION_MAX - 1)}…` : redacted;
}

/**
 * The `Retry-After` value (seconds) of a typed failure: the one it carries, else 1 s for any 503, so a
 * client always learns when to come back; none for other failures that carry nothing.
 */
export function retryAfterOf(body: Pick<ContractErrorBody, 'status' | 'retryAfterSeconds'>): string | undefined {
  const seconds = body.retryAfterSeconds;
  if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) return String(Math.ceil(seconds));
  return body.status === 503 ? '1' : undefined;
}
