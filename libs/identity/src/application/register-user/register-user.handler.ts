import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import { type AuthSessionView, UserRegisteredV1 } from '@ficus/contracts';
import { OutboxWriter } from '@ficus/platform';
import type { PasswordHasher, TransactionRunner, UserRepository } from '../../domain/ports.js';
import { User } from '../../domain/user.aggregate.js';
import { Email } from '../../domain/value-objects/email.value-object.js';
import { Password } from '../../domain/value-objects/password.value-object.js';
import { PASSWORD_HASHER, TRANSACTION_RUNNER, USER_REPOSITORY } from '../../identity.di-tokens.js';
import { asManager } from '../../infrastructure/persistence/typeorm-transaction.runner.js';
import { SessionIssuer } from '../session-issuer.js';
import { RegisterUserCommand } from './register-user.command.js';

@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand> {
  constructor(
    @Inject(USER_REPOSITORY) private readonly users: UserRepository,
    @Inject(TRANSACTION_RUNNER) private readonly transactions: TransactionRunner,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    private readonly sessions: SessionIssuer,
    private readonly outbox: OutboxWriter,
  ) {}

  async execute({ data, meta }: RegisterUserCommand): Promise<AuthSessionView> {
    const email = Email.parse(data.email);
    const password = Password.parse(data.password);
    const now = new Date();
    // Hash before opening the transaction: argon2 takes tens of milliseconds and needs no row locks.
    const user = User.register({
      id: uuidv7(),
      email,
      name: data.name,
      passwordHash: await this.hasher.hash(password.value),
      now,
    });
    return this.transactions.run(async (tx) => {
      await this.users.insert(tx, user);
      await this.outbox.append(asManager(tx), meta, {
        definition: UserRegisteredV1,
        aggregateId: user.id,
        payload: { userId: user.id, email: user.email, name: data.name.trim(), registeredAt: now.toISOString() },
      });
      return this.sessions.startFamily(tx, user, now);
    });
  }
}
