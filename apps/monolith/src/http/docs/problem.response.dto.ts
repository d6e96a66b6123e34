import { VALIDATION_ERROR_LIMITS } from '@ficus/platform';
import { ApiInteger, ApiList, ApiText } from './api-fields.decorator.js';

const { maxErrors, maxFieldLength, maxMessageLength } = VALIDATION_ERROR_LIMITS;

class FieldErrorDto {
  @ApiText(maxFieldLength, { example: 'email', description: 'Path of the field, e.g. items.0.quantity' })
  field: string;
  @ApiText(maxMessageLength, { example: 'email must be a valid e-mail address' }) message: string;
}

/** RFC 9457 problem details, as every error of the API is answered (`application/problem+json`). */
export class ProblemResponseDto {
  @ApiText(110, { pattern: '^/problems/[a-z0-9-]+$', example: '/problems/validation-failed' }) type: string;
  @ApiText(64, { example: 'Bad Request', description: 'The HTTP reason phrase of status' }) title: string;
  @ApiInteger(400, 599, { example: 400 }) status: number;
  @ApiText(maxErrors * 20, { example: 'email: email must be a valid e-mail address' }) detail: string;
  @ApiText(16_384, { pattern: '^/', example: '/v1/auth/register', description: 'The request path' })
  instance: string;
  @ApiText(64, { pattern: '^[A-Z][A-Z0-9_]*$', example: 'VALIDATION_FAILED', description: 'Stable UPPER_SNAKE code' })
  code: string;
  @ApiText(128, {
    pattern: '^[A-Za-z0-9._:-]{1,128}$',
    example: '0193a0c4-6b7e-7cc2-9f4e-2c1d5b3c8e10',
    description: 'The X-Request-Id of the request',
  })
  traceId: string;
  @ApiList(FieldErrorDto, maxErrors, {
    required: false,
    description: `With VALIDATION_FAILED: one entry per broken rule (the first ${maxErrors})`,
  })
  errors?: FieldErrorDto[];
}
