import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemResponseDto } from './problem.response.dto.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed or invalid input (VALIDATION_FAILED, MALFORMED_REQUEST; IDEMPOTENCY_KEY_REQUIRED on idempotent routes)',
  401: 'Missing or invalid access token (UNAUTHENTICATED)',
  403: 'Signed in but not allowed (FORBIDDEN)',
  404: 'No such resource',
  409: 'Conflict with the current state (on idempotent routes IDEMPOTENCY_KEY_IN_USE: that key is still running, see Retry-After)',
  413: 'Body over 1 MiB (PAYLOAD_TOO_LARGE)',
  415: 'Body is not application/json (UNSUPPORTED_MEDIA_TYPE)',
  422: 'Idempotency-Key already used with a different request (IDEMPOTENCY_KEY_REUSED)',
  429: 'Rate limited (RATE_LIMITED), see Retry-After',
  503: 'A dependency is unavailable (SERVICE_UNAVAILABLE), see Retry-After',
};

/** Documents the problem+json answers a route can give. */
export const ApiProblems = (...statuses: number[]) =>
  applyDecorators(
    ApiExtraModels(ProblemResponseDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemResponseDto) } } },
      }),
    ),
  );
