import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import type {
  GetUserConditionalRequest,
  GetUserRequest,
  GrantAdminRequest,
  LoginRequest,
  RefreshTokenRequest,
  RegisterUserRequest,
  UpdateProfileRequest,
} from '@ficus/contracts';

// Identity checks each contract payload again at its own edge (any process may call it once it is
// extracted). Domain rules (password length, e-mail shape, name) live in the domain; these are shape
// checks with upper bounds on every string.

export class RegisterUserMessage implements RegisterUserRequest {
  @IsString() @MaxLength(254) email: string;
  @IsString() @MaxLength(1024) password: string;
  @IsString() @MaxLength(1024) name: string;
}

export class LoginMessage implements LoginRequest {
  @IsString() @MaxLength(254) email: string;
  @IsString() @MinLength(1) @MaxLength(1024) password: string;
}

export class RefreshTokenMessage implements RefreshTokenRequest {
  @IsString() @MinLength(1) @MaxLength(512) refreshToken: string;
}

export class GetUserMessage implements GetUserRequest {
  @IsUUID() userId: string;
}

export class GetUserConditionalMessage extends GetUserMessage implements GetUserConditionalRequest {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(16)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  ifNoneMatch?: string[];
}

export class UpdateProfileMessage implements UpdateProfileRequest {
  @IsUUID() userId: string;
  @ValidateIf((_, value) => value !== undefined) @IsString() @MaxLength(1024) name?: string;
}

export class GrantAdminMessage implements GrantAdminRequest {
  @IsEmail() @MaxLength(254) email: string;
}
