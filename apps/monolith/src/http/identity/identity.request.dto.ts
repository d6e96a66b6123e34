import { IsEmail, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { IdentityLimits as L } from './identity.limits.js';
import { ApiProperty, ApiPropertyOptional } from '@ficus/platform';

// Bounds, formats and patterns reach the OpenAPI document from the class-validator decorators
// (libs/platform/src/http/openapi); @ApiProperty adds only what validators cannot say.

export class RegisterRequestDto {
  @ApiProperty({ example: 'ada@example.com', description: 'Case-insensitive; stored lower-cased' })
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(L.emailMaxLength)
  email: string;

  @ApiProperty({ example: 'correct horse battery', description: 'Any characters; length is the only rule' })
  @IsString()
  @MinLength(L.passwordMinLength)
  @MaxLength(L.passwordMaxLength)
  password: string;

  @ApiProperty({ example: 'Ada Lovelace', description: 'Display name' })
  @IsString()
  @MinLength(1)
  @MaxLength(L.nameMaxLength)
  name: string;
}

export class LoginRequestDto {
  // Not checked as an e-mail: any text gets the same INVALID_CREDENTIALS as an unknown address.
  @ApiProperty({ example: 'ada@example.com' })
  @IsString()
  @MaxLength(L.emailMaxLength)
  email: string;

  @ApiProperty({ example: 'correct horse battery' })
  @IsString()
  @MinLength(1)
  @MaxLength(L.passwordMaxLength)
  password: string;
}

export class RefreshRequestDto {
  @ApiProperty({ description: 'The refresh token from the last sign-in or refresh' })
  @IsString()
  @MinLength(1)
  @MaxLength(L.refreshTokenMaxLength)
  refreshToken: string;
}

export class UpdateMeRequestDto {
  @ApiPropertyOptional({ example: 'Ada King', description: 'Display name' })
  // May be absent, but not null: IsOptional would let null through to the domain.
  @ValidateIf((_, value) => value !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(L.nameMaxLength)
  name?: string;
}
