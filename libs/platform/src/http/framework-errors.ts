import { CODE_BY_STATUS } from './problem-details.js';

/** What a problem says, before the request's own `instance` and `traceId` are added. */
export interface ProblemSpec {
  status: number;
  code: string;
  detail: string;
}

/**
 * Errors that Fastify (its router, its body parsers) raises itself, sometimes before any Nest code runs,
 * and the problem each one becomes. The codes are part of the API contract (API.md): never rename one.
 */
export const FRAMEWORK_ERRORS: Readonly<Record<string, ProblemSpec>> = {
  FST_ERR_BAD_URL: {
    status: 400,
    code: 'MALFORMED_URL',
    detail: 'The URL is not valid: check its percent-encoding.',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    code: 'URI_TOO_LONG',
    detail: 'A path segment of the URL is too long.',
  },
  FST_ERR_NOT_FOUND: { status: 404, code: 'NOT_FOUND', detail: 'No such resource.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: 'Send the request body as application/json.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE', detail: 'The request body is too large.' },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'MALFORMED_REQUEST',
    // Fastify's parser also refuses `__proto__` and `constructor.prototype` keys (prototype poisoning).
    detail: 'The body is not valid JSON, or holds a forbidden key such as "__proto__".',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'MALFORMED_REQUEST',
    detail: 'The body is empty but the content type is application/json.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'MALFORMED_REQUEST',
    detail: 'Content-Length does not match the body.',
  },
  FST_ERR_ROUTE_MISSING_CONTENT_TYPE: {
    status: 400,
    code: 'MALFORMED_REQUEST',
    detail: 'This method needs a Content-Type header.',
  },
};

const GENERIC_DETAIL: Record<number, string> = {
  404: 'No such resource.',
  405: 'This method is not allowed on this resource.',
  408: 'The request took too long to arrive.',
  431: 'The request headers are too large.',
};

/** The problem for a status when nothing more specific is known. A 5xx never says more than that. */
export function genericProblem(status: number, detail?: string): ProblemSpec {
  const serverFault = status >= 500;
  return {
    status,
    code: CODE_BY_STATUS[status] ?? (serverFault ? 'INTERNAL' : 'MALFORMED_REQUEST'),
    detail: serverFault
      ? status === 503
        ? 'The service is unavailable; retry later.'
        : 'An unexpected error occurred.'
      : (detail ?? GENERIC_DETAIL[status] ?? 'The request was rejected.'),
  };
}

/** A Fastify error (anything with a `code` and maybe a `statusCode`) as a problem. */
export function frameworkProblem(error: { code?: unknown; statusCode?: unknown }): ProblemSpec {
  const known = typeof error.code === 'string' ? FRAMEWORK_ERRORS[error.code] : undefined;
  if (known) return known;
  const status = Number(error.statusCode);
  return genericProblem(Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500);
}
