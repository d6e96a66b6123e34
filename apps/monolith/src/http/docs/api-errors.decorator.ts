import { applyDecorators } from '@nestjs/common';
import { problemHeaders } from './api-headers.js';
import { ProblemResponseDto } from './problem.response.dto.js';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@ficus/platform';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed or invalid input (VALIDATION_FAILED, MALFORMED_REQUEST; IDEMPOTENCY_KEY_REQUIRED on idempotent routes)',
  401: 'Missing, invalid or expired access token (UNAUTHENTICATED); a token that is sent is checked on every route',
  403: 'Signed in but not allowed (FORBIDDEN)',
  404: 'No such resource',
  409: 'Conflict with the current state (on idempotent routes IDEMPOTENCY_KEY_IN_USE: that key is still running, see Retry-After)',
  413: 'Body over 1 MiB (PAYLOAD_TOO_LARGE)',
  415: 'Body is not application/json (UNSUPPORTED_MEDIA_TYPE)',
  422: 'Idempotency-Key already used with a different request (IDEMPOTENCY_KEY_REUSED)',
  429: 'Rate limited (RATE_LIMITED), see Retry-After',
  500: 'Unexpected failure (INTERNAL); the details are in the server log under the traceId',
  503: 'A dependency is unavailable (SERVICE_UNAVAILABLE), see Retry-After',
};

/**
 * Answers any /v1 route can give: a bad token is refused everywhere (401), every route is rate limited
 * (429), calls a context that may be down or extracted (503), and may fail unexpectedly (500).
 */
const EVERY_ROUTE = [401, 429, 500, 503];

/** A status, or a status with the route's own codes for it, e.g. `[409, 'EMAIL_TAKEN']`. */
export type ProblemEntry = number | [status: number, routeCodes: string];

/**
 * Documents the problem+json answers a route can give, with their headers; adds the `EVERY_ROUTE` ones.
 * A route's own codes are named beside the status (API.md: a new code is documented here).
 */
export const ApiProblems = (...entries: ProblemEntry[]) => {
  const routeCodes = new Map<number, string>();
  for (const entry of entries) {
    if (Array.isArray(entry)) routeCodes.set(entry[0], entry[1]);
    else routeCodes.set(entry, routeCodes.get(entry) ?? '');
  }
  for (const status of EVERY_ROUTE) if (!routeCodes.has(status)) routeCodes.set(status, '');
  return applyDecorators(
    ApiExtraModels(ProblemResponseDto),
    ...[...routeCodes.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, codes]) =>
        ApiResponse({
          status,
          description: [DESCRIPTIONS[status] ?? 'Error', codes].filter(Boolean).join('; '),
          headers: problemHeaders(status),
          content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemResponseDto) } } },
        }),
      ),
  );
};
