import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Actor } from '@ficus/contracts';
import { type FicusConfig, ficusConfig } from '@ficus/platform';

/** The board's session cookie; its Path keeps it off every route but the board's own. */
export const QUEUE_BOARD_COOKIE = 'ficus_queues_session';

interface SessionClaims {
  sub: string;
  roles: string[];
  /** Epoch seconds. */
  exp: number;
}

/**
 * Bull Board sessions for browsers, which cannot send a bearer header to a page: an admin exchanges an
 * access token for a cookie (`POST /admin/queues/session`) holding the same user and roles, HMAC-signed,
 * short-lived, scoped to the board. Stateless, so any replica with the same key accepts it
 * (ADMIN_QUEUES_SESSION_SECRET; unset, a random key per process).
 */
@Injectable()
export class QueueBoardSessions {
  private readonly key: Buffer;

  constructor(@Inject(ficusConfig.KEY) private readonly config: FicusConfig) {
    const secret = config.adminQueues.sessionSecret;
    if (!secret && config.nodeEnv === 'production') {
      new Logger(QueueBoardSessions.name).warn(
        { event: 'queue-board.random-session-key' },
        'ADMIN_QUEUES_SESSION_SECRET is not set: board sessions work only on the replica that opened them',
      );
    }
    this.key = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  }

  /** Seconds a new session lasts: the configured lifetime, never past the access token's own expiry. */
  lifetimeSeconds(tokenExp: number | undefined, now = Date.now()): number {
    const ttl = this.config.adminQueues.sessionTtlSeconds;
    if (tokenExp === undefined) return ttl;
    return Math.max(0, Math.min(ttl, tokenExp - Math.floor(now / 1000)));
  }

  issue(actor: Actor, lifetimeSeconds: number, now = Date.now()): string {
    const claims: SessionClaims = {
      sub: actor.userId,
      roles: actor.roles,
      exp: Math.floor(now / 1000) + lifetimeSeconds,
    };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** The session's actor, or null for a cookie that is forged, malformed or expired. */
  verify(value: string, now = Date.now()): Actor | null {
    const [payload, signature, extra] = value.split('.');
    if (!payload || !signature || extra !== undefined) return null;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SessionClaims;
      if (typeof claims.sub !== 'string' || !Array.isArray(claims.roles) || typeof claims.exp !== 'number') return null;
      if (claims.exp * 1000 <= now) return null;
      return { userId: claims.sub, roles: claims.roles.filter((role) => typeof role === 'string') };
    } catch {
      return null;
    }
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(`queue-board.v1.${payload}`).digest('base64url');
  }
}

/** The value of one cookie in a Cookie header (no cookie parser plugin needed for one name). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
