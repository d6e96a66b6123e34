import type { HeaderObject, HeadersObject } from '@nestjs/swagger';

// Bounds are those of the configuration that feeds each header (libs/platform/src/config/ficus.config.ts).
const MAX_BUDGET = 1_000_000; // RATE_LIMIT_PER_IP_PER_MIN / RATE_LIMIT_PER_USER_PER_MIN
const RATE_WINDOW_S = 60;
const MAX_RETRY_AFTER_S = 86_400; // LOGIN_FAILURE_WINDOW_S; breaker cooldowns and the rate window are shorter

const count = (minimum: number, maximum: number) => ({ type: 'integer', format: 'int32', minimum, maximum }) as const;

const RATE_LIMIT_NOTE =
  'Sent on every /v1 answer that got as far as the rate limiter: all 2xx, and errors other than a bad ' +
  'access token, 413, 415 and malformed JSON, which are refused before it.';

/**
 * The response headers of the API's conventions (API.md), declared once under components.headers and
 * referenced from each response with `headerRefs`.
 */
export const STANDARD_HEADERS = {
  'X-Request-Id': {
    description: "The request's X-Request-Id when it is short and plain, a generated UUID otherwise",
    required: true,
    schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$', maxLength: 128 },
  },
  'RateLimit-Limit': {
    description: `Requests allowed per minute to this caller (per user when signed in, per IP otherwise). ${RATE_LIMIT_NOTE}`,
    schema: count(1, MAX_BUDGET),
  },
  'RateLimit-Remaining': {
    description: `Requests left in the current window. ${RATE_LIMIT_NOTE}`,
    schema: count(0, MAX_BUDGET),
  },
  'RateLimit-Reset': {
    description: `Seconds until the current window ends. ${RATE_LIMIT_NOTE}`,
    schema: count(1, RATE_WINDOW_S),
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying',
    required: true,
    schema: count(0, MAX_RETRY_AFTER_S),
  },
  'WWW-Authenticate': {
    description:
      'RFC 6750 challenge when the access token is missing (`Bearer`) or bad (`Bearer error="invalid_token"`); ' +
      'absent when credentials in a body are wrong (INVALID_CREDENTIALS, INVALID_REFRESH_TOKEN)',
    schema: { type: 'string', enum: ['Bearer', 'Bearer error="invalid_token"'] },
  },
  Location: {
    description: 'Where the resource this request created can be read (its path under /v1)',
    required: true,
    schema: { type: 'string', format: 'uri-reference', maxLength: 2048 },
  },
  // A quoted base64url SHA-1 of the body (etag.hook.ts).
  ETag: {
    description: 'Send it back as If-None-Match to get 304 while the resource is unchanged',
    required: true,
    schema: { type: 'string', pattern: '^"[A-Za-z0-9_-]{27}"$', minLength: 29, maxLength: 29 },
  },
} satisfies Record<string, HeaderObject>;

export type StandardHeader = keyof typeof STANDARD_HEADERS;

/** A response's `headers`, each a reference to its declaration in components.headers. */
export function headerRefs(...names: StandardHeader[]): HeadersObject {
  return Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
}
