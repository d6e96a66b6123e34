import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AuthSessionView } from '@ficus/contracts';
import type { SessionRepository, TransactionRunner, UserRepository } from '../../domain/ports.js';
import { judgeRefresh } from '../../domain/refresh-session.js';
import { InvalidRefreshToken } from '../../domain/user.errors.js';
import { SESSION_REPOSITORY, TRANSACTION_RUNNER, USER_REPOSITORY } from '../../identity.di-tokens.js';
import { hashRefreshToken, SessionIssuer } from '../session-issuer.js';
import { RefreshSessionCommand } from './refresh-session.command.js';

@CommandHandler(RefreshSessionCommand)
export class RefreshSessionHandler implements ICommandHandler<RefreshSessionCommand> {
  private readonly logger = new Logger(RefreshSessionHandler.name);

  constructor(
    @Inject(SESSION_REPOSITORY) private readonly sessions: SessionRepository,
    @Inject(USER_REPOSITORY) private readonly users: UserRepository,
    @Inject(TRANSACTION_RUNNER) private readonly transactions: TransactionRunner,
    private readonly issuer: SessionIssuer,
  ) {}

  async execute({ data, meta }: RefreshSessionCommand): Promise<AuthSessionView> {
    const now = new Date();
    // The revocation must commit even though the caller gets an error, so the verdict leaves the
    // transaction as a value and is thrown only after it.
    const outcome = await this.transactions.run(async (tx) => {
      const found = await this.sessions.findForUpdate(tx, hashRefreshToken(data.refreshToken));
      if (!found) return 'invalid' as const;
      const verdict = judgeRefresh(found.token, found.family, now);
      if (verdict === 'reuse-detected') {
        await this.sessions.revokeFamily(tx, found.family.id, now);
        this.logger.warn(
          { event: 'identity.refresh-token-reused', correlationId: meta.correlationId, userId: found.family.userId },
          'a spent refresh token was reused; its family is revoked',
        );
        return 'invalid' as const;
      }
      if (verdict === 'invalid') return 'invalid' as const;
      const user = await this.users.findById(found.family.userId, tx);
      if (!user) return 'invalid' as const;
      await this.sessions.markSpent(tx, found.token.id, now);
      return this.issuer.continueFamily(tx, found.family.id, user);
    });
    if (outcome === 'invalid') throw new InvalidRefreshToken();
    return outcome;
  }
}
