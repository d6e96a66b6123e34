/**
 * Refresh tokens come in families: one family per sign-in, one new token per refresh. A token is spent
 * once; presenting a spent token means it leaked (or a client misbehaves), so the whole family is
 * revoked and every device holding a token of it must sign in again.
 */
export interface TokenFamily {
  id: string;
  userId: string;
  /** Absolute end of the sign-in, whatever the refreshes. */
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface StoredRefreshToken {
  id: string;
  familyId: string;
  /** SHA-256 of the opaque token; the token itself is never stored. */
  tokenHash: string;
  spentAt: Date | null;
}

export type RefreshVerdict = 'rotate' | 'reuse-detected' | 'invalid';

export function judgeRefresh(token: StoredRefreshToken, family: TokenFamily, now: Date): RefreshVerdict {
  if (family.revokedAt || family.expiresAt <= now) return 'invalid';
  if (token.spentAt) return 'reuse-detected';
  return 'rotate';
}
