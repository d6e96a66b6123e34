import type { HeadersObject } from '@nestjs/swagger';
import { headerRefs, type StandardHeader } from '@ficus/platform';

// Which of the API's standard headers (libs/platform/src/http/openapi/standard-headers.ts) each answer of
// the facade carries. The RateLimit family comes from the rate limiter, a guard: answers given before it
// runs (a bad access token, 413, 415, malformed JSON) have none.
const RATE_LIMIT: StandardHeader[] = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];

/** Headers of a successful answer (plus e.g. ETag). */
export const successHeaders = (...extra: StandardHeader[]): HeadersObject =>
  headerRefs('X-Request-Id', ...RATE_LIMIT, ...extra);

/** Headers of a problem answer with this status. */
export function problemHeaders(status: number): HeadersObject {
  switch (status) {
    case 401:
      // A bad token is refused before the limiter; wrong credentials in a body (login, refresh) after it.
      return headerRefs('X-Request-Id', 'WWW-Authenticate', ...RATE_LIMIT);
    case 413:
    case 415:
      return headerRefs('X-Request-Id');
    case 429:
    case 503:
      return headerRefs('X-Request-Id', 'Retry-After', ...RATE_LIMIT);
    default:
      return headerRefs('X-Request-Id', ...RATE_LIMIT);
  }
}
