import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { SessionRepository, TransactionRunner } from '../../domain/ports.js';
import { SESSION_REPOSITORY, TRANSACTION_RUNNER } from '../../identity.di-tokens.js';
import { hashRefreshToken } from '../session-issuer.js';
import { LogoutCommand } from './logout.command.js';

/** Ends the sign-in a refresh token belongs to. Unknown tokens are ignored: logging out is idempotent. */
@CommandHandler(LogoutCommand)
export class LogoutHandler implements ICommandHandler<LogoutCommand> {
  constructor(
    @Inject(SESSION_REPOSITORY) private readonly sessions: SessionRepository,
    @Inject(TRANSACTION_RUNNER) private readonly transactions: TransactionRunner,
  ) {}

  async execute({ data }: LogoutCommand): Promise<void> {
    await this.transactions.run(async (tx) => {
      const found = await this.sessions.findForUpdate(tx, hashRefreshToken(data.refreshToken));
      if (found) await this.sessions.revokeFamily(tx, found.family.id, new Date());
    });
  }
}
