import { HttpProblem } from '../http/all-exceptions.filter.js';

/** The request header that carries the client's key (RFC draft "The Idempotency-Key HTTP Header Field"). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Sent with every replayed answer, so a client can tell a replay from a first run (CORS exposes it). */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** The answers API.md specifies; each is a problem+json with a stable code. */
export const IdempotencyProblems = {
  required: (detail: string) => new HttpProblem(400, 'IDEMPOTENCY_KEY_REQUIRED', detail),
  reused: () =>
    new HttpProblem(
      422,
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was already used with a different request; use a new key for a new request.',
    ),
  inUse: (retryAfterSeconds: number) =>
    new HttpProblem(
      409,
      'IDEMPOTENCY_KEY_IN_USE',
      'A request with this Idempotency-Key is still being processed; retry later to get its answer.',
      { 'retry-after': String(retryAfterSeconds) },
    ),
};

/** The key of a request, or a 400 when it is missing or not 1–255 characters. */
export function parseIdempotencyKey(header: string | string[] | undefined): string {
  // Node joins repeated unknown headers with ", ", so an array only comes from a hand-built request.
  const value = Array.isArray(header) ? header.join(', ') : header;
  if (value === undefined || value.trim() === '') {
    throw IdempotencyProblems.required('This request needs an Idempotency-Key header (1–255 characters).');
  }
  if (value.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw IdempotencyProblems.required(
      `The Idempotency-Key header must be 1–${MAX_IDEMPOTENCY_KEY_LENGTH} characters (got ${value.length}).`,
    );
  }
  return value;
}
