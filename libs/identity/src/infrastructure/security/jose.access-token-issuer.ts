import { Inject } from '@nestjs/common';
import { SignJWT } from 'jose';
import { v7 as uuidv7 } from 'uuid';
import { type FicusConfig, ficusConfig, JWT_ALGORITHM, JWT_KEYS, type JwtKeys } from '@ficus/platform';
import type { AccessTokenIssuer } from '../../domain/ports.js';

/** ES256 access tokens: `sub`, `roles`, `iat`, `exp`, `iss`, `aud`, `jti`; verified by the facade. */
export class JoseAccessTokenIssuer implements AccessTokenIssuer {
  constructor(
    @Inject(JWT_KEYS) private readonly keys: JwtKeys,
    @Inject(ficusConfig.KEY) private readonly config: FicusConfig,
  ) {}

  async issue(user: { id: string; roles: string[] }): Promise<{ token: string; expiresIn: number }> {
    const { privateKey, kid } = this.keys;
    if (!privateKey) throw new Error('JWT_PRIVATE_KEY is required where identity runs');
    const expiresIn = this.config.auth.accessTokenTtlSeconds;
    const token = await new SignJWT({ roles: user.roles })
      .setProtectedHeader({ alg: JWT_ALGORITHM, kid, typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(this.config.auth.issuer)
      .setAudience(this.config.auth.audience)
      .setIssuedAt()
      .setExpirationTime(`${expiresIn}s`)
      .setJti(uuidv7())
      .sign(privateKey);
    return { token, expiresIn };
  }
}
