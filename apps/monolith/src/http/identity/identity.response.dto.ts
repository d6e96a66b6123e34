import type { AuthSessionView, UserView } from '@ficus/contracts';
import { ApiInteger, ApiText, ApiTimestamp, ApiUuid } from '../docs/api-fields.decorator.js';
import { IdentityLimits as L, ROLES } from './identity.limits.js';
import { ApiProperty } from '@ficus/platform';

// ACCESS_TOKEN_TTL_S may be set from 10 s to a day (libs/platform/src/config).
const TTL_BOUNDS = { min: 10, max: 86_400 };

export class UserResponseDto implements UserView {
  @ApiUuid() id: string;
  @ApiText(L.emailMaxLength, { format: 'email', example: 'ada@example.com', description: 'Lower-cased' })
  email: string;
  @ApiText(L.nameMaxLength, { minLength: 1, example: 'Ada Lovelace' }) name: string;
  @ApiProperty({ enum: ROLES, isArray: true, maxItems: ROLES.length, uniqueItems: true, example: ['customer'] })
  roles: string[];
  @ApiTimestamp() createdAt: string;
}

export class AuthSessionResponseDto implements AuthSessionView {
  @ApiProperty({ type: UserResponseDto }) user: UserResponseDto;
  @ApiText(L.accessTokenMaxLength, {
    pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$',
    description: 'ES256 JWT (compact form), valid for expiresIn seconds',
  })
  accessToken: string;
  @ApiText(L.refreshTokenMaxLength, {
    pattern: '^[A-Za-z0-9_-]+$',
    description: 'Opaque (base64url), single use: each refresh returns a new one',
  })
  refreshToken: string;
  @ApiInteger(TTL_BOUNDS.min, TTL_BOUNDS.max, { example: 900, description: 'Access token lifetime, seconds' })
  expiresIn: number;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
}
