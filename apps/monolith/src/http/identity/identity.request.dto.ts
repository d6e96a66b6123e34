import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';

export class RegisterRequestDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254 })
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'correct horse battery', minLength: 10, maxLength: 128 })
  @IsString()
  @MinLength(10)
  @MaxLength(128)
  password: string;

  @ApiProperty({ example: 'Ada Lovelace', minLength: 1, maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;
}

export class LoginRequestDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254 })
  @IsString()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'correct horse battery', maxLength: 128 })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password: string;
}

export class RefreshRequestDto {
  @ApiProperty({ description: 'The refresh token from the last sign-in or refresh', maxLength: 512 })
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  refreshToken: string;
}

export class UpdateMeRequestDto {
  @ApiPropertyOptional({ example: 'Ada King', minLength: 1, maxLength: 100 })
  // May be absent, but not null: IsOptional would let null through to the domain.
  @ValidateIf((_, value) => value !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;
}
