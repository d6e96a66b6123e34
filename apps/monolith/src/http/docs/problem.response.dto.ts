import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiInteger, ApiText } from './api-fields.decorator.js';

// `detail`, `errors` and their texts carry no maxLength: a body of many unknown properties gets one error
// (and one line of detail) per property, so today they are bounded only by the 1 MiB body limit.
// .spectral.yaml names these exceptions; the day the validation pipe caps them, declare the caps here.

class FieldErrorDto {
  @ApiProperty({ example: 'email', description: 'Path of the field, e.g. items.0.quantity' }) field: string;
  @ApiProperty({ example: 'email must be a valid e-mail address' }) message: string;
}

/** RFC 9457 problem details, as every error of the API is answered (`application/problem+json`). */
export class ProblemResponseDto {
  @ApiText(110, { pattern: '^/problems/[a-z0-9-]+$', example: '/problems/validation-failed' }) type: string;
  @ApiText(64, { example: 'Bad Request', description: 'The HTTP reason phrase of status' }) title: string;
  @ApiInteger(400, 599, { example: 400 }) status: number;
  @ApiProperty({ example: 'email: email must be a valid e-mail address' }) detail: string;
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
  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'With VALIDATION_FAILED: one entry per broken rule' })
  errors?: FieldErrorDto[];
}
