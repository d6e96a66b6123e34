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

const CACHE_MAX_ENTRIES = 10_000;
const CACHE_MAX_AGE_MS = 60_000;

interface Verified {
  actor: Actor;
  /** When the token expires, or when the cache entry must be re-verified, whichever is first. */
  validUntil: number;
}

/**
 * Verifies access tokens with the algorithm pinned (so `alg: none` and HS256-with-the-public-key tricks
 * fail), and `iss`, `aud` and `exp` checked.
 *
 * An ES256 verification costs ~150 µs of CPU, the largest single cost of an authenticated request, and a
 * mobile client sends the same token for its 15 minutes. Verified tokens are therefore remembered for up to
 * a minute (never past their `exp`), keyed by the exact token string, in a bounded map that drops the
 * oldest entries first. A tampered or forged token is a different string and is verified afresh.
 */
export class AccessTokenVerifier {
  private readonly cache = new Map<string, Verified>();

  constructor(
    private readonly keys: JwtKeys,
    private readonly auth: FicusConfig['auth'],
    private readonly now: () => number = Date.now,
  ) {}

  async verify(token: string): Promise<Actor> {
    const cached = this.cache.get(token);
    if (cached && cached.validUntil > this.now()) return cached.actor;
    if (cached) this.cache.delete(token);
    const verified = await this.verifySignature(token);
    this.remember(token, verified);
    return verified.actor;
  }

  private remember(token: string, verified: Verified): void {
    if (this.cache.size >= CACHE_MAX_ENTRIES) {
      // Maps iterate in insertion order: the first keys are the oldest.
      const drop = this.cache.size - CACHE_MAX_ENTRIES + 1 + Math.floor(CACHE_MAX_ENTRIES / 10);
      let n = 0;
      for (const key of this.cache.keys()) {
        if (n++ >= drop) break;
        this.cache.delete(key);
      }
    }
    this.cache.set(token, verified);
  }

  private async verifySignature(token: string): Promise<Verified> {
    try {
      const { payload } = await jwtVerify(token, this.keys.publicKey, {
        algorithms: [JWT_ALGORITHM],
        issuer: this.auth.issuer,
        audience: this.auth.audience,
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
        currentDate: new Date(this.now()),
      });
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
      const validUntil = Math.min(payload.exp! * 1000, this.now() + CACHE_MAX_AGE_MS);
      return { actor: { userId: payload.sub as string, roles }, validUntil };
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new InvalidAccessToken('The access token has expired.');
      throw new InvalidAccessToken('The access token is not valid.');
    }
  }
}
