import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AuthSessionView } from '@ficus/contracts';
import type { PasswordHasher, TransactionRunner, UserRepository } from '../../domain/ports.js';
import { InvalidCredentials } from '../../domain/user.errors.js';
import { PASSWORD_HASHER, TRANSACTION_RUNNER, USER_REPOSITORY } from '../../identity.di-tokens.js';
import { SessionIssuer } from '../session-issuer.js';
import { LoginCommand } from './login.command.js';

@CommandHandler(LoginCommand)
export class LoginHandler implements ICommandHandler<LoginCommand> {
  constructor(
    @Inject(USER_REPOSITORY) private readonly users: UserRepository,
    @Inject(TRANSACTION_RUNNER) private readonly transactions: TransactionRunner,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    private readonly sessions: SessionIssuer,
  ) {}

  async execute({ data }: LoginCommand): Promise<AuthSessionView> {
    const email = data.email.trim().toLowerCase();
    const user = await this.users.findByEmail(email);
    if (!user) {
      // Spend the time a real check takes, so response times do not reveal which e-mails exist.
      await this.hasher.verifyDummy(data.password);
      throw new InvalidCredentials();
    }
    if (!(await this.hasher.verify(user.passwordHash, data.password))) throw new InvalidCredentials();
    return this.transactions.run((tx) => this.sessions.startFamily(tx, user, new Date()));
  }
}
