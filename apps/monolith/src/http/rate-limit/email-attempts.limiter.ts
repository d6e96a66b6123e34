import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { type FicusConfig, ficusConfig, HttpProblem, REDIS } from '@ficus/platform';

/**
 * Per-e-mail limits for login and register (a distributed guess-the-password attack rotates IPs, not
 * e-mails). Login counts failures only: after `LOGIN_MAX_FAILURES_PER_EMAIL` failures within
 * `LOGIN_FAILURE_WINDOW_S`, that e-mail gets 429 until the window ends. Register counts attempts with the
 * same numbers. Fails open when Redis is away, like the IP/user limiter.
 */
@Injectable()
export class EmailAttemptsLimiter {
  private readonly logger = new Logger(EmailAttemptsLimiter.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ficusConfig.KEY) private readonly config: FicusConfig,
  ) {}

  private key(kind: string, email: string): string {
    return `${this.config.redis.keyPrefix}:rl:${kind}:${email.trim().toLowerCase()}`;
  }

  /** Throws 429 when the e-mail has used up its budget. */
  async assertAllowed(kind: 'login' | 'register', email: string): Promise<void> {
    try {
      const key = this.key(kind, email);
      const [count, ttlMs] = (await this.redis.multi().get(key).pttl(key).exec())!.map(([, v]) => v) as [
        string | null,
        number,
      ];
      const limit = this.config.rateLimit.loginMaxFailuresPerEmail;
      if (Number(count ?? 0) >= limit) {
        const retryAfter = String(Math.max(1, Math.ceil(ttlMs / 1000)));
        // The 429 describes this budget, replacing the per-caller RateLimit-* headers set before it.
        throw new HttpProblem(429, 'RATE_LIMITED', 'Too many attempts for this e-mail address; retry later.', {
          'retry-after': retryAfter,
          'ratelimit-limit': String(limit),
          'ratelimit-remaining': '0',
          'ratelimit-reset': retryAfter,
        });
      }
    } catch (error) {
      if (error instanceof HttpProblem) throw error;
      this.logger.warn({ event: 'rate-limit.unavailable', err: (error as Error).message }, 'e-mail limiter fails open');
    }
  }

  async record(kind: 'login' | 'register', email: string): Promise<void> {
    const key = this.key(kind, email);
    const windowMs = this.config.rateLimit.loginFailureWindowSeconds * 1000;
    await this.redis
      .multi()
      .incr(key)
      .pexpire(key, windowMs, 'NX')
      .exec()
      .catch(() => undefined);
  }

  async reset(kind: 'login' | 'register', email: string): Promise<void> {
    await this.redis.del(this.key(kind, email)).catch(() => undefined);
  }
}
