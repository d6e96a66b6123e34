import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import type { AuthSessionView } from '@ficus/contracts';
import { type FicusConfig, ficusConfig } from '@ficus/platform';
import type { AccessTokenIssuer, SessionRepository, Tx } from '../domain/ports.js';
import type { User } from '../domain/user.aggregate.js';
import { ACCESS_TOKEN_ISSUER, SESSION_REPOSITORY } from '../identity.di-tokens.js';
import { UserMapper } from '../infrastructure/persistence/user.mapper.js';

/** Opaque refresh tokens: 256 random bits; only their SHA-256 is stored. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Issues token pairs: a new family on sign-in, the next token of a family on refresh. */
@Injectable()
export class SessionIssuer {
  constructor(
    @Inject(SESSION_REPOSITORY) private readonly sessions: SessionRepository,
    @Inject(ACCESS_TOKEN_ISSUER) private readonly accessTokens: AccessTokenIssuer,
    @Inject(ficusConfig.KEY) private readonly config: FicusConfig,
  ) {}

  async startFamily(tx: Tx, user: User, now: Date): Promise<AuthSessionView> {
    const familyId = uuidv7();
    const expiresAt = new Date(now.getTime() + this.config.auth.refreshTokenTtlDays * 86_400_000);
    await this.sessions.insertFamily(tx, { id: familyId, userId: user.id, expiresAt, revokedAt: null });
    return this.continueFamily(tx, familyId, user);
  }

  async continueFamily(tx: Tx, familyId: string, user: User): Promise<AuthSessionView> {
    const refreshToken = randomBytes(32).toString('base64url');
    await this.sessions.insertToken(tx, {
      id: uuidv7(),
      familyId,
      tokenHash: hashRefreshToken(refreshToken),
      spentAt: null,
    });
    const access = await this.accessTokens.issue({ id: user.id, roles: user.roles });
    return {
      user: UserMapper.toView(user),
      accessToken: access.token,
      refreshToken,
      expiresIn: access.expiresIn,
      tokenType: 'Bearer',
    };
  }
}
