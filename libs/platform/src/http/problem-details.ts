/** RFC 9457 problem details as Ficus sends them: every field present on every error. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  traceId: string;
  errors?: { field: string; message: string }[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The generic code for a status, when nothing more specific is known. */
export const CODE_BY_STATUS: Record<number, string> = {
  400: 'MALFORMED_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
  500: 'INTERNAL',
  503: 'SERVICE_UNAVAILABLE',
};

export function problem(input: {
  status: number;
  code?: string;
  detail: string;
  instance: string;
  traceId: string;
  errors?: { field: string; message: string }[];
}): ProblemDetails {
  const code = input.code ?? CODE_BY_STATUS[input.status] ?? (input.status >= 500 ? 'INTERNAL' : 'MALFORMED_REQUEST');
  const body: ProblemDetails = {
    type: `/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[input.status] ?? (input.status >= 500 ? 'Server Error' : 'Client Error'),
    status: input.status,
    detail: input.detail,
    instance: input.instance,
    code,
    traceId: input.traceId,
  };
  if (input.errors) body.errors = input.errors;
  return body;
}
