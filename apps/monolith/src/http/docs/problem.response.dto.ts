import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class FieldErrorDto {
  @ApiProperty({ example: 'email' }) field: string;
  @ApiProperty({ example: 'email must be a valid e-mail address' }) message: string;
}

/** RFC 9457 problem details, as every error of the API is answered (`application/problem+json`). */
export class ProblemResponseDto {
  @ApiProperty({ example: '/problems/validation-failed' }) type: string;
  @ApiProperty({ example: 'Bad Request' }) title: string;
  @ApiProperty({ example: 400 }) status: number;
  @ApiProperty({ example: 'email: email must be a valid e-mail address' }) detail: string;
  @ApiProperty({ example: '/v1/auth/register' }) instance: string;
  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable UPPER_SNAKE code' }) code: string;
  @ApiProperty({ example: '0193a0c4-6b7e-7cc2-9f4e-2c1d5b3c8e10', description: 'The X-Request-Id' }) traceId: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
}
