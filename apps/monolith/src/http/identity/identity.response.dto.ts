import { ApiProperty } from '@nestjs/swagger';
import type { AuthSessionView, UserView } from '@ficus/contracts';

export class UserResponseDto implements UserView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ada@example.com' }) email: string;
  @ApiProperty({ example: 'Ada Lovelace' }) name: string;
  @ApiProperty({ example: ['customer'], type: [String] }) roles: string[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AuthSessionResponseDto implements AuthSessionView {
  @ApiProperty({ type: UserResponseDto }) user: UserResponseDto;
  @ApiProperty({ description: 'ES256 JWT, valid for expiresIn seconds' }) accessToken: string;
  @ApiProperty({ description: 'Opaque, single use: each refresh returns a new one' }) refreshToken: string;
  @ApiProperty({ example: 900 }) expiresIn: number;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
}
