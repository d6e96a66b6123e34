import { errors, jwtVerify } from 'jose';
import type { Actor } from '@ficus/contracts';
import type { FicusConfig } from '../config/ficus.config.js';
import { JWT_ALGORITHM, type JwtKeys } from './jwt-keys.js';

export class InvalidAccessToken extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidAccessToken';
  }
}

/**
 * Verifies access tokens with the algorithm pinned (so `alg: none` and HS256-with-the-public-key tricks
 * fail), and `iss`, `aud` and `exp` checked.
 */
export class AccessTokenVerifier {
  constructor(
    private readonly keys: JwtKeys,
    private readonly auth: FicusConfig['auth'],
  ) {}

  async verify(token: string): Promise<Actor> {
    try {
      const { payload } = await jwtVerify(token, this.keys.publicKey, {
        algorithms: [JWT_ALGORITHM],
        issuer: this.auth.issuer,
        audience: this.auth.audience,
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
      });
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
      return { userId: payload.sub as string, roles };
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new InvalidAccessToken('The access token has expired.');
      throw new InvalidAccessToken('The access token is not valid.');
    }
  }
}
